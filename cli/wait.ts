import { SingleBar, Presets } from "cli-progress";
import { OperationDetail, ReindexDecision } from "../lib/api/openapi/responses";
import type { ApiClient } from "./client";
import { CliError, EXIT } from "./errors";
import type { Output } from "./output";

const POLL_MS = 1000;
const FINISHED = new Set(["succeeded", "failed", "cancelled"]);

type Detail = ReturnType<typeof OperationDetail.parse>;

/** A REINDEX awaiting its approval: waiting, with its approval checkpoint open and undecided. */
export function awaitsApproval(detail: Detail): boolean {
  if (detail.operation.status !== "waiting") return false;
  const step = detail.steps.find((s) => s.name === "approval");
  return !!step && step.status === "running" && !(step.output as { decision?: unknown } | null)?.decision;
}

/**
 * Polls GET /api/v1/operations/{id} until the operation ends, with a progress bar on a terminal
 * (done / total from its progress). Resolves on success; a failure or cancel is a CliError (exit 1).
 */
export async function waitForOperation(client: ApiClient, operationId: string, out: Output, options: { approve?: boolean } = {}): Promise<Detail> {
  const interactive = !out.json && process.stderr.isTTY;
  const bar = interactive ? new SingleBar({ format: "{type} {bar} {value}/{total} {unit} | {status}{eta}", stream: process.stderr, hideCursor: true, barsize: 30 }, Presets.shades_classic) : null;
  let started = false;
  let lastLine = "";
  let approved = false;
  try {
    for (;;) {
      const detail = await client.get(`/api/v1/operations/${operationId}`, OperationDetail);
      const op = detail.operation;
      const progress = op.progress;
      const payload = { type: op.type, unit: progress?.unit ?? "", status: op.statusMessage ?? op.status, eta: progress?.etaS ? ` | ETA ${Math.round(progress.etaS)} s` : "" };
      if (bar) {
        if (!started) bar.start(progress?.total ?? 0, progress?.done ?? 0, payload);
        else {
          bar.setTotal(progress?.total ?? 0);
          bar.update(progress?.done ?? 0, payload);
        }
        started = true;
      } else if (!out.json) {
        const line = `${op.type} ${op.status}${progress ? ` ${progress.done}/${progress.total} ${progress.unit}` : ""}${op.statusMessage ? ` — ${op.statusMessage}` : ""}`;
        if (line !== lastLine) process.stderr.write(line + "\n");
        lastLine = line;
      }
      if (FINISHED.has(op.status)) {
        if (op.status === "succeeded") return detail;
        throw new CliError(EXIT.failed, `${op.type} ${op.status}${op.error ? `: ${op.error}` : "."} Details: \`stevedore ops show ${op.id}\`.`, detail);
      }
      if (options.approve && !approved && awaitsApproval(detail)) {
        await client.post(`/api/v1/operations/${operationId}/approve`, { comment: "Approved with stevedore reindex --approve." }, ReindexDecision);
        approved = true;
        if (!out.json && !bar) process.stderr.write("approved\n");
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    bar?.stop();
  }
}
