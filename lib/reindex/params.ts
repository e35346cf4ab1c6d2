import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { collectionVersions, type CollectionVersion } from "@/db/schema/collection-versions";
import { PermanentError } from "@/lib/pipeline/errors";
import { loadOperation } from "@/lib/pipeline/context";
import type { VersionSettings } from "./versions";
import type { ReindexEstimate } from "./estimate";

/** What a REINDEX operation carries in its params, from the form and from its own steps. */
export type ReindexParams = {
  settings: VersionSettings;
  requireApproval: boolean;
  throttleDocsPerS: number | null;
  estimate?: ReindexEstimate;
  /** Set by the staging step. */
  stagingVersionId?: string;
  fromVersion?: number;
};

export async function loadReindex(operationId: string) {
  const { op, collection } = await loadOperation(operationId);
  const params = op.params as unknown as ReindexParams;
  const [staging] = params.stagingVersionId ? await getDb().select().from(collectionVersions).where(eq(collectionVersions.id, params.stagingVersionId)) : [];
  if (!staging) throw new PermanentError("The reindex's staging version no longer exists.");
  return { op, collection, params, staging: staging as CollectionVersion };
}
