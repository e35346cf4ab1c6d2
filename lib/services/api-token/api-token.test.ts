import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema/api-tokens";
import { auditRowsOf } from "@/db/test/audit";
import { actorContext } from "@/db/test/factories";
import { authenticateApiToken } from "./authenticate";
import { createApiToken } from "./create";
import { revokeApiToken } from "./revoke";

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

  it("refuses viewers and operators to create or revoke, and audits the refusals", async () => {
    const admin = await actorContext("admin");
    const token = await createApiToken({ ctx: admin, input: { name: "ci" } });
    for (const role of ["viewer", "operator"] as const) {
      const ctx = await actorContext(role);
      await expect(createApiToken({ ctx, input: { name: "mine" } })).rejects.toMatchObject({ code: "forbidden" });
      await expect(revokeApiToken({ ctx, input: { tokenId: token.id } })).rejects.toMatchObject({ code: "forbidden" });
      expect((await auditRowsOf(ctx.correlationId)).map((r) => [r.action, r.outcome, r.targetType, r.targetId])).toEqual([
        ["token.create", "denied", "token", null],
        ["token.revoke", "denied", "token", token.id],
      ]);
    }
    expect(await authenticateApiToken(token.secret)).not.toBeNull();
  });
});
