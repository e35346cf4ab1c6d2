import { RetryAfterError, type Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./test-support/harness";
import { testDatabaseUrl } from "@/db/test/database";

const SIGNING_KEY = `signkey-test-${"5e".repeat(32)}`;
const retryTimes: number[] = [];

function functions(client: Inngest.Any) {
  const polite = client.createFunction({ id: "polite", retries: 2, triggers: [{ event: "s/polite" }] }, async ({ step }) => {
    const started = await step.run("start", () => Date.now());
    await step.run("rate-limited", () => {
      retryTimes.push(Date.now());
      if (retryTimes.length === 1) throw new RetryAfterError("slow down", 1500);
      return "ok";
    });
    return { waitedMs: retryTimes[1]! - retryTimes[0]!, started };
  });
  return [polite];
}

/** Cloud mode: the app rejects unsigned calls, so a completed run proves the executor signs correctly. */
describe("local executor against an app in cloud mode (signed calls)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseUrl: testDatabaseUrl(), appId: "exec-signed", functions, signingKey: SIGNING_KEY });
  });
  afterAll(async () => h?.close());

  it("syncs and runs a function with signed requests, honouring Retry-After", async () => {
    const { ids } = await h.client.send({ name: "s/polite", data: {} });
    const [run] = await h.runsOfEvent(ids[0]!);
    const done = await h.waitForStatus(run!.id, ["completed", "failed"], 10_000);
    expect(done.status).toBe("completed");
    // The retry base delay is 20 ms in tests: only Retry-After explains a wait of over a second.
    expect((done.output as { waitedMs: number }).waitedMs).toBeGreaterThanOrEqual(1400);
  });

  it("requires the signing key as a bearer token on the REST API", async () => {
    const { ids } = await h.client.send({ name: "s/polite", data: {} });
    const [run] = await h.runsOfEvent(ids[0]!);
    expect((await fetch(`${h.executor.url}/v1/runs/${run!.id}`)).status).toBe(401);
    const ok = await fetch(`${h.executor.url}/v1/runs/${run!.id}`, { headers: { authorization: `Bearer ${SIGNING_KEY}` } });
    expect(ok.status).toBe(200);
  });
});
