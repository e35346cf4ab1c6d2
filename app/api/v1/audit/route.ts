import { apiRoute } from "@/lib/api/route";
import { listAuditEntries } from "@/lib/services/audit/list";

export const dynamic = "force-dynamic";

export const GET = apiRoute((ctx, request) => listAuditEntries({ ctx, input: Object.fromEntries(new URL(request.url).searchParams) }));
