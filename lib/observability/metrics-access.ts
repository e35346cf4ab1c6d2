import { createHash, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { clientIp } from "@/lib/auth/request-meta";
import { env } from "@/lib/env";

export type ScrapeRefusal = { status: 401 | 403; code: "unauthenticated" | "forbidden"; message: string };

type Rules = { token?: string; allow: BlockList; key: string };
const cache: { rules?: Rules } = {};

/** The allow-list as a BlockList (IPv4-mapped IPv6 peers match IPv4 entries); rebuilt when the env changes. */
function rules(): Rules {
  const e = env();
  const key = `${e.STEVEDORE_METRICS_TOKEN ?? ""}\n${e.STEVEDORE_METRICS_ALLOW.join(",")}`;
  if (cache.rules?.key === key) return cache.rules;
  const allow = new BlockList();
  for (const entry of e.STEVEDORE_METRICS_ALLOW) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) allow.addAddress(address, family);
    else allow.addSubnet(address, Number(prefix), family);
  }
  cache.rules = { token: e.STEVEDORE_METRICS_TOKEN, allow, key };
  return cache.rules;
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/**
 * Who may scrape /api/metrics: a caller with `Authorization: Bearer <STEVEDORE_METRICS_TOKEN>`, or
 * one whose address is on STEVEDORE_METRICS_ALLOW (loopback by default). The address is the one the
 * launcher saw (x-real-ip; x-forwarded-for only with STEVEDORE_TRUST_PROXY). A wrong token is refused
 * from any address. Returns null when the scrape may go ahead.
 */
export function refuseScrape(headers: Headers): ScrapeRefusal | null {
  const { token, allow } = rules();
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const given = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (token && given && timingSafeEqual(digest(given), digest(token))) return null;
    return { status: 401, code: "unauthenticated", message: "The metrics token is not valid." };
  }
  const ip = clientIp(headers);
  const family = ip ? isIP(ip) : 0;
  if (ip && family && allow.check(ip, family === 6 ? "ipv6" : "ipv4")) return null;
  if (token) return { status: 401, code: "unauthenticated", message: "Send the metrics token as a bearer token, or scrape from an allowed address." };
  return { status: 403, code: "forbidden", message: "This address may not read metrics: add it to STEVEDORE_METRICS_ALLOW or set STEVEDORE_METRICS_TOKEN." };
}
