import { notFound } from "next/navigation";
import { ServiceError } from "@/lib/services/errors";

export type SearchParams = Record<string, string | string[] | undefined>;

/** The non-empty single values of `keys` from a page's search params: the filter a GET form sent. */
export function pickSearchParams<K extends string>(params: SearchParams, keys: readonly K[]): Partial<Record<K, string>> {
  const picked: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = params[key];
    if (typeof value === "string" && value !== "") picked[key] = value;
  }
  return picked;
}

/** A verb's "not found" becomes the page's 404; any other error propagates. */
export function orNotFound<T>(result: Promise<T>): Promise<T> {
  return result.catch((err: unknown) => {
    if (err instanceof ServiceError && err.code === "not_found") notFound();
    throw err;
  });
}

/**
 * What a page says when its filter (search params) is refused: the verb's field errors in words,
 * e.g. "The filter is not valid: cursor: Not a page of this list…". Other errors propagate.
 */
export function filterProblem(err: unknown): string {
  if (!(err instanceof ServiceError)) throw err;
  if (err.code !== "invalid" || !err.fieldErrors) return err.message;
  const fields = Object.entries(err.fieldErrors).map(([field, messages]) => `${field === "_form" ? "" : `${field}: `}${messages.join(" ")}`);
  return `The filter is not valid: ${fields.join("; ")}`;
}
