import type { PointFilter } from "./types";
import { normalizeFilter, normalizePointId, type FilterCondition, type FilterValue } from "./validate";

/**
 * Payload keys the app filters and deletes by most (a document's or a source's points). Their string
 * values are mirrored into plain utf8 columns, so those predicates are column scans (or BTREE lookups)
 * instead of reading every point's JSON. Every other key is matched inside the JSON payload column.
 */
export const PROMOTED_KEYS = ["document_id", "source_id", "collection_id"] as const;
const promoted = new Set<string>(PROMOTED_KEYS);

/** A SQL string literal: quotes are doubled; backslashes are literal in LanceDB's SQL dialect. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function inList(column: string, literals: string[]): string {
  return literals.length === 1 ? `${column} = ${literals[0]}` : `${column} IN (${literals.join(", ")})`;
}

/**
 * `json_extract` returns the value's JSON text, so comparing with JSON.stringify(value) is
 * type-exact: 3 does not match "3" and true does not match "true" (as in Qdrant).
 */
function jsonPredicate(key: string, values: FilterValue[]): string {
  return inList(`json_extract(payload, '$.${key}')`, values.map((v) => sqlString(JSON.stringify(v))));
}

function conditionSql({ key, values }: FilterCondition): string {
  if (!promoted.has(key)) return jsonPredicate(key, values);
  const strings = values.filter((v): v is string => typeof v === "string");
  const others = values.filter((v) => typeof v !== "string");
  const parts: string[] = [];
  if (strings.length) parts.push(inList(key, strings.map(sqlString)));
  if (others.length) parts.push(jsonPredicate(key, others));
  return parts.length === 1 ? parts[0]! : `(${parts.join(" OR ")})`;
}

/**
 * The WHERE clause for a filter: "" when there is none, null when it can match nothing (an empty
 * membership list). Keys were checked against a plain-identifier pattern by normalizeFilter.
 */
export function filterToSql(filter: PointFilter | undefined): string | null {
  const conditions = normalizeFilter(filter);
  if (conditions === null) return null;
  return conditions.map(conditionSql).join(" AND ");
}

export function idsToSql(ids: string[]): string {
  return inList("id", ids.map((id) => sqlString(normalizePointId(id))));
}

export function andSql(...parts: Array<string | null | undefined>): string {
  const present = parts.filter((p): p is string => !!p);
  return present.length <= 1 ? (present[0] ?? "") : present.map((p) => `(${p})`).join(" AND ");
}
