import { describe, expect, it } from "vitest";
import { backupFlags, cronError, drillCollectionName, dueSlot, lastProven, prunableBackups, type RetentionCandidate } from "./schedule";
import { CollectionName } from "@/lib/services/collection/schemas";

const at = (iso: string) => new Date(iso);
const day = 86_400_000;

describe("cron slots", () => {
  it("reads 5 and 6 fields (seconds first) and refuses the rest", () => {
    expect(cronError("0 3 * * *")).toBeNull();
    expect(cronError("*/5 * * * * *")).toBeNull();
    expect(cronError("0 3 * *")).toMatch(/5 fields/);
    expect(cronError("99 3 * * *")).toMatch(/cron/);
  });

  it("is due once per slot: the latest slot after the mark, nothing before the next", () => {
    const now = at("2026-03-10T03:00:30Z");
    expect(dueSlot("0 3 * * *", at("2026-03-09T12:00:00Z"), now)).toEqual(at("2026-03-10T03:00:00Z"));
    // The slot just claimed is not due again.
    expect(dueSlot("0 3 * * *", at("2026-03-10T03:00:00Z"), now)).toBeNull();
    // After downtime only the latest missed slot runs, not a backlog.
    expect(dueSlot("0 * * * *", at("2026-03-01T00:00:00Z"), now)).toEqual(at("2026-03-10T03:00:00Z"));
    expect(dueSlot("*/10 * * * * *", at("2026-03-10T03:00:19Z"), now)).toEqual(at("2026-03-10T03:00:30Z"));
  });
});

describe("retention", () => {
  const now = at("2026-03-10T00:00:00Z");
  const b = (id: string, daysAgo: number, extra: Partial<RetentionCandidate> = {}): RetentionCandidate => ({ id, status: "complete", createdAt: new Date(now.getTime() - daysAgo * day), verifiedOk: null, ...extra });

  it("keeps the newest N, or those younger than N days, or what either keeps when both are set", () => {
    const all = [b("a", 0), b("b", 1), b("c", 2), b("d", 3), b("e", 10)];
    expect(prunableBackups(all, { keepLast: 2, keepDays: null }, 1, now).sort()).toEqual(["c", "d", "e"]);
    expect(prunableBackups(all, { keepLast: null, keepDays: 2.5 }, 1, now).sort()).toEqual(["d", "e"]);
    expect(prunableBackups(all, { keepLast: 4, keepDays: 1.5 }, 1, now)).toEqual(["e"]);
    expect(prunableBackups(all, { keepLast: null, keepDays: null }, 0, now)).toEqual([]);
  });

  it("never prunes the collection's only verified backup, and leaves running ones alone", () => {
    const all = [b("new", 0), b("mid", 1), b("old", 5, { verifiedOk: true }), b("run", 6, { status: "running" })];
    expect(prunableBackups(all, { keepLast: 1, keepDays: null }, 0, now)).toEqual(["mid"]);
    // Verified elsewhere (another schedule's or a manual backup): the rules apply.
    expect(prunableBackups(all, { keepLast: 1, keepDays: null }, 1, now).sort()).toEqual(["mid", "old"]);
  });

  it("drops failed backups older than the newest kept one", () => {
    const all = [b("fail-new", 0, { status: "failed" }), b("ok", 1), b("fail-old", 2, { status: "failed" })];
    expect(prunableBackups(all, { keepLast: 1, keepDays: null }, 1, now)).toEqual(["fail-old"]);
  });
});

describe("flags", () => {
  const now = at("2026-03-10T12:00:00Z");
  const backup = (hoursAgo: number, extra: Partial<Parameters<typeof backupFlags>[0]["backups"][number]> = {}) => ({ status: "complete" as const, createdAt: new Date(now.getTime() - hoursAgo * 3_600_000), pointCount: 100, kind: "full" as const, verifiedOk: true, drillOk: null, drilledAt: null, ...extra });

  it("says nothing of a collection backed up, verified and on time", () => {
    expect(backupFlags({ points: 100, backups: [backup(0.9)], schedule: { cron: "0 * * * *", enabled: true, createdAt: at("2026-01-01T00:00:00Z") } }, now)).toEqual([]);
  });

  it("flags a failed latest backup, an empty one, one older than its schedule allows, and one never verified", () => {
    const kinds = (input: Parameters<typeof backupFlags>[0]) => backupFlags(input, now).map((f) => f.kind);
    expect(kinds({ points: 100, backups: [backup(1, { status: "failed" }), backup(3)], schedule: null })).toEqual(["failed"]);
    expect(kinds({ points: 100, backups: [backup(1, { pointCount: 0 })], schedule: null })).toEqual(["empty"]);
    expect(kinds({ points: 0, backups: [backup(1, { pointCount: 0 })], schedule: null })).toEqual([]);
    expect(kinds({ points: 100, backups: [backup(3)], schedule: { cron: "0 * * * *", enabled: true, createdAt: at("2026-01-01T00:00:00Z") } })).toEqual(["stale"]);
    // A schedule made after its previous slot is not late yet.
    expect(kinds({ points: 100, backups: [], schedule: { cron: "0 * * * *", enabled: true, createdAt: at("2026-03-10T11:30:00Z") } })).toEqual([]);
    expect(kinds({ points: 100, backups: [backup(1, { verifiedOk: null })], schedule: null })).toEqual(["unverified"]);
    expect(kinds({ points: 100, backups: [backup(1, { verifiedOk: null, drillOk: true })], schedule: null })).toEqual([]);
  });

  it("knows when a backup was last proven restorable", () => {
    expect(lastProven([backup(1, { drillOk: false, drilledAt: at("2026-03-10T11:00:00Z") }), backup(5, { drillOk: true, drilledAt: at("2026-03-10T08:00:00Z") })])).toEqual(at("2026-03-10T08:00:00Z"));
    expect(lastProven([backup(1)])).toBeNull();
  });
});

describe("drill collection names", () => {
  it("stay within the collection name rules, even for the longest names", () => {
    const when = at("2026-03-10T04:05:06Z");
    expect(drillCollectionName("docs", when)).toBe("drill-docs-20260310040506");
    for (const name of ["a".repeat(63), "x_".repeat(31) + "y", "ab-" + "c".repeat(60)]) {
      const drill = drillCollectionName(name, when);
      expect(CollectionName.safeParse(drill).success, drill).toBe(true);
    }
  });
});
