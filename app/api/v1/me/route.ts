import { apiRoute } from "@/lib/api/route";
import { permissionsOf } from "@/lib/auth/rbac";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (ctx) => ({ ...ctx.actor, permissions: ctx.actor.role ? permissionsOf(ctx.actor.role) : [] }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
