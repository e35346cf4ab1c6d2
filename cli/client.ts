import type { z } from "zod";
import { CliError, EXIT, type ExitCode } from "./errors";
import type { Credentials } from "./config";

type ErrorBody = { error?: { code?: string; message?: string; fieldErrors?: Record<string, string[]>; reference?: string } };

const TIMEOUT_MS = 60_000;

/** What to do about a refusal, by status; the server's own message comes first. */
function refusal(status: number, method: string, path: string, body: ErrorBody): CliError {
  const e = body.error ?? {};
  const said = e.message ?? `HTTP ${status}`;
  const fields = e.fieldErrors ? Object.entries(e.fieldErrors).map(([field, messages]) => `  ${field}: ${messages.join(" ")}`).join("\n") : "";
  const withFields = fields ? `${said}\n${fields}` : said;
  const codes: Record<number, [ExitCode, string]> = {
    400: [EXIT.usage, withFields],
    401: [EXIT.auth, `Token refused (${said}): run \`stevedore login --url URL --token TOKEN\` with a valid token.`],
    403: [EXIT.auth, `Not allowed: ${said} Ask an admin for a token with a higher role.`],
    404: [EXIT.notFound, said],
    409: [EXIT.failed, withFields],
  };
  const [exitCode, message] = codes[status] ?? [EXIT.server, `The server answered ${status} to ${method} ${path}: ${said}${e.reference ? ` (reference ${e.reference}, in the server log)` : ""}`];
  return new CliError(exitCode, message, body);
}

/** The console's REST API with a bearer token: `{data}` back, or a CliError with the exit code. */
export class ApiClient {
  constructor(readonly credentials: Credentials) {}

  async request<S extends z.ZodType>(method: string, path: string, options: { body?: unknown; form?: FormData; schema: S; query?: Record<string, string | number | undefined> }): Promise<{ status: number; data: z.infer<S> }> {
    const url = new URL(this.credentials.url + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${this.credentials.token}`, accept: "application/json" };
    let body: string | FormData | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "manual" });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const reason = err instanceof Error && err.name === "TimeoutError" ? `no answer in ${TIMEOUT_MS / 1000} s` : (cause?.code ?? cause?.message ?? "network error");
      throw new CliError(EXIT.server, `Cannot reach ${this.credentials.url} (${reason}): is the console running, and is the URL right? (\`stevedore login --url …\` or STEVEDORE_URL)`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new CliError(EXIT.server, `${method} ${path} answered ${response.status} with something other than JSON: is ${this.credentials.url} a Stevedore console?`);
    }
    if (!response.ok) throw refusal(response.status, method, path, (parsed ?? {}) as ErrorBody);
    const data = (parsed as { data?: unknown }).data;
    const checked = options.schema.safeParse(data);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new CliError(EXIT.server, `The answer to ${method} ${path} is not what this CLI expects (${issue?.path.join(".") || "data"}: ${issue?.message}): is the console the same version as the CLI?`);
    }
    return { status: response.status, data: checked.data };
  }

  get<S extends z.ZodType>(path: string, schema: S, query?: Record<string, string | number | undefined>) {
    return this.request("GET", path, { schema, query }).then((r) => r.data);
  }

  post<S extends z.ZodType>(path: string, body: unknown, schema: S) {
    return this.request("POST", path, { body, schema });
  }
}
