import type { Schemas } from "@qdrant/js-client-rest";
import type { PointFilter } from "./types";
import { normalizeFilter, type FilterCondition } from "./validate";

type Condition = Schemas["Condition"];
export type QdrantFilter = Schemas["Filter"];

/**
 * Qdrant matches keywords, integers and booleans exactly (`match`), but not floats: a float equality
 * becomes a one-point range. `match.any` takes strings or integers, not both, so a mixed list
 * becomes a `should` of one condition per kind.
 */
function conditionToQdrant({ key, values }: FilterCondition): Condition {
  const strings = values.filter((v): v is string => typeof v === "string");
  const integers = values.filter((v): v is number => typeof v === "number" && Number.isInteger(v));
  const floats = values.filter((v): v is number => typeof v === "number" && !Number.isInteger(v));
  const booleans = [...new Set(values.filter((v): v is boolean => typeof v === "boolean"))];
  const parts: Condition[] = [];
  if (strings.length) parts.push({ key, match: strings.length === 1 ? { value: strings[0]! } : { any: strings } });
  if (integers.length) parts.push({ key, match: integers.length === 1 ? { value: integers[0]! } : { any: integers } });
  for (const b of booleans) parts.push({ key, match: { value: b } });
  for (const f of floats) parts.push({ key, range: { gte: f, lte: f } });
  return parts.length === 1 ? parts[0]! : { should: parts };
}

/** undefined: no filter; null: the filter matches no point (an empty membership list). */
export function toQdrantFilter(filter: PointFilter | undefined): QdrantFilter | undefined | null {
  const conditions = normalizeFilter(filter);
  if (conditions === null) return null;
  if (conditions.length === 0) return undefined;
  return { must: conditions.map(conditionToQdrant) };
}
