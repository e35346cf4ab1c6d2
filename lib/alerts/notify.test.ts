import { describe, expect, it } from "vitest";
import { chainedEscalationId, ESCALATION_GROUP_LIMIT, escalationEvents, levelEvents } from "./notify";

const n = (alertId: string, ruleId = "r1", escalationPolicyId: string | null = "p1", kind: "firing" | "resolved" = "firing") => ({ alertId, ruleId, kind, fireCount: 1, channelIds: ["c1"], escalationPolicyId });

describe("escalation events", () => {
  it("start one escalation per rule's alerts that fired together, a lone alert keeping its own id, whatever the order", () => {
    const events = escalationEvents([n("a2"), n("b1", "r2"), n("a1"), n("x1", "r3", null), n("a3", "r1", "p1", "resolved")]);
    expect(events.map((e) => [e.data.alertId, e.data.group?.map((g) => g.alertId) ?? null])).toEqual([
      ["a1", ["a1", "a2"]],
      ["b1", null],
    ]);
    expect(events[1]!.id).toBe("escalate-b1-1");
    expect(escalationEvents([n("a1"), n("a2")]).map((e) => e.id)).toEqual([events[0]!.id]);
  });

  it("split a group past the limit, each part an escalation of its own", () => {
    const many = Array.from({ length: ESCALATION_GROUP_LIMIT + 1 }, (_, i) => n(`a${String(i).padStart(3, "0")}`));
    const events = escalationEvents(many);
    expect(events.map((e) => e.data.group?.length ?? 1)).toEqual([ESCALATION_GROUP_LIMIT, 1]);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
  });

  it("tell a level's channels and users, one grouped event each for several alerts, with ids of the level and repeat", () => {
    const alone = levelEvents([{ alertId: "a1", fireCount: 2 }], 1, { channelIds: ["c1"], userIds: ["u1"] }, 3);
    expect(alone.map((e) => [e.id, e.data])).toEqual([
      ["alert-a1-2-firing-c1-level-1-repeat-3", { alertId: "a1", fireCount: 2, kind: "firing", channelId: "c1" }],
      ["alert-a1-2-firing-user-u1-level-1-repeat-3", { alertId: "a1", fireCount: 2, kind: "firing", userId: "u1" }],
    ]);
    const members = [{ alertId: "a1", fireCount: 1 }, { alertId: "a2", fireCount: 1 }];
    const grouped = levelEvents(members, 0, { channelIds: ["c1"] });
    expect(grouped).toHaveLength(1);
    expect(grouped[0]!.data).toMatchObject({ alertId: "a1", channelId: "c1", group: members });
    expect(grouped[0]!.id).toMatch(/^alert-group-[0-9a-f]{24}-firing-c1-level-0$/);
    expect(levelEvents(members, 1, { channelIds: ["c1"] })[0]!.id).not.toBe(grouped[0]!.id);
    expect(chainedEscalationId([{ alertId: "a1", fireCount: 1 }], 101)).toBe("escalate-a1-1-repeat-101");
    expect(chainedEscalationId(members, 101)).toMatch(/^escalate-group-[0-9a-f]{24}-repeat-101$/);
  });
});
