import { notFound } from "next/navigation";
import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { ServiceError } from "@/lib/services/errors";
import { getOperation } from "@/lib/services/operation/list";
import { OperationPanel } from "../_components/operation-panel";

export const metadata = { title: "Operation · Stevedore" };

export default async function OperationPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const { id } = await params;
  const detail = await getOperation({ ctx, input: { operationId: id } }).catch((err) => {
    if (err instanceof ServiceError && err.code === "not_found") notFound();
    throw err;
  });
  return <OperationPanel initial={asJson(detail)} canCancel={can(ctx.actor.role, "operation.cancel")} />;
}
