import type { AnySql } from "./db";

type Trigger = { event?: string; expression?: string | null; cron?: string };
type ConcurrencyOption = number | { limit?: number; key?: string; scope?: string };

/** The parts of the SDK's function config the executor acts on. */
export type FunctionConfig = {
  id: string;
  name?: string;
  triggers?: Trigger[];
  steps?: Record<string, { runtime?: { url?: string }; retries?: { attempts?: number } }>;
  idempotency?: string;
  concurrency?: ConcurrencyOption | ConcurrencyOption[];
  priority?: { run?: string };
  cancel?: { event: string; if?: string; timeout?: string }[];
  singleton?: { key?: string; mode?: "skip" | "cancel" };
  rateLimit?: { limit: number; period: string; key?: string };
  timeouts?: { start?: string; finish?: string };
  throttle?: { limit: number; period: string; key?: string; burst?: number };
};

export type RegisteredFunction = {
  id: string;
  appUrl: string;
  runtimeUrl: string;
  maxAttempts: number;
  config: FunctionConfig;
};

/** A function called at `appUrl`: the synced runtime URL keeps its query (fnId, stepId), rebased onto it. */
export function toRegistered(appUrl: string, config: FunctionConfig): RegisteredFunction {
  const step = config.steps?.step ?? Object.values(config.steps ?? {})[0];
  const retries = step?.retries?.attempts;
  const runtime = new URL(appUrl);
  const synced = step?.runtime?.url ? new URL(step.runtime.url) : null;
  runtime.search = synced?.search || `?fnId=${encodeURIComponent(config.id)}&stepId=step`;
  return {
    id: config.id,
    appUrl,
    runtimeUrl: runtime.toString(),
    // retries.attempts counts retries, so attempts = retries + 1 (SDK default: 3 retries).
    maxAttempts: (typeof retries === "number" ? retries : 3) + 1,
    config,
  };
}

/** In-memory view of `executor_functions`, reloaded after a sync or when an id is unknown. */
export class FunctionRegistry {
  private byId = new Map<string, RegisteredFunction>();
  private loadedAt = 0;

  private own = new Set<string>();

  /**
   * `appUrl`: where this executor calls its own app's functions (its replica, or a load balancer),
   * whichever replica synced them last; other apps' functions are called where they registered.
   */
  constructor(
    private readonly sql: AnySql,
    private readonly appUrl: string,
  ) {}

  /** The functions this executor's own app served at its last sync. */
  adopt(ids: string[]): void {
    this.own = new Set(ids);
  }

  async reload(): Promise<void> {
    const rows = await this.sql<{ id: string; app_url: string; config: FunctionConfig }[]>`select id, app_url, config from executor_functions`;
    this.byId = new Map(rows.map((r) => [r.id, toRegistered(this.own.has(r.id) ? this.appUrl : r.app_url, r.config)]));
    this.loadedAt = Date.now();
  }

  async get(id: string): Promise<RegisteredFunction | undefined> {
    const hit = this.byId.get(id);
    if (hit) return hit;
    // Another executor process may have synced since we loaded; reload at most once a second.
    if (Date.now() - this.loadedAt > 1000) await this.reload();
    return this.byId.get(id);
  }

  all(): RegisteredFunction[] {
    return [...this.byId.values()];
  }

  /** Functions with an event trigger for this name (exact, or a `prefix/*` wildcard). */
  triggeredBy(eventName: string): { fn: RegisteredFunction; expression?: string | null }[] {
    const out: { fn: RegisteredFunction; expression?: string | null }[] = [];
    for (const fn of this.byId.values()) {
      for (const t of fn.config.triggers ?? []) {
        if (!t.event) continue;
        const hit = t.event === eventName || (t.event.endsWith("*") && eventName.startsWith(t.event.slice(0, -1)));
        if (hit) out.push({ fn, expression: t.expression });
      }
    }
    return out;
  }

  cancellableBy(eventName: string): { fn: RegisteredFunction; cancel: NonNullable<FunctionConfig["cancel"]>[number] }[] {
    const out: { fn: RegisteredFunction; cancel: NonNullable<FunctionConfig["cancel"]>[number] }[] = [];
    for (const fn of this.byId.values()) for (const c of fn.config.cancel ?? []) if (c.event === eventName) out.push({ fn, cancel: c });
    return out;
  }
}
