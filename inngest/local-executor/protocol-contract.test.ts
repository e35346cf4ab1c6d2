import { createHash } from "node:crypto";
import { Inngest, NonRetriableError, RetryAfterError, referenceFunction } from "inngest";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCallBody, callFunction, type Memo } from "./call";
import { canonicalJson, signBody } from "./signing";
import { startAppServer, type AppServer } from "./test-support/app-server";

/**
 * Pins the wire facts of shared/notes/inngest-protocol.md against the real serve() handler of the
 * installed SDK, so an SDK upgrade that changes any of them fails here before the executor breaks.
 */
const sha1 = (s: string) => createHash("sha1").update(s).digest("hex");
const silent = pino({ level: "silent" });

function defineFunctions(client: Inngest.Any) {
  return [
    client.createFunction({ id: "process", retries: 2, triggers: [{ event: "p/process" }] }, async ({ step }) => {
      const items = await step.run("fetch-items", () => ({ count: 3 }));
      const out = await step.run("transform", () => {
        throw new Error("transient failure in transform");
      });
      return { items, out };
    }),
    client.createFunction({ id: "sleepy", triggers: [{ event: "p/sleep" }] }, async ({ step }) => {
      await step.sleep("cool-down", "1s");
      return "woke";
    }),
    client.createFunction({ id: "waits", triggers: [{ event: "p/wait" }] }, async ({ step }) => {
      const ev = await step.waitForEvent("wait-approval", { event: "p/approved", timeout: "10s", match: "data.collectionId" });
      return { approvedBy: ev ? ev.data.by : null };
    }),
    client.createFunction({ id: "throws", triggers: [{ event: "p/throw" }] }, async () => {
      throw new Error("boom");
    }),
    client.createFunction({ id: "non-retriable", triggers: [{ event: "p/nr" }] }, async () => {
      throw new NonRetriableError("nope");
    }),
    client.createFunction({ id: "retry-after", triggers: [{ event: "p/ra" }] }, async ({ step }) => {
      await step.run("ra", () => {
        throw new RetryAfterError("later", 30_000);
      });
    }),
    client.createFunction({ id: "parallel", triggers: [{ event: "p/par" }] }, async ({ step }) => {
      return Promise.all([step.run("p1", () => 1), step.run("p2", () => 2)]);
    }),
    client.createFunction({ id: "loop", triggers: [{ event: "p/loop" }] }, async ({ step }) => {
      const out: number[] = [];
      for (let i = 0; i < 2; i++) out.push(await step.run("item", () => i));
      return out;
    }),
    client.createFunction({ id: "invoker", triggers: [{ event: "p/invoke" }] }, async ({ step }) => {
      const target = referenceFunction({ appId: "other-app", functionId: "await-approval" });
      return step.invoke("call-approval", { function: target, data: { collectionId: "x" } });
    }),
    client.createFunction(
      {
        id: "configured",
        retries: 5,
        triggers: [{ event: "p/configured", if: "event.data.ok == true" }],
        concurrency: { limit: 1, key: "event.data.collectionId" },
        idempotency: "event.data.requestId",
        singleton: { key: "event.data.collectionId", mode: "skip" },
        cancelOn: [{ event: "p/cancel", match: "data.collectionId", timeout: "1h" }],
        onFailure: async () => undefined,
      },
      async () => "ok",
    ),
  ];
}

type Raw = { status: number; headers: Headers; body: unknown };

// The SDK rejects (400) an event that matches none of the function's triggers.
const TRIGGER: Record<string, string> = {
  process: "p/process",
  sleepy: "p/sleep",
  waits: "p/wait",
  throws: "p/throw",
  "non-retriable": "p/nr",
  "retry-after": "p/ra",
  parallel: "p/par",
  loop: "p/loop",
  invoker: "p/invoke",
  nope: "p/none",
};
const triggerOf = (fnId: string) => TRIGGER[fnId.replace(/^contract-(cloud-)?/, "")] ?? "p/none";

