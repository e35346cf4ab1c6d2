import { DataType, Field, FixedSizeList, Float32, makeData, RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from "apache-arrow";
import type { Distance, Payload } from "./types";
import { PROMOTED_KEYS } from "./lancedb-sql";
import { VectorStoreError } from "./validate";

/**
 * One Lance table per collection: `id` (utf8, the merge key), `vector` (fixed-size list of float32),
 * the promoted filter keys as utf8 columns, and `payload`: the whole payload as Lance's JSON type
 * (JSONB on disk, filterable with json_extract). The arrow.json extension marks it for conversion.
 */
const JSON_EXTENSION = new Map([["ARROW:extension:name", "arrow.json"]]);
const DISTANCE_KEY = "stevedore.distance";
const FORMAT_KEY = "stevedore.format";
const DISTANCES: readonly Distance[] = ["cosine", "dot", "euclid"];

export type PreparedPoint = { id: string; vector: Float32Array; payload: Payload };

// `id` as the table's primary key makes concurrent merge-inserts of the same new ids conflict and
// retry instead of both inserting (measured: without it, two writers left duplicates).
const PRIMARY_KEY = new Map([["lance-schema:unenforced-primary-key:position", "1"]]);

function fields(dimension: number, primaryKey = false): Field[] {
  return [
    new Field("id", new Utf8(), false, primaryKey ? PRIMARY_KEY : undefined),
    new Field("vector", new FixedSizeList(dimension, new Field("item", new Float32(), true)), false),
    ...PROMOTED_KEYS.map((key) => new Field(key, new Utf8(), true)),
    new Field("payload", new Utf8(), true, JSON_EXTENSION),
  ];
}

/** The schema a collection is created with; its metadata records the distance (Lance has no such notion). */
export function collectionSchema(dimension: number, distance: Distance): Schema {
  return new Schema(fields(dimension, true), new Map([[DISTANCE_KEY, distance], [FORMAT_KEY, "1"]]));
}

/** Dimension and distance read back from a table's schema; an error for tables this adapter did not create. */
export function describeSchema(schema: Schema, table: string): { dimension: number; distance: Distance } {
  const vector = schema.fields.find((f) => f.name === "vector");
  const distance = schema.metadata.get(DISTANCE_KEY) as Distance | undefined;
  // By type id, not instanceof: LanceDB may hand back classes from its own copy of apache-arrow.
  if (!vector || !DataType.isFixedSizeList(vector.type) || !distance || !DISTANCES.includes(distance)) {
    throw new VectorStoreError(`Table ${table} is not a Stevedore collection (no vector column or distance)`);
  }
  return { dimension: (vector.type as FixedSizeList).listSize, distance };
}

function utf8Column(values: Array<string | null>) {
  return vectorFromArray(values, new Utf8()).data[0]!;
}

/** Points as one Arrow record batch in the collection's layout (vectors copied into one flat buffer). */
export function pointsToTable(points: PreparedPoint[], dimension: number): Table {
  if (points.length === 0) throw new VectorStoreError("pointsToTable needs at least one point");
  const flat = new Float32Array(points.length * dimension);
  points.forEach((p, i) => flat.set(p.vector, i * dimension));
  const schemaFields = fields(dimension);
  const vectorType = schemaFields[1]!.type as FixedSizeList<Float32>;
  const children = [
    utf8Column(points.map((p) => p.id)),
    makeData({ type: vectorType, length: points.length, nullCount: 0, child: makeData({ type: new Float32(), length: flat.length, data: flat }) }),
    ...PROMOTED_KEYS.map((key) => utf8Column(points.map((p) => (typeof p.payload[key] === "string" ? (p.payload[key] as string) : null)))),
    utf8Column(points.map((p) => JSON.stringify(p.payload))),
  ];
  const schema = new Schema(schemaFields);
  const struct = makeData({ type: new Struct<Record<string, DataType>>(schemaFields), length: points.length, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** A row as LanceDB's query returns it (payload converted back from JSONB to JSON text). */
export type LanceRow = {
  id: string;
  payload: string | null;
  vector?: { toArray(): Float32Array };
  _distance?: number;
};

export function parsePayload(text: string | null): Payload {
  return text ? (JSON.parse(text) as Payload) : {};
}

/** A copy: the Arrow vector is a view into a batch buffer that is reused once the batch is gone. */
export function rowVector(row: LanceRow): Float32Array {
  return Float32Array.from(row.vector!.toArray());
}

/** Higher is more similar: cosine and dot give the similarity back (Lance returns 1 - it); euclid gives -distance. */
export function scoreFromDistance(distance: Distance, d: number): number {
  if (distance === "euclid") return 0 - Math.sqrt(Math.max(0, d)); // Lance's l2 is squared; 0 - x: no -0 for an exact match
  return 1 - d;
}

export const lanceMetric = (distance: Distance) => (distance === "euclid" ? "l2" : distance);
