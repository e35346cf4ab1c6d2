import type { Command } from "commander";
import { ReindexPlan, ReindexStarted } from "../../lib/api/openapi/responses";
import { clientFor, outputOf, wholeNumber } from "../context";
import { CliError, EXIT } from "../errors";
import { emit } from "../output";
import { resolveCollection } from "../resolve";
import { waitForOperation } from "../wait";
import { describeOperation } from "./ops";

type Options = { chunkSize?: number; chunkOverlap?: number; embeddingModel?: string; requireApproval?: boolean; approve?: boolean; dryRun?: boolean; wait?: boolean };

export function registerReindex(program: Command) {
  program
    .command("reindex <collection>")
    .description("start a blue-green REINDEX with new settings (the collection by name or id)")
    .option("--chunk-size <n>", "characters per chunk", wholeNumber("--chunk-size"))
    .option("--chunk-overlap <n>", "characters shared by neighbouring chunks", wholeNumber("--chunk-overlap"))
    .option("--embedding-model <model>", "builtin-hash, builtin-hash-<dimension> or openai:<model>")
    .option("--require-approval", "stop after validation until someone approves")
    .option("--approve", "approve it when it awaits approval (implies --wait)")
    .option("--dry-run", "show the diff, estimate and refusals; start nothing (exit 1 if a start would be refused)")
    .option("--wait", "follow it to the end with a progress bar")
    .action(async (name: string, opts: Options, command: Command) => {
      const out = outputOf(command);
      const client = await clientFor();
      const collection = await resolveCollection(client, name);
      const settings = { chunkSize: opts.chunkSize, chunkOverlap: opts.chunkOverlap, embeddingModel: opts.embeddingModel };
      // The user named the collection on the command line: that is the typed confirmation.
      const body = { settings, requireApproval: !!opts.requireApproval, confirm: collection.name, dryRun: !!opts.dryRun };
      const path = `/api/v1/collections/${collection.id}/reindex`;
      if (opts.dryRun) {
        const { data: plan } = await client.post(path, body, ReindexPlan);
        emit(out, plan, () => {
          const diff = plan.diff.map((d) => `  ${d.field}: ${d.from} → ${d.to}`).join("\n") || "  (no change)";
          const refusals = Object.entries(plan.refusals).flatMap(([field, messages]) => messages.map((m) => `  ${field === "_form" ? "" : `${field}: `}${m}`));
          return [`Reindex of ${collection.name} (dry run, nothing started)`, "changes:", diff, `estimate: ${JSON.stringify(plan.estimate)}`, refusals.length ? `refused:\n${refusals.join("\n")}` : "no refusals: a start would go ahead"].join("\n");
        });
        if (Object.keys(plan.refusals).length) throw new CliError(EXIT.failed, "A start would be refused (see above).");
        return;
      }
      const { data: started } = await client.post(path, body, ReindexStarted);
      if (!opts.wait && !opts.approve) {
        emit(out, started, () => `REINDEX of ${collection.name} started: operation ${started.operationId}. Follow it with \`stevedore ops show ${started.operationId}\`.`);
        return;
      }
      const detail = await waitForOperation(client, started.operationId, out, { approve: opts.approve });
      emit(out, detail, () => describeOperation(detail));
    });
}
