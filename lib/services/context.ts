import { randomUUID } from "node:crypto";
import type { ActorType } from "@/db/schema/audit-log";
import type { Role } from "@/db/schema/users";

export type Actor = {
  type: ActorType;
  id: string | null;
  email: string;
  name?: string;
  role: Role | null;
  /** Set when the actor authenticated with an API token. */
  tokenId?: string;
  /** Set when the actor is signed in with a browser session (lib/services/auth/sessions.ts). */
  sessionId?: string;
};

/** Who is acting, from where, under which correlation id: passed to every service verb. */
export type ServiceContext = { actor: Actor; ip: string | null; correlationId: string };

export const SYSTEM_ACTOR: Actor = { type: "system", id: null, email: "system", role: "admin" };

export function systemContext(correlationId: string = randomUUID()): ServiceContext {
  return { actor: SYSTEM_ACTOR, ip: null, correlationId };
}

export function anonymousContext(email: string, ip: string | null, correlationId: string = randomUUID()): ServiceContext {
  return { actor: { type: "anonymous", id: null, email, role: null }, ip, correlationId };
}
