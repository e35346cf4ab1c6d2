import type { PreviewFiring } from "./preview";

export type SeriesSummary = { labels: string; firings: number; firingMs: number; lastFiredAt: string; stillFiring: boolean };

/** A series as an operator reads it: `collection=docs, type=INDEX`, or "no labels". */
export const seriesName = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(", ") || "no labels";

/** How long a firing lasted (one still firing: until `now`). */
export const firingMs = (f: Pick<PreviewFiring, "firedAt" | "resolvedAt">, now: Date) => Math.max(0, (f.resolvedAt ?? now).getTime() - f.firedAt.getTime());

/** The preview per series, the noisiest first: how often each would have fired and for how long in all. */
export function summarizeBySeries(firings: PreviewFiring[], now: Date): SeriesSummary[] {
  const by = new Map<string, SeriesSummary>();
  for (const f of firings) {
    const labels = seriesName(f.labels);
    const s = by.get(labels) ?? { labels, firings: 0, firingMs: 0, lastFiredAt: f.firedAt.toISOString(), stillFiring: false };
    s.firings++;
    s.firingMs += firingMs(f, now);
    if (f.firedAt.toISOString() >= s.lastFiredAt) {
      s.lastFiredAt = f.firedAt.toISOString();
      s.stillFiring = f.resolvedAt === null;
    }
    by.set(labels, s);
  }
  return [...by.values()].sort((a, b) => b.firings - a.firings || b.firingMs - a.firingMs || a.labels.localeCompare(b.labels));
}

/** 95 min → "1 h 35 min"; under a minute → "< 1 min". */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "< 1 min";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}
