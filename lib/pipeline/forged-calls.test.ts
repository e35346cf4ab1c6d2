import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { documents } from "@/db/schema/documents";
import { operations } from "@/db/schema/operations";
import { actorContext } from "@/db/test/factories";
import { canonicalJson, signBody } from "@/inngest/local-executor/signing";
import { TEST_SIGNING_KEY } from "@/inngest/local-executor/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";
import { startPipelineHarness, type PipelineHarness } from "./test-support/harness";

const hash = (stepId: string) => createHash("sha1").update(stepId).digest("hex");
/** The route's handlers take Next's request type; a plain Request is what reaches them over HTTP. */
const call = (handler: (req: never, res: unknown) => Promise<Response>, req: Request) => handler(req as never, undefined);

/**
 * Someone who can reach the console posts a fabricated call to /api/inngest: remove-source's
 * "delete a batch" step, run against a real INDEX operation in progress (whose params name its
 * source), with a made-up memo and continuation that skip the collection turn and the preflight. The app's real route must refuse
 * anything not signed with the key, recently, over exactly this body, and run nothing.
 */
describe("forged calls to /api/inngest", () => {
  let h: PipelineHarness;
  let ctx: ServiceContext;
  let route: typeof import("@/app/api/inngest/route");
  let operationId: string;
  let sourceId: string;

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_PIPELINE_BATCH_SIZE: "5" });
    ctx = await actorContext("operator");
    const dir = path.join(h.root, "forged");
    await fs.mkdir(dir);
    for (let i = 0; i < 6; i++) await fs.writeFile(path.join(dir, `doc-${i}.md`), `# Doc ${i}\n\n${"Cargo manifests and harbour notes. ".repeat(20 + i)}`);
    const started = await h.svc.createCollection({ ctx, input: { name: "forged", source: { kind: "directory", name: "forged", path: dir } } });
    operationId = started.operationId;
    expect((await h.finished(ctx, operationId)).status).toBe("succeeded");
    const [doc] = await getDb().select({ sourceId: documents.sourceId }).from(documents).where(eq(documents.collectionId, started.collectionId)).limit(1);
    sourceId = doc!.sourceId;
    // As if the INDEX were still under way (a long one is, for hours): batch steps work only for active operations.
    await getDb().update(operations).set({ status: "running", finishedAt: null }).where(eq(operations.id, operationId));
    route = await import("@/app/api/inngest/route");
  });
  afterAll(() => h?.close());

  const documentCount = async () => (await getDb().select({ id: documents.id }).from(documents).where(eq(documents.sourceId, sourceId))).length;

  // Skips the collection turn and the preflight two ways (a made-up continuation that says "removing",
  // and made-up memos of the turn and preflight steps), so the first new step the SDK meets, and runs
  // at once, is the one that deletes a batch of the source's documents.
  function forgedBody(): string {
    const continuation = { phase: "remove", n: 1, total: 6, removed: 0, points: 0 };
    const event = { name: "stevedore/source.remove-requested", data: { operationId, continuation }, id: randomUUID(), ts: Date.now() };
    const memo = {
      [hash("wait-turn-0")]: { type: "data", data: { go: true } },
      [hash("claim-turn-0")]: { type: "data", data: { go: true } },
      [hash("preflight")]: { type: "data", data: { total: 6 } },
    };
    return canonicalJson({
      event,
      events: [event],
      version: 2,
      steps: memo,
      ctx: { run_id: randomUUID(), attempt: 0, max_attempts: 6, disable_immediate_execution: false, use_api: false, stack: { stack: Object.keys(memo), current: 3 } },
    });
  }
  const post = (body: string, headers: Record<string, string>, stepId = "step") =>
    call(route.POST, new Request(`http://127.0.0.1/api/inngest?fnId=stevedore-remove-source&stepId=${stepId}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body }));

  it("refuses an unsigned, a wrongly signed, a replayed (over 5 min old) and a tampered call with 401, and runs nothing", async () => {
    const before = await documentCount();
    expect(before).toBeGreaterThan(0);
    const body = forgedBody();
    const now = Math.round(Date.now() / 1000);
    const attempts: Record<string, Record<string, string>> = {
      unsigned: {},
      "garbage signature": { "x-inngest-signature": "not-a-signature" },
      "wrong key": { "x-inngest-signature": signBody(body, `signkey-test-${"0f".repeat(32)}`) },
      "replayed, 6 minutes old": { "x-inngest-signature": signBody(body, TEST_SIGNING_KEY, now - 6 * 60) },
      "from the future": { "x-inngest-signature": signBody(body, TEST_SIGNING_KEY, now + 6 * 60) },
      "signed for another body": { "x-inngest-signature": signBody(forgedBody(), TEST_SIGNING_KEY) },
    };
    for (const [what, headers] of Object.entries(attempts)) {
      const res = await post(body, headers);
      expect(res.status, what).toBe(401);
    }
    expect(await documentCount()).toBe(before);
  });

  it("refuses unsigned introspection and sync (a plain PUT would register the app at the caller's Host)", async () => {
    expect((await call(route.GET, new Request("http://127.0.0.1/api/inngest"))).status).toBe(401);
    expect((await call(route.PUT, new Request("http://127.0.0.1/api/inngest", { method: "PUT", headers: { host: "attacker.example" } }))).status).toBe(401);
    const inBand = JSON.stringify({ url: "http://attacker.example/api/inngest" });
    expect((await call(route.PUT, new Request("http://127.0.0.1/api/inngest", { method: "PUT", headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band" }, body: inBand }))).status).toBe(401);
  });

  // The control: the same forgery, signed now with the key, does delete documents. So the refusals
  // above are the signature check at work, not a body the SDK would have ignored anyway.
  it("does delete documents when that same call is signed with the key", async () => {
    const body = forgedBody();
    const res = await post(body, { "x-inngest-signature": signBody(body, TEST_SIGNING_KEY) });
    const text = await res.text();
    expect(res.status, text).toBe(206);
    expect(await documentCount(), text).toBe(0);
  });
});
