import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { collections } from "@/db/schema/collections";
import { operations } from "@/db/schema/operations";
import { maintenanceWindows, silences } from "@/db/schema/silences";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { startHttpReceiver } from "@/lib/alerts/test-support/receivers";
import { remindSilence } from "@/lib/silences/reminder";
import { createChannel } from "../alerts/create-channel";
import { deleteSilence, expireSilence, extendSilence } from "./change-silence";
import { createSilence } from "./create-silence";
import { listSilences, previewSilence } from "./read-silences";
import { createMaintenanceWindow, deleteMaintenanceWindow, listMaintenanceWindows, updateMaintenanceWindow } from "./windows";

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
const matchers = [{ label: "collection", op: "=", value: "docs" }];

describe("silence verbs", () => {
  it("operators create, extend, expire and delete silences, each audited; viewers are refused and audited", async () => {
    const operator = await actorContext("operator");
    const viewer = await actorContext("viewer");
    await expect(createSilence({ ctx: viewer, input: { matchers, endsAt: inHours(2), comment: "x" } })).rejects.toMatchObject({ code: "forbidden" });
    expect((await auditRowsOf(viewer.correlationId)).map((r) => [r.action, r.outcome])).toEqual([["silence.create", "denied"]]);
    await expect(createSilence({ ctx: operator, input: { matchers: [{ label: "collection", op: "=~", value: "(a)\\1" }], endsAt: inHours(2), comment: "x" } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { "matchers.0.value": [expect.stringContaining("Not a valid regular expression")] } });

    const s = await createSilence({ ctx: operator, input: { matchers, endsAt: inHours(2), comment: "moving disks" } });
    expect(s).toMatchObject({ state: "active", createdByEmail: operator.actor.email });
    await expect(expireSilence({ ctx: viewer, input: { silenceId: s.id } })).rejects.toMatchObject({ code: "forbidden" });
    expect((await extendSilence({ ctx: operator, input: { silenceId: s.id, endsAt: inHours(5) } })).endsAt.getTime()).toBeGreaterThan(Date.now() + 4 * 3600_000);
    expect(await expireSilence({ ctx: operator, input: { silenceId: s.id } })).toMatchObject({ state: "expired", expiredBy: operator.actor.email });
    await expect(expireSilence({ ctx: operator, input: { silenceId: s.id } })).rejects.toMatchObject({ code: "conflict" });
    expect((await listSilences({ ctx: viewer, input: { state: "expired" } })).map((x) => x.id)).toContain(s.id);
    await expect(deleteSilence({ ctx: viewer, input: { silenceId: s.id } })).rejects.toMatchObject({ code: "forbidden" });
    await deleteSilence({ ctx: operator, input: { silenceId: s.id } });
    expect(await getDb().select().from(silences).where(eq(silences.id, s.id))).toEqual([]);
    expect((await auditRowsOf(operator.correlationId)).map((r) => [r.action, r.outcome])).toEqual([
      ["silence.create", "failure"],
      ["silence.create", "success"],
      ["silence.extend", "success"],
      ["silence.expire", "success"],
      ["silence.expire", "failure"],
      ["silence.delete", "success"],
    ]);
    expect((await auditRowsOf(viewer.correlationId)).map((r) => r.outcome)).toEqual(["denied", "denied", "denied"]);
  });

  it("previews which open alerts matchers would silence", async () => {
    const viewer = await actorContext("viewer");
    const preview = await previewSilence({ ctx: viewer, input: { matchers: [{ label: "collection", op: "=", value: `none-${randomUUID()}` }] } });
    expect(preview).toMatchObject({ matched: 0, alerts: [] });
    await expect(previewSilence({ ctx: viewer, input: { matchers: [] } })).rejects.toMatchObject({ code: "invalid" });
  });

  it("a long silence's reminder goes to its channels once, and not after its end moved", async () => {
    const web = await startHttpReceiver();
    try {
      const admin = await actorContext("admin");
      const operator = await actorContext("operator");
      const channel = await createChannel({ ctx: admin, input: { type: "webhook", name: `remind ${randomUUID()}`, url: `${web.url}/remind` } });
      const s = await createSilence({ ctx: operator, input: { matchers, endsAt: inHours(6), comment: "long job", reminderChannelIds: [channel.id] } });
      const first = await remindSilence(s.id, s.endsAt.toISOString());
      expect(first).toMatchObject({ sent: true });
      expect(first.deliveries!.map((d) => [d.to, d.ok])).toEqual([[channel.name, true], [operator.actor.email, false]]); // no SMTP configured for the creator
      expect(JSON.parse(web.received[0]!.body)).toMatchObject({ kind: "silence-reminder", silence: { id: s.id, comment: "long job" } });
      expect(await remindSilence(s.id, s.endsAt.toISOString())).toMatchObject({ sent: false, reason: "already reminded" });
      const moved = await extendSilence({ ctx: operator, input: { silenceId: s.id, endsAt: inHours(8) } });
      expect(await remindSilence(s.id, s.endsAt.toISOString())).toMatchObject({ sent: false, reason: "its end moved" });
      expect(await remindSilence(s.id, moved.endsAt.toISOString())).toMatchObject({ sent: true });
      expect(web.received).toHaveLength(2);
    } finally {
      await web.close();
    }
  });
});

describe("maintenance window verbs", () => {
  it("operators plan, move, end and delete windows, audited; viewers refused; an automatic window is left to its operation", async () => {
    const operator = await actorContext("operator");
    const viewer = await actorContext("viewer");
    const [c] = await getDb().insert(collections).values({ name: `mw-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" }).returning();
    await expect(createMaintenanceWindow({ ctx: viewer, input: { name: "x", collectionId: c!.id, endsAt: inHours(1) } })).rejects.toMatchObject({ code: "forbidden" });
    const w = await createMaintenanceWindow({ ctx: operator, input: { name: "disk swap", collectionId: c!.id, startsAt: inHours(1), endsAt: inHours(3), recurrence: { days: [6], from: "02:00", to: "04:00", timezone: "UTC" } } });
    expect((await listMaintenanceWindows({ ctx: viewer })).find((x) => x.id === w.id)).toMatchObject({ state: "scheduled", collection: c!.name });
    await updateMaintenanceWindow({ ctx: operator, input: { windowId: w.id, endsAt: inHours(4) } });
    expect((await updateMaintenanceWindow({ ctx: operator, input: { windowId: w.id, end: true } })).closedAt).not.toBeNull();
    await expect(deleteMaintenanceWindow({ ctx: viewer, input: { windowId: w.id } })).rejects.toMatchObject({ code: "forbidden" });
    await deleteMaintenanceWindow({ ctx: operator, input: { windowId: w.id } });

    const [op] = await getDb().insert(operations).values({ type: "CLEAR", collectionId: c!.id, status: "running", correlationId: randomUUID() }).returning();
    const [auto] = await getDb().insert(maintenanceWindows).values({ name: "CLEAR", collectionId: c!.id, startsAt: new Date(), operationId: op!.id }).returning();
    await expect(updateMaintenanceWindow({ ctx: operator, input: { windowId: auto!.id, end: true } })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("closes when it ends") });
    expect((await listMaintenanceWindows({ ctx: viewer })).find((x) => x.id === auto!.id)).toMatchObject({ automatic: true, state: "active", operation: { type: "CLEAR" } });

    expect((await auditRowsOf(operator.correlationId)).map((r) => [r.action, r.outcome])).toEqual([
      ["maintenance_window.create", "success"],
      ["maintenance_window.update", "success"],
      ["maintenance_window.update", "success"],
      ["maintenance_window.delete", "success"],
      ["maintenance_window.update", "failure"],
    ]);
    expect((await auditRowsOf(viewer.correlationId)).map((r) => [r.action, r.outcome])).toEqual([["maintenance_window.create", "denied"], ["maintenance_window.delete", "denied"]]);
  });
});
