import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema/api-tokens";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext, createTestUser } from "@/db/test/factories";
import { apiRequest, CONSOLE_ORIGIN, noParams, setTestAuthEnv, signedInCookie } from "@/lib/auth/test-support/session-cookie";
import { POST as createTokenRoute } from "@/app/api/v1/tokens/route";
import { updateUser } from "../user/update";
import { authenticateApiToken } from "./authenticate";
import { createApiToken } from "./create";
import { listApiTokens } from "./list";
import { revokeApiToken } from "./revoke";

setTestAuthEnv();

describe("API tokens", () => {
  it("are shown once, stored hashed, authenticate as their owner, and stop working when revoked", async () => {
    const ctx = await actorContext("admin");
    const token = await createApiToken({ ctx, input: { name: "nightly-backup" } });
    expect(token.secret).toMatch(/^sv_/);
    const [stored] = await getDb().select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(JSON.stringify(stored)).not.toContain(token.secret);

    const actor = await authenticateApiToken(token.secret);
    expect(actor).toMatchObject({ type: "token", id: ctx.actor.id, role: "admin", tokenId: token.id });
    const [used] = await getDb().select().from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(used!.lastUsedAt).toBeInstanceOf(Date);
    expect(await authenticateApiToken(token.secret + "x")).toBeNull();

    await revokeApiToken({ ctx, input: { tokenId: token.id } });
    expect(await authenticateApiToken(token.secret)).toBeNull();
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome])).toEqual([
      ["token.create", "success"],
      ["token.revoke", "success"],
    ]);
    await expect(revokeApiToken({ ctx, input: { tokenId: token.id } })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses viewers to create, list or revoke, and audits the refusals", async () => {
    const admin = await actorContext("admin");
    const token = await createApiToken({ ctx: admin, input: { name: "ci" } });
    const ctx = await actorContext("viewer");
    await expect(createApiToken({ ctx, input: { name: "mine" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(revokeApiToken({ ctx, input: { tokenId: token.id } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(listApiTokens({ ctx })).rejects.toMatchObject({ code: "forbidden" });
    expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.targetType, r.targetId])).toEqual([
      ["token.create", "denied", "token", null],
      ["token.revoke", "denied", "token", token.id],
    ]);
    expect(await authenticateApiToken(token.secret)).not.toBeNull();
  });

  it("lets an operator create tokens with their role or less, and refuses more on the role field", async () => {
    const ctx = await actorContext("operator");
    const own = await createApiToken({ ctx, input: { name: "reindex" } });
    const narrow = await createApiToken({ ctx, input: { name: "dashboard", role: "viewer" } });
    expect([own.role, narrow.role]).toEqual(["operator", "viewer"]);
    expect((await authenticateApiToken(own.secret))?.role).toBe("operator");
    expect((await authenticateApiToken(narrow.secret))?.role).toBe("viewer");

    await expect(createApiToken({ ctx, input: { name: "escalate", role: "admin" } })).rejects.toMatchObject({
      code: "invalid",
      fieldErrors: { role: ["A token can have at most your own role (operator)."] },
    });
    expect(await getDb().select().from(apiTokens).where(eq(apiTokens.userId, ctx.actor.id!))).toHaveLength(2);
    const audit = await auditRowsOf(ctx.correlationId);
    const roleIn = (p: unknown) => (p as { role?: string } | null)?.role ?? (p as { attempted?: { role?: string } } | null)?.attempted?.role;
    expect(audit.map((r) => [r.action, r.outcome, roleIn(r.params)])).toEqual([
      ["token.create", "success", "operator"],
      ["token.create", "success", "viewer"],
      ["token.create", "denied", "admin"],
    ]);
  });

  it("acts with the lower of the token's role and its creator's current role", async () => {
    const admin = await actorContext("admin");
    const other = await actorContext("admin");
    const asOperator = await createApiToken({ ctx: admin, input: { name: "ci-operator", role: "operator" } });
    const full = await createApiToken({ ctx: admin, input: { name: "ci-admin" } });
    expect((await authenticateApiToken(asOperator.secret))?.role).toBe("operator");
    expect((await authenticateApiToken(full.secret))?.role).toBe("admin");

    await updateUser({ ctx: other, input: { userId: admin.actor.id, role: "viewer" } });
    expect((await authenticateApiToken(asOperator.secret))?.role).toBe("viewer");
    expect((await authenticateApiToken(full.secret))?.role).toBe("viewer");
    await updateUser({ ctx: other, input: { userId: admin.actor.id, role: "admin", disabled: true } });
    expect(await authenticateApiToken(full.secret)).toBeNull();
  });

  it("shows an operator only their own tokens and lets them revoke only those; an admin sees and revokes all", async () => {
    const admin = await actorContext("admin");
    const op = await actorContext("operator");
    const otherOp = await actorContext("operator");
    const mine = await createApiToken({ ctx: op, input: { name: "op-token", role: "viewer" } });
    const theirs = await createApiToken({ ctx: otherOp, input: { name: "other-op-token" } });

    const listed = await listApiTokens({ ctx: op });
    expect(listed.map((t) => [t.name, t.owner, t.role])).toEqual([["op-token", op.actor.email, "viewer"]]);
    await expect(revokeApiToken({ ctx: op, input: { tokenId: theirs.id } })).rejects.toMatchObject({ code: "not_found" });
    expect(await authenticateApiToken(theirs.secret)).not.toBeNull();
    expect((await auditRowsOf(op.correlationId)).map((r) => [r.action, r.outcome]).slice(-1)).toEqual([["token.revoke", "failure"]]);
    await revokeApiToken({ ctx: op, input: { tokenId: mine.id } });

    const all = (await listApiTokens({ ctx: admin })).map((t) => t.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    await revokeApiToken({ ctx: admin, input: { tokenId: theirs.id } });
    expect(await authenticateApiToken(theirs.secret)).toBeNull();
  });

  it("are created over REST with a role, refused above the caller's on the role field", async () => {
    const op = await createTestUser("operator");
    const { cookie } = await signedInCookie(op.email);
    const post = (body: unknown) => createTokenRoute(apiRequest("/api/v1/tokens", { method: "POST", cookie, origin: CONSOLE_ORIGIN, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }), noParams);
    const created = await post({ name: "rest-viewer", role: "viewer" });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { secret: string; role: string } };
    expect(data.role).toBe("viewer");
    expect((await authenticateApiToken(data.secret))?.role).toBe("viewer");
    const refused = await post({ name: "rest-admin", role: "admin" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: { code: "invalid", message: "Some fields are invalid.", fieldErrors: { role: ["A token can have at most your own role (operator)."] } } });
  });
});
