import { z } from "zod";
import { OPERATION_STATUSES, OPERATION_TYPES } from "../../operation-status";

/**
 * What the routes answer inside `{data}`, as the JSON a client receives (dates are ISO strings).
 * Loose objects: they name the fields clients rely on and let the others through. The CLI parses
 * the answers it reads with these same schemas, so its tests fail when an answer drifts from them.
 */
const Timestamp = z.string().describe("ISO 8601 date-time");
const Uuid = z.uuid();
const Json = z.record(z.string(), z.unknown());

export const OperationProgress = z.looseObject({
  done: z.number(),
  total: z.number(),
  unit: z.string(),
  ratePerS: z.number().optional(),
  etaS: z.number().optional(),
  chunks: z.object({ done: z.number(), total: z.number() }).optional(),
});

export const Operation = z.looseObject({
  id: Uuid,
  type: z.enum(OPERATION_TYPES),
  collectionId: Uuid.nullable(),
  status: z.enum(OPERATION_STATUSES),
  params: Json,
  progress: OperationProgress.nullable(),
  result: Json.nullable(),
  error: z.string().nullable(),
  statusMessage: z.string().nullable(),
  requestedBy: Uuid.nullable(),
  correlationId: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type Operation = z.infer<typeof Operation>;

export const OperationListItem = z.looseObject({ operation: Operation, requestedBy: z.string().nullable().describe("the requester's e-mail") });
/** A page of the job history: keyset cursors both ways, and a total that is exact up to a threshold, estimated beyond. */
export const OperationPage = z.looseObject({
  rows: z.array(OperationListItem),
  nextCursor: z.string().nullable().describe("pass as `cursor` for the next (older) page"),
  prevCursor: z.string().nullable().describe("pass as `before` for the previous (newer) page"),
  total: z.looseObject({ value: z.number(), kind: z.enum(["exact", "estimate"]) }),
});

export const OperationStep = z.looseObject({ id: Uuid, name: z.string(), status: z.string(), attempts: z.number(), output: z.unknown(), error: z.string().nullable(), startedAt: Timestamp.nullable(), finishedAt: Timestamp.nullable() });
export const OperationLog = z.looseObject({ id: z.number(), at: Timestamp, level: z.enum(["debug", "info", "warn", "error"]), message: z.string(), fields: Json.nullable() });

export const OperationDetail = OperationListItem.extend({ metrics: Json.nullable(), steps: z.array(OperationStep) });

export const OperationLogPage = z.object({ lines: z.array(OperationLog), more: z.boolean() });

export const Collection = z.looseObject({
  id: Uuid,
  name: z.string(),
  description: z.string(),
  embeddingModel: z.string(),
  dimension: z.number(),
  distance: z.enum(["cosine", "dot", "euclid"]),
  chunkSize: z.number(),
  chunkOverlap: z.number(),
  vectorBackend: z.enum(["lancedb", "qdrant"]),
  activeVersion: z.number().nullable(),
  status: z.enum(["creating", "ready", "busy", "error", "deleting"]),
  createdAt: Timestamp,
});

export const CollectionStats = z.looseObject({ documents: z.number(), complete: z.number(), dead: z.number(), active: z.number(), points: z.number() });
export const LastOperation = z.looseObject({ id: Uuid, type: z.string(), status: z.string(), createdAt: Timestamp, result: Json.nullable() });

export const CollectionListItem = z.looseObject({ collection: Collection, stats: CollectionStats, lastOperation: LastOperation.nullable() });
export const CollectionDetail = CollectionListItem.extend({ sources: z.array(Json), versions: z.array(Json), operations: z.array(Operation), stages: z.array(Json) });
export const CollectionCreated = z.looseObject({ collectionId: Uuid, operationId: Uuid, refused: z.array(z.unknown()) });

/** A start of an operation: follow it at `GET /api/v1/operations/{operationId}`. */
export const OperationQueued = z.looseObject({ operationId: Uuid });

export const Me = z.looseObject({
  type: z.string(),
  id: Uuid.nullable(),
  email: z.string(),
  name: z.string().optional(),
  role: z.enum(["viewer", "operator", "admin"]).nullable(),
  tokenId: z.string().optional(),
  permissions: z.array(z.string()),
});

const SettingsDiff = z.array(z.looseObject({ field: z.string(), from: z.union([z.string(), z.number()]), to: z.union([z.string(), z.number()]) }));
export const ReindexStarted = z.looseObject({ operationId: Uuid, diff: SettingsDiff, estimate: Json });
export const ReindexPlan = z.looseObject({
  dryRun: z.literal(true),
  current: Json,
  next: Json,
  diff: SettingsDiff,
  estimate: Json,
  disk: Json,
  liveVersion: z.number().nullable(),
  refusals: z.record(z.string(), z.array(z.string())),
});
export const ReindexDecision = z.looseObject({ decision: z.looseObject({ decision: z.enum(["approve", "reject"]), actor: z.string(), comment: z.string(), at: Timestamp }) });

/** The backup routes' start answer (their contract): `{operation}`. */
export const OperationStarted = z.looseObject({ operation: Operation });
/** What the backup, verify, restore and clear starts answer: the operation's id and what it acts on. */
export const BackupStarted = z.looseObject({ operationId: Uuid });

export const ApiToken = z.looseObject({ id: Uuid, name: z.string(), role: z.string().nullable(), prefix: z.string(), expiresAt: Timestamp.nullable() });
export const ApiTokenCreated = ApiToken.extend({ secret: z.string().describe("shown once; only its hash is stored") });
export const User = z.looseObject({ id: Uuid, email: z.string(), name: z.string(), role: z.enum(["viewer", "operator", "admin"]) });

/** Any JSON object: answers the registry describes by route, not yet field by field. */
export const AnyObject = z.looseObject({});
export const AnyList = z.array(AnyObject);
