import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { recordEvents, type StageChange } from "./stages";

/** What a copy shows while its original is a dead letter. */
export const DUPLICATE_OF_DEAD = "duplicate_of_dead";
const SKIPPED = "Same content as another document in this collection: skipped.";

type Followed = { id: string; stage: "dead" | "complete"; error_class: string; message: string };

/**
 * A duplicate takes the fate of its original: copies of `dead` originals become dead letters
 * that name it, copies of `complete` ones (a dead original retried) complete again. Copies are
 * found through the content-hash index, and only while they still share the original's content.
 */
export async function followOriginals(db: Executor, operationId: string, settled: { dead: string[]; complete: string[] }): Promise<number> {
  if (settled.dead.length === 0 && settled.complete.length === 0) return 0;
  const followed = (await db.execute(sql`
    with originals as (
      select o.id, o.collection_id, o.content_hash, o.stage, o.path, o.error_stage, o.error_class
      from documents o
      where o.id in ${[...settled.dead, ...settled.complete]} and o.content_hash is not null and o.duplicate_of is null
    )
    update documents dup set
      stage = o.stage, stage_changed_at = now(), updated_at = now(),
      error_stage = case when o.stage = 'dead' then o.error_stage end,
      error_class = case when o.stage = 'dead' then ${DUPLICATE_OF_DEAD} else 'duplicate' end,
      error_message = case when o.stage = 'dead'
        then 'Same content as ' || o.path || ', a dead letter (' || coalesce(o.error_class, 'unknown') || '): this copy follows whatever becomes of it.'
        else ${SKIPPED} end
    from originals o
    where dup.collection_id = o.collection_id and dup.content_hash = o.content_hash and dup.duplicate_of = o.id
      and ((o.stage = 'dead' and dup.stage = 'complete') or (o.stage = 'complete' and dup.stage = 'dead' and dup.error_class = ${DUPLICATE_OF_DEAD}))
    returning dup.id, dup.stage, dup.error_class, dup.error_message as message`)) as unknown as Followed[];
  const at = new Date();
  await recordEvents(db, operationId, followed.map((f): StageChange => ({ id: f.id, stage: f.stage, at, errorClass: f.error_class, message: f.message })));
  return followed.length;
}

/**
 * Before an operation is counted: its copies whose original settled while they were being
 * registered (a registration reads the original before it dies) follow it now.
 */
export async function settleDuplicatesOf(db: Executor, operationId: string): Promise<number> {
  const originals = (await db.execute(sql`
    select distinct o.id, o.stage from documents dup join documents o on o.id = dup.duplicate_of
    where dup.operation_id = ${operationId}
      and ((dup.stage = 'complete' and o.stage = 'dead') or (dup.stage = 'dead' and dup.error_class = ${DUPLICATE_OF_DEAD} and o.stage = 'complete'))`)) as unknown as Array<{ id: string; stage: string }>;
  return followOriginals(db, operationId, {
    dead: originals.filter((o) => o.stage === "dead").map((o) => o.id),
    complete: originals.filter((o) => o.stage === "complete").map((o) => o.id),
  });
}
