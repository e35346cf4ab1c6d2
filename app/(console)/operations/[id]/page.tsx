import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { getOperationFigures } from "@/lib/services/operation/figures";
import { getOperation } from "@/lib/services/operation/list";
import { OperationFigures } from "../_components/operation-figures";
import { OperationLogs } from "../_components/operation-logs";
import { OperationPanel } from "../_components/operation-panel";
import { orNotFound } from "@/lib/pages";

export const metadata = { title: "Operation · Stevedore" };

export default async function OperationPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const { id } = await params;
  const detail = await orNotFound(getOperation({ ctx, input: { operationId: id } }));
  const figures = await getOperationFigures({ ctx, input: { operationId: id } });
  return (
    <>
      <OperationPanel initial={asJson(detail)} canCancel={can(ctx.actor.role, "operation.cancel")} canDecide={can(ctx.actor.role, "operation.start")} />
      <OperationFigures initial={asJson(figures)} />
      <OperationLogs operationId={detail.operation.id} />
    </>
  );
}
