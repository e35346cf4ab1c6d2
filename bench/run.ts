import { benchAlerting } from "./alerting";
import { benchAudit } from "./audit";
import { benchBackup } from "./backup";
import { benchBackupFormat } from "./backup-format";
import { benchColdStart } from "./coldstart";
import { benchEmbed } from "./embed";
import { benchExecutor } from "./executor";
import { benchIngest } from "./ingest";
import { benchMemory } from "./memory";
import { benchObservability } from "./observability";
import { benchParse } from "./parse";
import { benchReindex } from "./reindex";
import { benchVector } from "./vector";

/** `npm run bench [-- name ...]`: runs the named benchmarks (all by default), one JSON line each. */
const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  alerting: benchAlerting,
  audit: benchAudit,
  backup: benchBackup,
  "backup-format": benchBackupFormat,
  coldstart: benchColdStart,
  embed: benchEmbed,
  executor: () => benchExecutor(),
  ingest: benchIngest,
  memory: benchMemory,
  observability: benchObservability,
  parse: benchParse,
  reindex: benchReindex,
  vector: benchVector,
};

async function main() {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(", ")}; choose from ${Object.keys(BENCHES).join(", ")}\n`);
    process.exit(2);
  }
  for (const name of names.length ? names : Object.keys(BENCHES)) {
    process.stdout.write(JSON.stringify(await BENCHES[name]!()) + "\n");
  }
  process.exit(0);
}

void main();
