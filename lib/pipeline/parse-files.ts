import type { ParsedFile, Tasks } from "@/lib/workers/tasks";
import { runTask } from "@/lib/workers/pool";

type ParseFilesInput = Parameters<Tasks["parseFiles"]>[0];
type Runner = (input: ParseFilesInput) => Promise<ParsedFile[]>;

const OUT_OF_MEMORY = "ERR_WORKER_OUT_OF_MEMORY";

export const TOO_BIG_TO_PARSE = "Parsing this file needs more memory than a parser thread is given, so it is refused as too large. Split it into smaller files.";

/**
 * parseFiles in a worker thread, whose heap is capped. A group that runs it out of memory is parsed
 * again a file at a time, and a file that does so alone is refused as too large: one such file must
 * not fail its whole batch again and again.
 */
export async function parseFilesBounded(input: ParseFilesInput, run: Runner = (i) => runTask("parseFiles", i)): Promise<ParsedFile[]> {
  try {
    return await run(input);
  } catch (err) {
    if ((err as { code?: string }).code !== OUT_OF_MEMORY) throw err;
    if (input.files.length === 1) return [{ kind: "refused", reason: "too_large", message: TOO_BIG_TO_PARSE }];
    const out: ParsedFile[] = [];
    for (const file of input.files) out.push(...(await parseFilesBounded({ ...input, files: [file] }, run)));
    return out;
  }
}
