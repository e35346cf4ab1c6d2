import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext, createTestUser } from "@/db/test/factories";
import { repeatWindow, REPEATS_PER_RUN } from "@/lib/alerts/escalation";
import { apiRequest, CONSOLE_ORIGIN, noParams, params, setTestAuthEnv, signedInCookie } from "@/lib/auth/test-support/session-cookie";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/escalation-policies/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/v1/escalation-policies/[id]/route";
import { createChannel } from "./create-channel";
import { createEscalationPolicy, deleteEscalationPolicy, getEscalationPolicy, listEscalationPolicies, updateEscalationPolicy } from "./escalation-policies";

setTestAuthEnv();

const unique = (base: string) => `${base} ${randomUUID().slice(0, 8)}`;
const webhook = async (ctx: Awaited<ReturnType<typeof actorContext>>) => createChannel({ ctx, input: { type: "webhook", name: unique("hook"), url: "http://127.0.0.1:9/hook" } });

describe("escalation policy verbs", () => {
  it("create, update and delete a policy for an admin, each audited with its levels and repeats", async () => {
    const admin = await actorContext("admin");
    const [a, b] = [await webhook(admin), await webhook(admin)];
    const name = unique("on-call");
    const policy = await createEscalationPolicy({ ctx: admin, input: { name, levels: [{ channelIds: [a.id], delaySeconds: 0 }, { channelIds: [b.id], delaySeconds: "300" }] } });
    expect(policy).toMatchObject({ name, repeatLastLevel: 0, levels: [{ channelIds: [a.id], delaySeconds: 0 }, { channelIds: [b.id], delaySeconds: 300 }] });
    const updated = await updateEscalationPolicy({ ctx: admin, input: { policyId: policy.id, repeatLastLevel: "250" } });
    expect(updated).toMatchObject({ name, repeatLastLevel: 250, levels: policy.levels });
    const renamed = await updateEscalationPolicy({ ctx: admin, input: { policyId: policy.id, name: `${name} 2`, levels: [{ channelIds: [b.id], delaySeconds: 60 }] } });
    expect(renamed).toMatchObject({ name: `${name} 2`, repeatLastLevel: 250, levels: [{ channelIds: [b.id], delaySeconds: 60 }] });
    expect(await getEscalationPolicy({ ctx: admin, input: { policyId: policy.id } })).toMatchObject({ name: `${name} 2` });
    expect((await listEscalationPolicies({ ctx: admin })).map((p) => p.id)).toContain(policy.id);
    await deleteEscalationPolicy({ ctx: admin, input: { policyId: policy.id } });
    await expect(getEscalationPolicy({ ctx: admin, input: { policyId: policy.id } })).rejects.toMatchObject({ code: "not_found" });

    const audit = (await auditRowsOf(admin.correlationId)).filter((r) => r.action.startsWith("escalation_policy."));
    expect(audit.map((r) => [r.action, r.outcome, r.targetId])).toEqual([
      ["escalation_policy.create", "success", policy.id],
      ["escalation_policy.update", "success", policy.id],
      ["escalation_policy.update", "success", policy.id],
      ["escalation_policy.delete", "success", policy.id],
    ]);
    expect(audit[1]!.params).toMatchObject({ from: { repeatLastLevel: 0 }, to: { repeatLastLevel: 250 } });
  });

  it("reject viewers and operators, auditing the refusal", async () => {
    const admin = await actorContext("admin");
    const hook = await webhook(admin);
    const policy = await createEscalationPolicy({ ctx: admin, input: { name: unique("p"), levels: [{ channelIds: [hook.id], delaySeconds: 0 }] } });
    for (const role of ["viewer", "operator"] as const) {
      const ctx = await actorContext(role);
      await expect(createEscalationPolicy({ ctx, input: { name: unique("x"), levels: [{ channelIds: [hook.id], delaySeconds: 0 }] } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(updateEscalationPolicy({ ctx, input: { policyId: policy.id, name: "taken over" } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(deleteEscalationPolicy({ ctx, input: { policyId: policy.id } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(listEscalationPolicies({ ctx })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.targetId])).toEqual([
        ["escalation_policy.create", "denied", null],
        ["escalation_policy.update", "denied", policy.id],
        ["escalation_policy.delete", "denied", policy.id],
      ]);
    }
    expect(await getEscalationPolicy({ ctx: admin, input: { policyId: policy.id } })).toMatchObject({ name: policy.name });
  });

  it("put bad fields in words: a repeat without a delay, an unknown channel, a taken name", async () => {
    const admin = await actorContext("admin");
    const hook = await webhook(admin);
    const taken = await createEscalationPolicy({ ctx: admin, input: { name: unique("taken"), levels: [{ channelIds: [hook.id], delaySeconds: 0 }] } });
    await expect(createEscalationPolicy({ ctx: admin, input: { name: unique("r"), levels: [{ channelIds: [hook.id], delaySeconds: 0 }], repeatLastLevel: 3 } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { repeatLastLevel: [expect.stringContaining("delay")] } });
    await expect(updateEscalationPolicy({ ctx: admin, input: { policyId: taken.id, repeatLastLevel: 3 } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { repeatLastLevel: [expect.stringContaining("delay")] } });
    await expect(createEscalationPolicy({ ctx: admin, input: { name: unique("r"), levels: [{ channelIds: [hook.id], delaySeconds: 5 }], repeatLastLevel: 1001 } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { repeatLastLevel: ["At most 1000."] } });
    await expect(createEscalationPolicy({ ctx: admin, input: { name: unique("c"), levels: [{ channelIds: [randomUUID()], delaySeconds: 0 }] } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { "levels.0.channelIds": ["No such channel."] } });
    await expect(createEscalationPolicy({ ctx: admin, input: { name: taken.name, levels: [{ channelIds: [hook.id], delaySeconds: 0 }] } })).rejects.toMatchObject({ code: "conflict" });
    await expect(updateEscalationPolicy({ ctx: admin, input: { policyId: randomUUID(), name: "nobody" } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("let a level name users: stored with the level; an unknown or disabled user is a field error on that level and nothing is stored", async () => {
    const admin = await actorContext("admin");
    const hook = await webhook(admin);
    const [oncall, gone] = [await createTestUser("operator"), await createTestUser("operator", { disabledAt: new Date() })];
    const name = unique("users");
    const policy = await createEscalationPolicy({ ctx: admin, input: { name, levels: [{ channelIds: [hook.id], delaySeconds: 0 }, { userIds: [oncall.id], delaySeconds: 60 }] } });
    expect(policy.levels).toEqual([{ channelIds: [hook.id], userIds: [], delaySeconds: 0 }, { channelIds: [], userIds: [oncall.id], delaySeconds: 60 }]);
    const audit = (await auditRowsOf(admin.correlationId)).filter((r) => r.action === "escalation_policy.create");
    expect(audit.at(-1)!.params).toMatchObject({ levels: [{ userIds: [] }, { userIds: [oncall.id] }] });

    const rejected = unique("rejected");
    await expect(createEscalationPolicy({ ctx: admin, input: { name: rejected, levels: [{ channelIds: [hook.id], delaySeconds: 0 }, { userIds: [oncall.id, randomUUID()], delaySeconds: 60 }] } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { "levels.1.userIds": ["No such user."] } });
    await expect(createEscalationPolicy({ ctx: admin, input: { name: rejected, levels: [{ userIds: [gone.id], delaySeconds: 0 }] } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { "levels.0.userIds": ["This user is disabled."] } });
    await expect(updateEscalationPolicy({ ctx: admin, input: { policyId: policy.id, levels: [{ userIds: [randomUUID()], delaySeconds: 0 }] } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { "levels.0.userIds": ["No such user."] } });
    await expect(createEscalationPolicy({ ctx: admin, input: { name: rejected, levels: [{ channelIds: [], userIds: [], delaySeconds: 0 }] } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { "levels.0.channelIds": ["Name at least one channel or user."] } });
    await expect(createEscalationPolicy({ ctx: admin, input: { name: rejected, levels: [{ userIds: ["not-a-uuid"], delaySeconds: 0 }] } })).rejects.toMatchObject({ code: "invalid", fieldErrors: { "levels.0.userIds.0": ["Unknown user."] } });
    expect((await listEscalationPolicies({ ctx: admin })).map((p) => p.name)).not.toContain(rejected);
    expect((await getEscalationPolicy({ ctx: admin, input: { policyId: policy.id } })).levels).toEqual(policy.levels);
  });

  it("split a long repeat into runs of 100, each chained by the cursor of the next", () => {
    expect(repeatWindow(0, undefined)).toEqual({ from: 1, to: 1, next: null });
    expect(repeatWindow(3, undefined)).toEqual({ from: 1, to: 4, next: null });
    expect(repeatWindow(100, undefined)).toEqual({ from: 1, to: 101, next: null });
    expect(repeatWindow(250, undefined)).toEqual({ from: 1, to: 1 + REPEATS_PER_RUN, next: 101 });
    expect(repeatWindow(250, 101)).toEqual({ from: 101, to: 201, next: 201 });
    expect(repeatWindow(250, 201)).toEqual({ from: 201, to: 251, next: null });
  });
});

describe("/api/v1/escalation-policies", () => {
  it("lists, creates, reads, changes and deletes for an admin; a viewer gets 403 and changes nothing", async () => {
    const admin = await createTestUser("admin");
    const { cookie } = await signedInCookie(admin.email);
    const hook = await webhook(await actorContext("admin"));
    const json = (method: string, path: string, body: unknown, c = cookie) => apiRequest(path, { method, cookie: c, origin: CONSOLE_ORIGIN, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const name = unique("api");
    const created = await createRoute(json("POST", "/api/v1/escalation-policies", { name, levels: [{ channelIds: [hook.id], delaySeconds: 30 }], repeatLastLevel: 2 }), noParams);
    expect(created.status).toBe(200);
    const policy = (await created.json()).data;
    expect(policy).toMatchObject({ name, repeatLastLevel: 2 });
    const list = await listRoute(apiRequest("/api/v1/escalation-policies", { cookie }), noParams);
    expect((await list.json()).data.map((p: { id: string }) => p.id)).toContain(policy.id);
    const one = await getRoute(apiRequest(`/api/v1/escalation-policies/${policy.id}`, { cookie }), params({ id: policy.id }));
    expect((await one.json()).data).toMatchObject({ id: policy.id });
    const patched = await patchRoute(json("PATCH", `/api/v1/escalation-policies/${policy.id}`, { repeatLastLevel: 5 }), params({ id: policy.id }));
    expect((await patched.json()).data).toMatchObject({ repeatLastLevel: 5 });
    const bad = await createRoute(json("POST", "/api/v1/escalation-policies", { name: "", levels: [] }), noParams);
    expect(bad.status).toBe(400);
    const oncall = await createTestUser("operator");
    const withUser = await patchRoute(json("PATCH", `/api/v1/escalation-policies/${policy.id}`, { levels: [{ channelIds: [hook.id], userIds: [oncall.id], delaySeconds: 30 }] }), params({ id: policy.id }));
    expect((await withUser.json()).data).toMatchObject({ levels: [{ channelIds: [hook.id], userIds: [oncall.id], delaySeconds: 30 }] });
    const unknownUser = await patchRoute(json("PATCH", `/api/v1/escalation-policies/${policy.id}`, { levels: [{ channelIds: [hook.id], delaySeconds: 30 }, { userIds: [randomUUID()], delaySeconds: 60 }] }), params({ id: policy.id }));
    expect(unknownUser.status).toBe(400);
    expect(JSON.stringify(await unknownUser.json())).toContain("levels.1.userIds");
    expect((await (await getRoute(apiRequest(`/api/v1/escalation-policies/${policy.id}`, { cookie }), params({ id: policy.id }))).json()).data.levels).toHaveLength(1);

    const viewer = await createTestUser("viewer");
    const { cookie: viewerCookie } = await signedInCookie(viewer.email);
    expect((await patchRoute(json("PATCH", `/api/v1/escalation-policies/${policy.id}`, { name: "mine" }, viewerCookie), params({ id: policy.id }))).status).toBe(403);
    expect((await deleteRoute(apiRequest(`/api/v1/escalation-policies/${policy.id}`, { method: "DELETE", cookie: viewerCookie, origin: CONSOLE_ORIGIN }), params({ id: policy.id }))).status).toBe(403);
    expect((await getRoute(apiRequest(`/api/v1/escalation-policies/${policy.id}`, { cookie: viewerCookie }), params({ id: policy.id }))).status).toBe(403);

    const deleted = await deleteRoute(apiRequest(`/api/v1/escalation-policies/${policy.id}`, { method: "DELETE", cookie, origin: CONSOLE_ORIGIN }), params({ id: policy.id }));
    expect(deleted.status).toBe(200);
    expect((await getRoute(apiRequest(`/api/v1/escalation-policies/${policy.id}`, { cookie }), params({ id: policy.id }))).status).toBe(404);
  });
});
