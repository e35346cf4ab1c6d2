import { z } from "zod";
import type { VectorLayout } from "@/db/schema/collections";

export type { VectorLayout } from "@/db/schema/collections";

const whole = (min: number, max: number, what: string) =>
  z.coerce.number({ message: `${what}: a whole number.` }).int({ message: `${what}: a whole number.` }).min(min, { message: `At least ${min}.` }).max(max, { message: `At most ${max}.` });

/**
 * The Qdrant layout a collection's versions are created with. Lower bounds are Qdrant's own
 * (ef_construct ≥ 4, shard_number ≥ 1, replication_factor ≥ 1; m 0 builds no HNSW graph); upper ones ours.
 * Anything left out takes the server's default, which suits a single Qdrant node.
 */
export const VectorLayoutInput = z
  .object({
    vectorsOnDisk: z.boolean().optional(),
    hnswM: whole(0, 128, "HNSW m").optional(),
    hnswEfConstruct: whole(4, 4096, "HNSW ef_construct").optional(),
    shardNumber: whole(1, 256, "Shards").optional(),
    replicationFactor: whole(1, 16, "Replication factor").optional(),
  })
  .strict()
  .default({});

/** A flat form's layout fields (empty: the server's default; the checkbox is "on" when ticked). */
export function vectorLayoutFromForm(f: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (f.vectorsOnDisk !== undefined && f.vectorsOnDisk !== "") out.vectorsOnDisk = f.vectorsOnDisk === true || f.vectorsOnDisk === "on" || f.vectorsOnDisk === "true";
  for (const key of ["hnswM", "hnswEfConstruct", "shardNumber", "replicationFactor"] as const) {
    if (f[key] !== undefined && f[key] !== "") out[key] = f[key];
  }
  return out;
}

// Qdrant's defaults (config/config.yaml: hnsw_index m 16, ef_construct 100, replication_factor 1;
// CreateCollection.shard_number: 1 standalone, else one per node), shown beside what was left unset.
const SERVER_DEFAULTS: Record<keyof VectorLayout, string> = {
  vectorsOnDisk: "in memory",
  hnswM: "16",
  hnswEfConstruct: "100",
  shardNumber: "1 on one node, else one per node",
  replicationFactor: "1",
};

/** Each setting as the Settings tab shows it: the value chosen, or the server's default. */
export function describeVectorLayout(layout: VectorLayout): Array<{ key: keyof VectorLayout; label: string; value: string; defaulted: boolean }> {
  const labels: Record<keyof VectorLayout, string> = {
    vectorsOnDisk: "Vectors",
    hnswM: "HNSW m",
    hnswEfConstruct: "HNSW ef_construct",
    shardNumber: "Shards",
    replicationFactor: "Replication factor",
  };
  return (Object.keys(labels) as Array<keyof VectorLayout>).map((key) => {
    const v = layout[key];
    if (v === undefined) return { key, label: labels[key], value: `server default (${SERVER_DEFAULTS[key]})`, defaulted: true };
    const value = key === "vectorsOnDisk" ? (v ? "on disk" : "in memory") : String(v);
    return { key, label: labels[key], value, defaulted: false };
  });
}
