/** GET an /api/v1 resource; its `data`, or an Error with the API's own message. */
export async function fetchData<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as { data?: T; error?: { message?: string } } | null;
  if (!response.ok || !body || body.data === undefined) throw new Error(body?.error?.message ?? `Request failed (${response.status})`);
  return body.data;
}

/** What a value looks like after JSON: dates become strings, at any depth. */
export type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/** Server data handed to a client component must look like what the API returns (dates as strings). */
export function asJson<T>(value: T): Json<T> {
  return JSON.parse(JSON.stringify(value)) as Json<T>;
}
