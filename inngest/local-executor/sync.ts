import { Cron } from "croner";
import type { Logger } from "pino";
import type { Sql } from "./db";
import { toJson } from "./db";
import type { FunctionConfig } from "./registry";
import { canonicalJson, signBody } from "./signing";

export function nextCronAt(expression: string, from = new Date()): Date | null {
  try {
    return new Cron(expression, { paused: true }).nextRun(from) ?? null;
  } catch {
    return null;
  }
}

/** Stores the app's functions (and their cron schedules), dropping functions the app no longer has. */
export async function storeFunctions(sql: Sql, appUrl: string, functions: FunctionConfig[], logger: Logger): Promise<void> {
  await sql.begin(async (tx) => {
    const ids = functions.map((f) => f.id);
    await tx`delete from executor_functions where app_url = ${appUrl} and id <> all(${ids}::text[])`;
    await tx`delete from executor_crons c where not exists (select 1 from executor_functions f where f.id = c.function_id)`;
    for (const fn of functions) {
      await tx`
        insert into executor_functions (id, app_url, name, config)
        values (${fn.id}, ${appUrl}, ${fn.name ?? fn.id}, ${toJson(fn)}::jsonb)
        on conflict (id) do update set app_url = excluded.app_url, name = excluded.name, config = excluded.config, updated_at = now()`;
      const crons = (fn.triggers ?? []).flatMap((t) => (t.cron ? [t.cron] : []));
      await tx`delete from executor_crons where function_id = ${fn.id} and cron <> all(${crons}::text[])`;
      for (const cron of crons) {
        const next = nextCronAt(cron);
        if (!next) {
          logger.warn({ functionId: fn.id, cron }, "unreadable cron expression; trigger ignored");
          continue;
        }
        await tx`insert into executor_crons (function_id, cron, next_at) values (${fn.id}, ${cron}, ${next.toISOString()}::timestamptz) on conflict do nothing`;
      }
    }
  });
}

/** In-band sync: PUT the app's serve() endpoint and read its function configs from the answer. */
export async function syncApp(opts: { sql: Sql; appUrl: string; signingKey?: string; logger: Logger; timeoutMs?: number }): Promise<FunctionConfig[]> {
  const body = canonicalJson({ url: opts.appUrl });
  const headers: Record<string, string> = { "content-type": "application/json", "x-inngest-sync-kind": "in_band" };
  if (opts.signingKey) headers["x-inngest-signature"] = signBody(body, opts.signingKey);
  const res = await fetch(opts.appUrl, { method: "PUT", headers, body, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`sync of ${opts.appUrl} failed: HTTP ${res.status} ${text.slice(0, 300)}`);
  const parsed = JSON.parse(text) as { functions?: FunctionConfig[] };
  if (res.headers.get("x-inngest-sync-kind") !== "in_band" || !Array.isArray(parsed.functions)) {
    throw new Error(`sync of ${opts.appUrl}: the app did not answer an in-band sync (is INNGEST_ALLOW_IN_BAND_SYNC disabled?)`);
  }
  await storeFunctions(opts.sql, opts.appUrl, parsed.functions, opts.logger);
  opts.logger.info({ appUrl: opts.appUrl, functions: parsed.functions.map((f) => f.id) }, "app synced");
  return parsed.functions;
}