async function post(app: AppServer, fnId: string, stepId: string, opts: { steps?: Record<string, Memo>; attempt?: number; maxAttempts?: number; disable?: boolean; signingKey?: string; rawSignature?: string } = {}): Promise<Raw> {
  const steps = opts.steps ?? {};
  const body = canonicalJson(
    buildCallBody({
      event: { name: triggerOf(fnId), data: { collectionId: "c1" } },
      steps,
      stack: Object.keys(steps),
      runId: "run-contract",
      attempt: opts.attempt ?? 0,
      maxAttempts: opts.maxAttempts ?? 3,
      disableImmediate: opts.disable ?? false,
    }),
  );
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.signingKey) headers["x-inngest-signature"] = signBody(body, opts.signingKey);
  if (opts.rawSignature) headers["x-inngest-signature"] = opts.rawSignature;
  const res = await fetch(`${app.url}?fnId=${fnId}&stepId=${stepId}`, { method: "POST", headers, body });
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
}

type Op = { id: string; op: string; name?: string; opts?: Record<string, unknown>; data?: unknown; error?: { message?: string } };
const ops = (r: Raw) => r.body as Op[];

describe("Inngest SDK wire protocol (dev mode)", () => {
  let app: AppServer;
  beforeAll(async () => {
    const client = new Inngest({ id: "contract", isDev: true, logger: silent });
    app = await startAppServer(client, defineFunctions(client));
  });
  afterAll(async () => app?.close());

  it("executes the first new step immediately and answers 206 StepRun keyed by sha1(step id)", async () => {
    const r = await post(app, "contract-process", "step");
    expect(r.status).toBe(206);
    expect(ops(r)).toHaveLength(1);
    expect(ops(r)[0]).toMatchObject({ op: "StepRun", id: sha1("fetch-items"), name: "fetch-items", data: { count: 3 } });
  });

  it("only plans when immediate execution is disabled, and runs a planned step by stepId", async () => {
    const planned = await post(app, "contract-process", "step", { disable: true });
    expect(ops(planned)[0]).toMatchObject({ op: "StepPlanned", id: sha1("fetch-items") });
    const ran = await post(app, "contract-process", sha1("fetch-items"), { disable: true });
    expect(ops(ran)[0]).toMatchObject({ op: "StepRun", id: sha1("fetch-items"), data: { count: 3 } });
  });

  it("reports StepError (retriable) before the last attempt and StepFailed on it", async () => {
    const steps = { [sha1("fetch-items")]: { type: "data" as const, data: { count: 3 } } };
    const first = await post(app, "contract-process", "step", { steps, attempt: 0, maxAttempts: 3 });
    expect(first.status).toBe(206);
    expect(first.headers.get("x-inngest-no-retry")).toBe("false");
    expect(ops(first)[0]).toMatchObject({ op: "StepError", id: sha1("transform"), error: { message: "transient failure in transform" } });
    const last = await post(app, "contract-process", "step", { steps, attempt: 2, maxAttempts: 3 });
    expect(last.headers.get("x-inngest-no-retry")).toBe("true");
    expect(ops(last)[0]).toMatchObject({ op: "StepFailed", id: sha1("transform"), error: { message: "transient failure in transform" } });
  });

  it("lets user code see a memoized step error and fails the run with 400 no-retry", async () => {
    const steps: Record<string, Memo> = {
      [sha1("fetch-items")]: { type: "data", data: { count: 3 } },
      [sha1("transform")]: { type: "error", error: { name: "Error", message: "always" } },
    };
    const r = await post(app, "contract-process", "step", { steps, attempt: 0 });
    expect(r.status).toBe(400);
    expect(r.headers.get("x-inngest-no-retry")).toBe("true");
    expect(r.body).toMatchObject({ message: "always" });
  });

  it("puts the Sleep duration in op.name and finishes when the sleep is memoized as null", async () => {
    const r = await post(app, "contract-sleepy", "step");
    expect(ops(r)[0]).toMatchObject({ op: "Sleep", id: sha1("cool-down"), name: "1s" });
    const done = await post(app, "contract-sleepy", "step", { steps: { [sha1("cool-down")]: null } });
    expect(done.status).toBe(200);
    expect(done.body).toBe("woke");
  });

  it("puts the WaitForEvent event name in op.name, with timeout and a CEL `if` from match", async () => {
    const r = await post(app, "contract-waits", "step");
    expect(ops(r)[0]).toMatchObject({
      op: "WaitForEvent",
      id: sha1("wait-approval"),
      name: "p/approved",
      opts: { timeout: "10s", if: "event.data.collectionId == async.data.collectionId" },
    });
    const timedOut = await post(app, "contract-waits", "step", { steps: { [sha1("wait-approval")]: null } });
    expect(timedOut).toMatchObject({ status: 200, body: { approvedBy: null } });
    const matched = await post(app, "contract-waits", "step", { steps: { [sha1("wait-approval")]: { type: "data", data: { name: "p/approved", data: { by: "ann" } } } } });
    expect(matched.body).toEqual({ approvedBy: "ann" });
  });

  it("answers a function-level throw with 500 (retry) and, on the last attempt, 400 no-retry", async () => {
    const first = await post(app, "contract-throws", "step", { attempt: 0, maxAttempts: 2 });
    expect(first.status).toBe(500);
    expect(first.headers.get("x-inngest-no-retry")).toBe("false");
    const last = await post(app, "contract-throws", "step", { attempt: 1, maxAttempts: 2 });
    expect(last.status).toBe(400);
    expect(last.headers.get("x-inngest-no-retry")).toBe("true");
    const nr = await post(app, "contract-non-retriable", "step", { attempt: 0, maxAttempts: 4 });
    expect(nr.status).toBe(400);
    expect(nr.body).toMatchObject({ name: "NonRetriableError", message: "nope" });
  });

  it("sends Retry-After for a RetryAfterError", async () => {
    const r = await post(app, "contract-retry-after", "step");
    expect(ops(r)[0]).toMatchObject({ op: "StepError", id: sha1("ra") });
    expect(r.headers.get("retry-after")).toBe("30");
  });

  it("plans parallel steps together", async () => {
    const r = await post(app, "contract-parallel", "step");
    expect(ops(r).map((o) => [o.op, o.id])).toEqual([
      ["StepPlanned", sha1("p1")],
      ["StepPlanned", sha1("p2")],
    ]);
  });

  it("hashes the n-th repeat of a step id as `<id>:<n>`", async () => {
    const r = await post(app, "contract-loop", "step", { steps: { [sha1("item")]: { type: "data", data: 0 } } });
    expect(ops(r)[0]).toMatchObject({ op: "StepRun", id: sha1("item:1"), data: 1 });
  });

  it("describes step.invoke as InvokeFunction with function_id and payload", async () => {
    const r = await post(app, "contract-invoker", "step");
    expect(ops(r)[0]).toMatchObject({ op: "InvokeFunction", id: sha1("call-approval"), opts: { function_id: "other-app-await-approval", payload: { data: { collectionId: "x" } } } });
  });

  it("rejects an event that matches none of the function's triggers with 400", async () => {
    const body = canonicalJson(buildCallBody({ event: { name: "p/other", data: {} }, steps: {}, stack: [], runId: "r", attempt: 0, maxAttempts: 1, disableImmediate: false }));
    const res = await fetch(`${app.url}?fnId=contract-sleepy&stepId=step`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(res.status).toBe(400);
  });

  it("answers an unknown function with 500", async () => {
    expect((await post(app, "contract-nope", "step")).status).toBe(500);
  });

  it("returns the function configs on an in-band sync, onFailure as a separate -failure function", async () => {
    const res = await fetch(app.url, { method: "PUT", headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band" }, body: JSON.stringify({ url: app.url }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-inngest-sync-kind")).toBe("in_band");
    const { functions } = (await res.json()) as { functions: Record<string, unknown>[] };
    const configured = functions.find((f) => f.id === "contract-configured");
    expect(configured).toMatchObject({
      triggers: [{ event: "p/configured", expression: "event.data.ok == true" }],
      steps: { step: { runtime: { url: `${app.url}?fnId=contract-configured&stepId=step` }, retries: { attempts: 5 } } },
      concurrency: { limit: 1, key: "event.data.collectionId" },
      idempotency: "event.data.requestId",
      singleton: { key: "event.data.collectionId", mode: "skip" },
      cancel: [{ event: "p/cancel", if: "event.data.collectionId == async.data.collectionId", timeout: "1h" }],
    });
    expect(functions.find((f) => f.id === "contract-configured-failure")).toMatchObject({
      triggers: [{ event: "inngest/function.failed", expression: "event.data.function_id == 'contract-configured'" }],
    });
    const defaults = functions.find((f) => f.id === "contract-sleepy") as { steps: { step: { retries?: unknown } } };
    expect(defaults.steps.step.retries).toBeUndefined();
  });

  it("never sends ctx.fn_id (it would switch the SDK to checkpointing)", async () => {
    const body = buildCallBody({ event: { name: "x", data: {} }, steps: {}, stack: [], runId: "r", attempt: 0, maxAttempts: 1, disableImmediate: false });
    expect(Object.keys(body.ctx as object)).not.toContain("fn_id");
    expect(body).toMatchObject({ version: 2, ctx: { use_api: false, max_attempts: 1, stack: { stack: [], current: 0 } } });
  });
});

describe("Inngest SDK wire protocol (cloud mode, signed requests)", () => {
  const signingKey = `signkey-test-${"ab".repeat(32)}`;
  let app: AppServer;
  beforeAll(async () => {
    const client = new Inngest({ id: "contract-cloud", isDev: false, signingKey, logger: silent });
    app = await startAppServer(client, defineFunctions(client));
  });
  afterAll(async () => app?.close());

  it("rejects unsigned and wrongly signed calls with 401", async () => {
    expect((await post(app, "contract-cloud-process", "step")).status).toBe(401);
    expect((await post(app, "contract-cloud-process", "step", { signingKey: `signkey-test-${"cd".repeat(32)}` })).status).toBe(401);
    expect((await post(app, "contract-cloud-process", "step", { rawSignature: `t=${Math.round(Date.now() / 1000) - 600}&s=00` })).status).toBe(401);
  });

  it("accepts calls signed by the executor's HMAC over the canonical body", async () => {
    const r = await post(app, "contract-cloud-process", "step", { signingKey });
    expect(r.status).toBe(206);
    expect(ops(r)[0]).toMatchObject({ op: "StepRun", id: sha1("fetch-items") });
    const viaClient = await callFunction({
      runtimeUrl: `${app.url}?fnId=contract-cloud-sleepy&stepId=step`,
      stepId: null,
      event: { name: "p/sleep", data: {} },
      steps: { [sha1("cool-down")]: null },
      stack: [sha1("cool-down")],
      runId: "r1",
      attempt: 0,
      maxAttempts: 4,
      disableImmediate: false,
      signingKey,
      timeoutMs: 5000,
    });
    expect(viaClient).toEqual({ kind: "done", data: "woke" });
  });

  it("requires a signature for in-band sync", async () => {
    const body = canonicalJson({ url: app.url });
    const headers = { "content-type": "application/json", "x-inngest-sync-kind": "in_band" };
    expect((await fetch(app.url, { method: "PUT", headers, body })).status).toBe(401);
    const signed = await fetch(app.url, { method: "PUT", headers: { ...headers, "x-inngest-signature": signBody(body, signingKey) }, body });
    expect(signed.status).toBe(200);
    expect(((await signed.json()) as { functions: unknown[] }).functions.length).toBeGreaterThan(5);
  });
});
