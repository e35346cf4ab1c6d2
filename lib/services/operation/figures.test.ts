import { describe, expect, it } from "vitest";
import { seedFiguresHistory } from "@/db/test/figures-history";
import { actorContext, createTestUser } from "@/db/test/factories";
import { apiRequest, params, setTestAuthEnv, signedInCookie } from "@/lib/auth/test-support/session-cookie";
import { GET as figuresRoute } from "@/app/api/v1/operations/[id]/figures/route";
import { getOperationFigures } from "./figures";

setTestAuthEnv();

const stages = (chunk: number, embed: number, store: number) => ({ chunk, embed, store, validate: 300, switch: 40 });

describe("operation figures", () => {
  it("compares a run with the last five that succeeded of its type on its collection, over REST", async () => {
    const { current, operationIds } = await seedFiguresHistory({
      runs: [
        { durationMs: 1000, stages: stages(100, 500, 200) }, // past the window of five
        { durationMs: 5000, stages: stages(400, 3000, 800) },
        { durationMs: 4000, stages: stages(400, 2000, 800) },
        { durationMs: 9000, status: "failed", stages: stages(400, 8000, 300) }, // failed: not compared
        { durationMs: 5000, stages: stages(400, 2900, 800) },
        { durationMs: 6000, stages: stages(400, 4000, 800) },
        { durationMs: 5000, stages: stages(400, 3000, 800) },
        { durationMs: 7000, stages: stages(420, 5100, 800) },
      ],
    });
    const viewer = await createTestUser("viewer");
    const { cookie } = await signedInCookie(viewer.email);
    const response = await figuresRoute(apiRequest(`/api/v1/operations/${current}/figures`, { cookie }), params({ id: current }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { comparison: { runs: number; deltaPct: number; sentence: string }; earlier: Array<{ operationId: string }>; stages: Array<{ stage: string }>; figures: { bytesRead: number; embeddingTokens: number }; chart: unknown[] } };
    const { data } = body;
    expect(data.comparison).toMatchObject({ runs: 5, deltaPct: 40, sentence: "This reindex took 40 % longer than the median of the last five; the embed stage is where (+2.1 s)." });
    expect(data.earlier.map((e) => e.operationId)).toEqual([operationIds[6], operationIds[5], operationIds[4], operationIds[2], operationIds[1]]);
    expect(data.stages.map((s) => s.stage)).toEqual(["chunk", "embed", "store", "validate", "switch"]);
    expect(data.figures).toMatchObject({ bytesRead: 40 * 1048576, embeddingTokens: 830_000 });
    expect(data.chart).toHaveLength(6);
  });

  it("is an empty state for the first run, and compares only with earlier runs", async () => {
    const { operationIds } = await seedFiguresHistory({ type: "INDEX", runs: [{ durationMs: 2000, stages: { parse: 900 } }, { durationMs: 3000, stages: { parse: 1500 } }] });
    const ctx = await actorContext("viewer");
    const first = await getOperationFigures({ ctx, input: { operationId: operationIds[0]! } });
    expect(first.comparison).toMatchObject({ runs: 0, sentence: "This is the first index on this collection: there is no earlier successful run to compare with." });
    const second = await getOperationFigures({ ctx, input: { operationId: operationIds[1]! } });
    expect(second.comparison.sentence).toBe("This index took 50 % longer than the last run; the parse stage is where (+600 ms).");
  });

  it("answers 404 for an unknown operation and one that is not an id", async () => {
    const viewer = await createTestUser("viewer");
    const { cookie } = await signedInCookie(viewer.email);
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await figuresRoute(apiRequest(`/api/v1/operations/${missing}/figures`, { cookie }), params({ id: missing }))).status).toBe(404);
    expect((await figuresRoute(apiRequest(`/api/v1/operations/nope/figures`, { cookie }), params({ id: "nope" }))).status).toBe(404);
    expect((await figuresRoute(apiRequest(`/api/v1/operations/${missing}/figures`), params({ id: missing }))).status).toBe(401);
  });
});
