import fs from "node:fs/promises";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditLog } from "@/db/schema/audit-log";
import { backupSchedules } from "@/db/schema/backup-schedules";
import { backups } from "@/db/schema/backups";
import { collections } from "@/db/schema/collections";
import { actorContext } from "@/db/test/factories";
import { auditRowsOf } from "@/db/test/audit";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import type { ServiceContext } from "@/lib/services/context";

const WORDS = "berth crane manifest pallet reefer hatch lashing draft ballast quay tug pilot customs bonded yard gantry stow".split(" ");

async function writeDocs(dir: string, count: number) {
  await fs.mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const words = Array.from({ length: 120 }, (_, j) => (j % 4 === 3 ? `own${i}x${j % 13}` : `${WORDS[(i * 3 + j) % WORDS.length]}${i}`));
    await fs.writeFile(path.join(dir, `doc-${i}.md`), `# Document ${i}\n\n${words.join(" ")}.\n`);
  }
}

/**
 * Schedules through the real executor: its cron trigger ticks every second here
 * (STEVEDORE_BACKUP_SCHEDULER_CRON with croner's seconds field), the schedules' own crons too.
 */
describe("backup schedules, retention and restore drills, by themselves", () => {
  let h: PipelineHarness;
  let operator: ServiceContext;
  let viewer: ServiceContext;
  let sched: typeof import("@/lib/services/backup/schedule");

  beforeAll(async () => {
    h = await startPipelineHarness({ STEVEDORE_PIPELINE_BATCH_SIZE: "20", STEVEDORE_DISK_MARGIN_BYTES: "0", STEVEDORE_BACKUP_SCHEDULER_CRON: "* * * * * *" });
    sched = await import("@/lib/services/backup/schedule");
    [operator, viewer] = await Promise.all([actorContext("operator"), actorContext("viewer")]);
  }, 60_000);
  afterAll(async () => h?.close());

  async function indexed(name: string, docs: number) {
    const dir = path.join(h.root, name);
    await writeDocs(dir, docs);
    const { collectionId, operationId } = await h.svc.createCollection({ ctx: operator, input: { name, source: { kind: "directory", name: "main", path: dir }, chunkSize: 200, chunkOverlap: 20 } });
    expect((await h.finished(operator, operationId, 120_000)).status).toBe("succeeded");
    return collectionId;
  }
  const scheduled = (scheduleId: string) => getDb().select().from(backups).where(eq(backups.scheduleId, scheduleId));

  it("refuses a viewer and a bad cron, audits a save and a delete", async () => {
    const collectionId = await indexed("sch-verbs", 2);
    await expect(sched.saveBackupSchedule({ ctx: viewer, input: { collectionId, cron: "0 3 * * *" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(sched.saveBackupSchedule({ ctx: operator, input: { collectionId, cron: "every day", keepLast: 0 } })).rejects.toMatchObject({ fieldErrors: { cron: [expect.stringMatching(/fields/)], keepLast: [expect.any(String)] } });
    const saved = await sched.saveBackupSchedule({ ctx: operator, input: { collectionId, cron: "0 3 * * *", keepLast: "7", drillCron: "" } });
    expect(saved).toMatchObject({ cron: "0 3 * * *", keepLast: 7, keepDays: null, drillCron: null, enabled: true });
    const again = await sched.saveBackupSchedule({ ctx: operator, input: { collectionId, cron: "0 4 * * *", enabled: false } });
    expect(again.id).toBe(saved.id);
    await expect(sched.deleteBackupSchedule({ ctx: viewer, input: { scheduleId: saved.id } })).rejects.toMatchObject({ code: "forbidden" });
    await sched.deleteBackupSchedule({ ctx: operator, input: { scheduleId: saved.id } });
    expect(await sched.listBackupSchedules({ ctx: viewer })).not.toContainEqual(expect.objectContaining({ collectionName: "sch-verbs" }));
    expect((await auditRowsOf(viewer.correlationId)).map((r) => `${r.action}:${r.outcome}`)).toEqual(["backup_schedule.save:denied", "backup_schedule.delete:denied"]);
    expect((await auditRowsOf(operator.correlationId)).map((r) => `${r.action}:${r.outcome}`)).toEqual(expect.arrayContaining(["backup_schedule.save:failure", "backup_schedule.save:success", "backup_schedule.delete:success"]));
  }, 120_000);

  it("takes backups by itself and prunes to keepLast, keeping the only verified backup", async () => {
    const collectionId = await indexed("sch-retain", 6);
    const schedule = await sched.saveBackupSchedule({ ctx: operator, input: { collectionId, cron: "*/2 * * * * *", keepLast: 1 } });
    const first = await waitFor(async () => (await scheduled(schedule.id)).find((b) => b.status === "complete"), 60_000, "a first scheduled backup");
    expect(first).toMatchObject({ collectionId, createdBy: null, kind: "full", pointCount: expect.any(Number) });
    expect(first.pointCount).toBeGreaterThan(0);
    const verify = await h.svc.startVerifyBackup({ ctx: operator, input: { backupId: first.id } });
    expect((await h.finished(operator, verify.operationId)).status).toBe("succeeded");

    // Three more scheduled backups go through, each pruning what keepLast 1 no longer keeps.
    const taken = new Set<string>();
    await waitFor(async () => {
      for (const b of await scheduled(schedule.id)) if (b.status === "complete") taken.add(b.id);
      return taken.size >= 4 || undefined;
    }, 90_000, "four scheduled backups");
    await sched.saveBackupSchedule({ ctx: operator, input: { collectionId, cron: "*/2 * * * * *", keepLast: 1, enabled: false } });
    const left = await waitFor(async () => {
      const rows = await scheduled(schedule.id);
      return rows.every((b) => b.status !== "running") && rows.filter((b) => b.status === "complete").length === 2 ? rows : undefined;
    }, 60_000, "retention to prune down to the newest and the verified one");
    const kept = left.filter((b) => b.status === "complete");
    expect(kept.map((b) => b.id)).toContain(first.id);
    const newest = [...taken].filter((id) => id !== first.id);
    expect(kept.some((b) => b.id !== first.id && newest.includes(b.id))).toBe(true);
    // What was pruned is gone, row and file, deleted by the system and audited.
    const pruned = [...taken].filter((id) => !kept.some((b) => b.id === id));
    expect(pruned.length).toBeGreaterThanOrEqual(2);
    const audits = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "backup.delete"), inArray(auditLog.targetId, pruned)));
    expect(audits.map((a) => `${a.actorType}:${a.outcome}`)).toEqual(pruned.map(() => "system:success"));
    for (const id of pruned) await expect(fs.stat(path.join(path.dirname(first.path), `${id}.jsonl.gz`))).rejects.toThrow();
  }, 240_000);

  it("starts a slot once even when two ticks run it at the same time", async () => {
    const { startDueBackups } = await import("./schedule-run");
    const collectionId = await indexed("sch-once", 2);
    const schedule = await sched.saveBackupSchedule({ ctx: operator, input: { collectionId, cron: "0 0 1 1 *" } });
    // Its yearly slot came since it was made (the mark set back a year).
    await getDb().update(backupSchedules).set({ lastRunAt: new Date(Date.now() - 400 * 86_400_000) }).where(eq(backupSchedules.id, schedule.id));
    const now = new Date();
    const [a, b] = await Promise.all([startDueBackups(now), startDueBackups(now)]);
    expect([...a, ...b].filter((s) => s.scheduleId === schedule.id)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 2500)); // the executor's own ticks meanwhile
    expect(await scheduled(schedule.id)).toHaveLength(1);
  }, 120_000);

  it("drills by itself: restores into a scratch collection, runs golden and sample queries, records the result, removes the scratch", async () => {
    const collectionId = await indexed("sch-drill", 8);
    await h.svc.createGoldenQuery({ ctx: operator, input: { collectionId, query: `${WORDS[9]}3 own3x3 own3x7`, expected: ["doc-3.md"] } });
    const manual = await h.svc.startBackup({ ctx: operator, input: { collectionId } });
    expect((await h.finished(operator, manual.operationId, 120_000)).status).toBe("succeeded");
    await sched.saveBackupSchedule({ ctx: operator, input: { collectionId, cron: "0 0 1 1 *", drillCron: "*/3 * * * * *" } });

    const drilled = await waitFor(async () => {
      const [b] = await getDb().select().from(backups).where(eq(backups.id, manual.backupId));
      return b?.drilledAt ? b : undefined;
    }, 120_000, "a drill to record its result");
    await sched.saveBackupSchedule({ ctx: operator, input: { collectionId, cron: "0 0 1 1 *", enabled: false } });
    expect(drilled.drillReport?.errors).toEqual([]);
    expect(drilled.drillOk).toBe(true);
    const report = drilled.drillReport!;
    expect(report.scratch).toMatch(/^drill-sch-drill-\d{14}$/);
    expect(report.points).toBe(drilled.pointCount);
    expect(report.goldenRecall).toBe(1);
    expect(report.queries.filter((q) => q.kind === "sample").length).toBeGreaterThanOrEqual(3);
    expect(report.queries.every((q) => q.hits > 0)).toBe(true);
    // The scratch goes once the verdict is kept (and any drill still under way finishes the same way).
    await waitFor(async () => ((await getDb().select({ name: collections.name }).from(collections)).some((c) => c.name.startsWith("drill-sch-drill-")) ? undefined : true), 60_000, "the scratch collection to be deleted");
    const audit = await getDb().select().from(auditLog).where(and(eq(auditLog.action, "backup.drill"), eq(auditLog.targetId, manual.backupId)));
    expect(audit[0]).toMatchObject({ actorType: "system", outcome: "success" });
  }, 240_000);
});
