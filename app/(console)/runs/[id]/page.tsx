import { pageContext } from "@/lib/auth/actor";
import { can } from "@/lib/auth/rbac";
import { asJson } from "@/lib/query/fetch-json";
import { getExecutorRun } from "@/lib/services/run/list";
import { RunPanel } from "../_components/run-panel";
import { orNotFound } from "@/lib/pages";

export const metadata = { title: "Run · Stevedore" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await pageContext();
  const { id } = await params;
  const run = await orNotFound(getExecutorRun({ ctx, input: { runId: id } }));
  return <RunPanel initial={asJson(run)} canCancel={can(ctx.actor.role, "operation.cancel")} canRerun={can(ctx.actor.role, "operation.start")} />;
}
