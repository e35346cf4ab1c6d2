import fs from "node:fs/promises";
import path from "node:path";

const WORDS = (
  "vector index collection shard replica embedding chunk document source pipeline operator backup restore alias version " +
  "query latency throughput cosine distance payload filter segment compaction snapshot checkpoint retry breaker batch " +
  "harbour crane container vessel cargo manifest berth quay tide pilot tugboat freight ledger customs warehouse schedule " +
  "river mountain forest meadow glacier canyon desert island valley harbor lantern compass anchor rope sail keel rudder"
).split(" ");

/** A small deterministic PRNG, so every run indexes the same corpus. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes `count` markdown documents of about `bytesEach` bytes under `dir` (100 per folder). With
 * `topics`, document i is about topic i % topics: most of its words are that topic's own, so a
 * query finds its topic's documents, as in a real corpus (the reindex bench validates on that).
 */
export async function writeCorpus(dir: string, count: number, bytesEach = 2000, opts: { topics?: number } = {}): Promise<{ bytes: number }> {
  const rand = mulberry32(42);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `part-${String(Math.floor(i / 100)).padStart(3, "0")}`);
    if (i % 100 === 0) await fs.mkdir(folder, { recursive: true });
    const paragraphs: string[] = [`# Document ${i}`];
    let size = 20;
    while (size < bytesEach) {
      const topic = opts.topics ? i % opts.topics : 0;
      const word = () => (opts.topics && rand() < 0.7 ? `${WORDS[(topic * 7 + Math.floor(rand() * 12)) % WORDS.length]}${topic}` : WORDS[Math.floor(rand() * WORDS.length)]);
      const words = Array.from({ length: 40 + Math.floor(rand() * 40) }, word);
      const paragraph = words.join(" ") + ` (ref ${i}-${paragraphs.length}).`;
      paragraphs.push(paragraph);
      size += paragraph.length + 2;
    }
    const text = paragraphs.join("\n\n") + "\n";
    bytes += Buffer.byteLength(text);
    await fs.writeFile(path.join(folder, `doc-${i}.md`), text);
  }
  return { bytes };
}
