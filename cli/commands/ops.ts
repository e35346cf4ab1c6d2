import type { Command } from "commander";
import { z } from "zod";
import { Operation, OperationDetail, OperationPage, ReindexDecision } from "../../lib/api/openapi/responses";
import { OPERATION_STATUS_FILTERS, OPERATION_TYPES } from "../../lib/operation-status";
import { clientFor, outputOf, wholeNumber } from "../context";
import { usage } from "../errors";
import { emit, progressText, table, when } from "../output";

function oneOf(name: string, allowed: readonly string[], value: string | undefined) {
  if (value !== undefined && !allowed.includes(value)) throw usage(`${name} must be one of ${allowed.join(", ")}.`);
  return value;
}

export function describeOperation(d: z.infer<typeof OperationDetail>): string {
  const op = d.operation;
  const lines = [
    `${op.type} ${op.id}`,
    `status:    ${op.status}${op.statusMessage ? ` — ${op.statusMessage}` : ""}`,
    `progress:  ${progressText(op.progress) || "-"}`,
    `requested: ${when(op.createdAt)}${d.requestedBy ? ` by ${d.requestedBy}` : ""}`,
    ...(op.finishedAt ? [`finished:  ${when(op.finishedAt)}`] : []),
    ...(op.error ? [`error:     ${op.error}`] : []),
    ...(op.result ? [`result:    ${JSON.stringify(op.result)}`] : []),
  ];
  if (d.steps.length) lines.push("checkpoints:", ...d.steps.map((s) => `  ${s.name.padEnd(16)} ${s.status}${s.error ? ` — ${s.error}` : ""}`));
  return lines.join("\n");
}

export function registerOps(program: Command) {
  const ops = program.command("ops").description("operations (jobs)");
  ops
    .command("ls")
    .description("list operations, newest first")
    .option("--status <status>", `one of ${OPERATION_STATUS_FILTERS.join(", ")}`)
    .option("--type <type>", `one of ${OPERATION_TYPES.join(", ")}`)
    .option("--limit <n>", "at most this many (1 to 200)", wholeNumber("--limit"), 50)
    .action(async (opts: { status?: string; type?: string; limit: number }, command: Command) => {
      const query = { status: oneOf("--status", OPERATION_STATUS_FILTERS, opts.status), type: oneOf("--type", OPERATION_TYPES, opts.type), limit: opts.limit };
      const list = (await (await clientFor()).get("/api/v1/operations", OperationPage, query)).rows;
      emit(outputOf(command), list, () =>
        table(
          ["ID", "TYPE", "STATUS", "PROGRESS", "CREATED", "BY"],
          list.map(({ operation: o, requestedBy }) => [o.id, o.type, o.status, progressText(o.progress), when(o.createdAt), requestedBy]),
        ),
      );
    });
  ops
    .command("show <id>")
    .description("an operation with its progress, checkpoints and error")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const detail = await (await clientFor()).get(`/api/v1/operations/${encodeURIComponent(id)}`, OperationDetail);
      emit(outputOf(command), detail, () => describeOperation(detail));
    });
  ops
    .command("cancel <id>")
    .description("cancel an operation under way")
    .action(async (id: string, _opts: unknown, command: Command) => {
      const { data } = await (await clientFor()).post(`/api/v1/operations/${encodeURIComponent(id)}/cancel`, {}, Operation);
      emit(outputOf(command), data, () => `${data.type} ${data.id}: ${data.status}.`);
    });
  ops
    .command("approve <id>")
    .description("approve a reindex awaiting approval")
    .option("--comment <text>", "why", "")
    .action(async (id: string, opts: { comment: string }, command: Command) => {
      const { data } = await (await clientFor()).post(`/api/v1/operations/${encodeURIComponent(id)}/approve`, { comment: opts.comment }, ReindexDecision);
      emit(outputOf(command), data, () => `Approved ${id}; the reindex goes on to its switch.`);
    });
  ops
    .command("reject <id>")
    .description("reject a reindex awaiting approval")
    .requiredOption("--comment <text>", "why (required)")
    .action(async (id: string, opts: { comment: string }, command: Command) => {
      const { data } = await (await clientFor()).post(`/api/v1/operations/${encodeURIComponent(id)}/reject`, { comment: opts.comment }, ReindexDecision);
      emit(outputOf(command), data, () => `Rejected ${id}; the staging version is deleted and the live one stays.`);
    });
}
