import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./database";
import { stateFile } from "./fixtures";

test.use({ storageState: stateFile("viewer") });

const SHOTS = "test-results/operation-figures";
let sql: ReturnType<typeof e2eDatabase>;
const collectionIds: string[] = [];

/** A collection with runs of `type` an hour apart, oldest first, each with its figures and time by stage; returns the last one's id. */
async function seedRuns(type: string, runs: Array<{ ms: number; stages: Record<string, number> }>): Promise<string> {
  const [c] = await sql<{ id: string }[]>`insert into collections ${sql({ name: `figures-${randomUUID().slice(0, 8)}`, embedding_model: "builtin-hash", dimension: 384, chunk_size: 800, chunk_overlap: 100, vector_backend: "lancedb", status: "ready" })} returning id`;
  collectionIds.push(c!.id);
  const start = Date.now() - (runs.length + 1) * 3600_000;
  let id = "";
  for (const [i, run] of runs.entries()) {
    id = randomUUID();
    const created = new Date(start + i * 3600_000);
    await sql`insert into operations ${sql({ id, type, collection_id: c!.id, status: "succeeded", correlation_id: randomUUID(), created_at: created, started_at: created, finished_at: new Date(created.getTime() + run.ms) })}`;
    await sql`insert into operation_metrics ${sql({ operation_id: id, duration_ms: run.ms, cpu_user_ms: Math.round(run.ms * 0.7), cpu_system_ms: Math.round(run.ms * 0.1), peak_rss_bytes: 612 * 1048576, documents: 1200, chunks: 5400, vectors: 5400, bytes_read: 41 * 1048576, bytes_written: 12 * 1048576, embedding_calls: 22, embedding_tokens: 830_000 })}`;
    for (const [stage, ms] of Object.entries(run.stages)) await sql`insert into operation_stage_metrics ${sql({ operation_id: id, stage, total_ms: ms, calls: 22, items: 5400 })}`;
  }
  return id;
}

test.beforeAll(async () => {
  sql = e2eDatabase();
});
test.afterAll(async () => {
  if (collectionIds.length) await sql`delete from operations where collection_id in ${sql(collectionIds)}`;
  if (collectionIds.length) await sql`delete from collections where id in ${sql(collectionIds)}`;
  await sql?.end({ timeout: 5 });
});

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => errors.push(err.message));
  return errors;
}

async function shoot(page: Page, name: string) {
  const panel = page.getByTestId("operation-figures");
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme === "dark" ? "\\bdark\\b" : "^(?!.*\\bdark\\b)"));
    await panel.screenshot({ path: `${SHOTS}/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

const stages = (chunk: number, embed: number, store: number) => ({ chunk, embed, store, validate: 300, switch: 40 });

test("the operation page shows the figures, the time by stage and the comparison with the last five runs", async ({ page }) => {
  const errors = collectErrors(page);
  const id = await seedRuns("REINDEX", [
    { ms: 5000, stages: stages(400, 3000, 800) },
    { ms: 4000, stages: stages(400, 2000, 800) },
    { ms: 5000, stages: stages(400, 2900, 800) },
    { ms: 6000, stages: stages(400, 4000, 800) },
    { ms: 5000, stages: stages(400, 3000, 800) },
    { ms: 7000, stages: stages(420, 5100, 800) },
  ]);
  await page.goto(`/operations/${id}`);
  const panel = page.getByTestId("operation-figures");
  await expect(panel.getByTestId("comparison-sentence")).toHaveText("This reindex took 40 % longer than the median of the last five; the embed stage is where (+2.1 s).");
  await expect(panel.getByText("process CPU while it ran")).toBeVisible();
  await expect(panel.getByText("process peak")).toBeVisible();
  await expect(panel.getByText("41 MiB")).toBeVisible();
  await expect(panel.getByText("830,000")).toBeVisible();
  await expect(panel.getByTestId("stage-embed")).toContainText("5.1 s");
  await expect(panel.getByTestId("chart-stage-comparison").locator("path.recharts-rectangle").first()).toBeAttached();
  await expect(panel.getByRole("row")).toHaveCount(1 + 2 + 5);
  await shoot(page, "reindex");
  expect(errors).toEqual([]);
});

test("a first run says there is nothing to compare with yet", async ({ page }) => {
  const errors = collectErrors(page);
  const id = await seedRuns("INDEX", [{ ms: 3200, stages: { scan: 120, parse: 900, chunk: 80, embed: 1400, store: 500 } }]);
  await page.goto(`/operations/${id}`);
  const panel = page.getByTestId("operation-figures");
  await expect(panel.getByTestId("comparison-sentence")).toHaveText("This is the first index on this collection: there is no earlier successful run to compare with.");
  await expect(panel.getByTestId("chart-stage-comparison")).toHaveCount(0);
  await expect(panel.getByTestId("stage-bar")).toBeVisible();
  await shoot(page, "first-index");
  expect(errors).toEqual([]);
});
