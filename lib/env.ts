import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

/**
 * The one place that reads process.env. Parsed lazily, so the launcher can fill in
 * DATABASE_URL (embedded PostgreSQL) and the auth secret before anything asks.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

/** `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`: what STEVEDORE_METRICS_ALLOW lists. */
function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (!family || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  DATABASE_URL: optionalString,
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  STEVEDORE_DATA_DIR: z.string().default(".stevedore"),
  /** Where backup files are written and imported to; unset: `backups/` under the data directory. */
  STEVEDORE_BACKUP_DIR: optionalString,
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  STEVEDORE_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  STEVEDORE_ADMIN_EMAIL: optionalString,
  STEVEDORE_ADMIN_PASSWORD: optionalString,
  NEXTAUTH_SECRET: optionalString,
  NEXTAUTH_URL: optionalString,
  STEVEDORE_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  STEVEDORE_SIGNIN_LOCKOUT_MINUTES: z.coerce.number().min(0).default(15),
  /** A browser session unused for this long ends (sessions also end 12 h after sign-in). */
  STEVEDORE_SESSION_IDLE_MINUTES: z.coerce.number().min(1).default(60),
  /** Read only by `npm run reset-password`: the new password (else one is generated and printed). */
  STEVEDORE_NEW_PASSWORD: optionalString,
  STEVEDORE_TRUST_PROXY: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  STEVEDORE_DEV: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  // Read by the inngest SDK itself; here so the launcher can tell whether an external server is configured.
  INNGEST_DEV: optionalString,
  INNGEST_BASE_URL: optionalString,
  INNGEST_API_BASE_URL: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_EVENT_KEY: optionalString,
  /** Which server runs the functions: `local` (the embedded executor) or `inngest` (Cloud or self-hosted). */
  STEVEDORE_EXECUTOR: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["local", "inngest"]).optional()),
  /** The serve() URL the local executor calls (its own console's /api/inngest unless set: a load balancer, a replica). */
  STEVEDORE_APP_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
  /** Set by the launcher when it runs the local executor (not meant to be set by hand). */
  STEVEDORE_LOCAL_EXECUTOR_URL: optionalString,
  STEVEDORE_EXECUTOR_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  // Inngest's usage limits, which the local executor enforces; defaults are Inngest Cloud's.
  STEVEDORE_EXECUTOR_MAX_STEPS: z.coerce.number().int().min(1).default(1000),
  STEVEDORE_EXECUTOR_MAX_STEP_OUTPUT_BYTES: z.coerce.number().int().min(1).default(4 * 1024 * 1024),
  STEVEDORE_EXECUTOR_MAX_STATE_BYTES: z.coerce.number().int().min(1).default(32 * 1024 * 1024),
  STEVEDORE_EXECUTOR_MAX_EVENT_BYTES: z.coerce.number().int().min(1).default(3 * 1024 * 1024),
  STEVEDORE_EXECUTOR_MAX_STEP_SECONDS: z.coerce.number().int().min(1).default(2 * 3600),
  /** How long an executor's claim outlives it when it dies: then another replica's executor takes the work. */
  STEVEDORE_EXECUTOR_LEASE_MS: z.coerce.number().int().min(100).default(30_000),
  /** Server folders (separated by ":") under which directory sources may live; none by default. */
  STEVEDORE_SOURCE_ROOTS: z.string().default(""),
  STEVEDORE_MAX_FILE_BYTES: z.coerce.number().int().min(1).default(20 * 1024 * 1024),
  STEVEDORE_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1).default(200 * 1024 * 1024),
  /** The largest backup file an upload (Import on the Backups page, `POST /api/v1/backups/import`) may carry. */
  /** How often the backup scheduler looks for due schedules (croner; 6 fields for seconds, local executor only). */
  STEVEDORE_BACKUP_SCHEDULER_CRON: z.string().trim().min(1).default("* * * * *"),
  /** How often alert rules are evaluated (croner; 6 fields with seconds first, local executor only). */
  STEVEDORE_ALERT_EVAL_CRON: z.string().trim().min(1).default("*/15 * * * * *"),
  /** SMTP server of email channels, e.g. smtp://user:pass@mail.example.com:587 (unset: email channels fail, logged). */
  STEVEDORE_SMTP_URL: optionalString,
  STEVEDORE_ALERT_EMAIL_FROM: z.string().trim().min(3).default("stevedore@localhost"),
  STEVEDORE_MAX_BACKUP_UPLOAD_BYTES: z.coerce.number().int().min(1).default(10 * 1024 * 1024 * 1024),
  STEVEDORE_PIPELINE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(250),
  STEVEDORE_WORKER_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  STEVEDORE_STALLED_AFTER_S: z.coerce.number().int().min(10).default(300),
  /** Steps a long function takes in one run before it goes on in a fresh one (Inngest allows 1,000). */
  STEVEDORE_RUN_STEP_BUDGET: z.coerce.number().int().min(6).max(900).default(500),
  /** How long one scan or removal step works before it hands on a cursor (far below Inngest's 2 h per step). */
  STEVEDORE_STEP_TIME_BUDGET_MS: z.coerce.number().int().min(100).default(20_000),
  /** Disk every free-disk check keeps free beyond what an operation needs (PostgreSQL, logs): 1 GiB. */
  STEVEDORE_DISK_MARGIN_BYTES: z.coerce.number().int().min(0).default(1024 ** 3),
  /** Documents REMOVE_SOURCE deletes per batch (a cancel is honoured between batches). */
  STEVEDORE_REMOVE_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /** OpenAI-compatible embeddings endpoint for `openai:<model>` collections, e.g. https://api.openai.com/v1. */
  STEVEDORE_EMBEDDING_URL: optionalString,
  STEVEDORE_EMBEDDING_API_KEY: optionalString,
  /** Vector length of `openai:` models; unset: the model's known size (text-embedding-3-large 3072), else 1536. */
  STEVEDORE_EMBEDDING_DIMENSION: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(65536).optional()),
  STEVEDORE_EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  STEVEDORE_EMBEDDING_BATCH_TOKENS: z.coerce.number().int().min(1).default(100_000),
  /** Client-side rate limits (requests and estimated tokens per minute); 0 = unlimited. */
  STEVEDORE_EMBEDDING_RPM: z.coerce.number().min(0).default(0),
  STEVEDORE_EMBEDDING_TPM: z.coerce.number().min(0).default(0),
  STEVEDORE_EMBEDDING_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  STEVEDORE_EMBEDDING_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  STEVEDORE_EMBEDDING_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  STEVEDORE_EMBEDDING_BREAKER_RESET_MS: z.coerce.number().int().min(100).default(60_000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  VECTOR_STORE: z.enum(["lancedb", "qdrant"]).default("lancedb"),
  /** A bearer token that may scrape /api/metrics from any address; unset, only the allow-list may. */
  STEVEDORE_METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, "use at least 16 characters"),
  /** Addresses (IPs or CIDRs, comma-separated) that may scrape /api/metrics without the token; `none` for none. */
  STEVEDORE_METRICS_ALLOW: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .default("127.0.0.0/8,::1")
      .transform((v) => (v.trim() === "none" ? [] : v.split(",").map((s) => s.trim()).filter(Boolean)))
      .refine((list) => list.every(isAddressOrCidr), "a comma-separated list of IP addresses or CIDRs (e.g. 10.0.0.0/8,::1), or none"),
  ),
  /** Health samples (one a minute, for the Health page's history and the overview's sizes) are kept this long. */
  STEVEDORE_HEALTH_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(14),
  /** Health is degraded when the oldest due, unclaimed run of the local executor has waited longer than this. */
  STEVEDORE_HEALTH_EXECUTOR_WAIT_S: z.coerce.number().int().min(1).default(120),
  QDRANT_URL: optionalString,
  QDRANT_API_KEY: optionalString,
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid environment:\n${lines.join("\n")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** For the launcher, after it has filled in variables (DATABASE_URL, secrets) that were unset. */
export function reloadEnv(): Env {
  cached = undefined;
  return env();
}

/** Absolute path of a folder under the data directory (default `.stevedore/`). */
export function dataPath(...parts: string[]): string {
  return path.resolve(env().STEVEDORE_DATA_DIR, ...parts);
}

/** Absolute path of the backup directory (STEVEDORE_BACKUP_DIR, else `backups/` under the data directory). */
export function backupDir(): string {
  const configured = env().STEVEDORE_BACKUP_DIR;
  return configured ? path.resolve(configured) : dataPath("backups");
}

/**
 * Whether the launcher runs the local executor: STEVEDORE_EXECUTOR decides; unset, an external server
 * is assumed only when INNGEST_BASE_URL or INNGEST_DEV points at one (a signing key alone is not a server).
 */
export function usesLocalExecutor(e: Env = env()): boolean {
  if (e.STEVEDORE_EXECUTOR) return e.STEVEDORE_EXECUTOR === "local";
  return !e.INNGEST_DEV && !e.INNGEST_BASE_URL;
}

/** Where the Inngest REST API (runs, cancel) is, resolved as the SDK resolves it (the launcher sets INNGEST_API_BASE_URL locally). */
export function inngestApiBase(e: Env = env()): string {
  const dev = e.INNGEST_DEV && /^https?:/.test(e.INNGEST_DEV) ? e.INNGEST_DEV : undefined;
  return (e.INNGEST_API_BASE_URL ?? e.INNGEST_BASE_URL ?? dev ?? (e.INNGEST_DEV ? "http://127.0.0.1:8288" : "https://api.inngest.com")).replace(/\/$/, "");
}

/** The local executor's settings from the environment (limits, lease), for the launcher. */
export function localExecutorSettings(e: Env = env()) {
  return {
    leaseMs: e.STEVEDORE_EXECUTOR_LEASE_MS,
    limits: {
      maxStepsPerRun: e.STEVEDORE_EXECUTOR_MAX_STEPS,
      maxStepOutputBytes: e.STEVEDORE_EXECUTOR_MAX_STEP_OUTPUT_BYTES,
      maxRunStateBytes: e.STEVEDORE_EXECUTOR_MAX_STATE_BYTES,
      maxEventBytes: e.STEVEDORE_EXECUTOR_MAX_EVENT_BYTES,
      maxStepDurationMs: e.STEVEDORE_EXECUTOR_MAX_STEP_SECONDS * 1000,
    },
  };
}

export function requireDatabaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it when it starts the embedded PostgreSQL)");
  return url;
}
