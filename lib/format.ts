/** Formatting shared by pages and messages; pure, so client components may import it. */

const UNITS = ["KiB", "MiB", "GiB", "TiB"];

/** 1536 → "1.5 KiB"; operators read sizes, not byte counts. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");

/** "YYYY-MM-DD HH:MM:SS" in UTC, whatever offset the database wrote into its JSON. */
export function formatUtc(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace("T", " ").slice(0, 19);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  // Whole seconds first, so 119.6 s reads "2 min 0 s", never "1 min 60 s".
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${total % 60} s`;
}
