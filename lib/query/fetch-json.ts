/** GET an /api/v1 resource; its `data`, or an Error with the API's own message. */
export async function fetchData<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as { data?: T; error?: { message?: string } } | null;
  if (!response.ok || !body || body.data === undefined) throw new Error(body?.error?.message ?? `Request failed (${response.status})`);
  return body.data;
}

/** Server data handed to a client component must look like what the API returns (dates as strings). */
export function asJson<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
