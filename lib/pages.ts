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
