import { apiRoute } from "@/lib/api/route";
import { listAuditEntries } from "@/lib/services/audit/list";
import { otherMethods } from "@/lib/api/methods";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => listAuditEntries({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
