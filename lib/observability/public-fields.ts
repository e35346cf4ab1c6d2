/**
 * What a structured log line may keep when it is stored where the console shows it (the operation
 * log): no stack, file paths as their basenames, secrets redacted, and an upstream error only as
 * its class and a short cleaned message. The full line still goes to stdout for whoever runs the server.
 */

export const REDACTED = "[redacted]";
const MAX_DEPTH = 4;
const MAX_STRING = 500;
const MAX_ERROR_MESSAGE = 160;
const MAX_ARRAY = 50;
const MAX_KEYS = 50;

/** token, password, secret, authorization, cookie, and any key ending in "key" (apiKey, signing_key, x-api-key). */
const SECRET_KEY = /token|passw(or)?d|secret|authori[sz]ation|cookie|credential|key$/i;
/** Absolute paths (POSIX or Windows), not the path part of a URL ("//host/..." after a scheme). */
const ABSOLUTE_PATH = /(?<![\w:/.~-])(?:[A-Za-z]:)?(?:[\\/][^\\/\s"'`<>|]+)+[\\/]([^\\/\s"'`<>|,;)]+)/g;
const URL_CREDENTIALS = /(\w+:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/g;
const BEARER = /\b(bearer|basic)\s+[\w\-._~+/]+=*/gi;
const SECRET_ASSIGNMENT = /\b((?:api[_-]?key|token|password|secret)=)[^\s&]+/gi;

export const isSecretKey = (key: string) => SECRET_KEY.test(key);

/** A free text with its paths shortened, credentials redacted and its length capped. */
export function cleanText(text: string, max = MAX_STRING): string {
  const cleaned = text
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(SECRET_ASSIGNMENT, `$1${REDACTED}`)
    .replace(ABSOLUTE_PATH, "$1");
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned;
}

/** An error (pino's serialised `err`, or an Error) as its class and the first line of its message, cleaned. */
export function publicError(err: unknown): { class: string; message: string } {
  const e = (err ?? {}) as { type?: unknown; name?: unknown; message?: unknown; constructor?: { name?: string } };
  const cls = typeof e.type === "string" ? e.type : typeof e.name === "string" ? e.name : (err instanceof Object && e.constructor?.name) || "Error";
  const message = typeof e.message === "string" ? e.message : typeof err === "string" ? err : "";
  return { class: cls, message: cleanText(message.split("\n")[0]!.trim(), MAX_ERROR_MESSAGE) };
}

const ERROR_KEY = /^(err|error|cause|reason)$/i;

function cleanValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return cleanText(value);
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? String(value) : value;
  if (depth >= MAX_DEPTH) return "[nested]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ARRAY).map((v) => cleanValue(v, depth + 1));
    return value.length > MAX_ARRAY ? [...items, `… ${value.length - MAX_ARRAY} more`] : items;
  }
  return cleanObject(value as Record<string, unknown>, depth + 1);
}

function cleanObject(fields: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields).slice(0, MAX_KEYS)) {
    if (key === "stack" || value === undefined) continue;
    if (isSecretKey(key)) out[key] = REDACTED;
    else if (ERROR_KEY.test(key) && value && typeof value === "object" && !Array.isArray(value)) out[key] = publicError(value);
    else out[key] = cleanValue(value, depth);
  }
  return out;
}

/** A log line's fields as the operation log stores them (see the file's comment). */
export function publicFields(fields: Record<string, unknown>): Record<string, unknown> {
  return cleanObject(fields, 0);
}
