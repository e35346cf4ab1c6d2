import { apiRoute } from "@/lib/api/route";
import { permissionsOf } from "@/lib/auth/rbac";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (ctx) => ({ ...ctx.actor, permissions: ctx.actor.role ? permissionsOf(ctx.actor.role) : [] }));
