import type { Logger } from "pino";
import { getLogger } from "@/lib/observability/logger";
import { CircuitBreaker } from "./breaker";
import { requestEmbeddings, type RequestContext } from "./http-request";
import { abortedError, Semaphore, TokenBucket } from "./rate-limit";
import { emptyStats, type EmbedderStats } from "./stats";
import { EmbedderError, type Embedder } from "./types";
import { approxTokens } from "./vector-math";

export type HttpEmbedderOptions = {
  /** e.g. `https://api.openai.com/v1`; requests go to `{baseUrl}/embeddings`. */
  baseUrl: string;
  apiKey?: string;
  /** The provider's model id, e.g. `text-embedding-3-small`. */
  model: string;
  /** `Embedder.model`, stored on collections; default `openai:<model>`. */
  name?: string;
  /** Every returned vector must have this length; a mismatch is a non-retryable error. */
  dimension: number;
  /** Inputs per request (default 64) and estimated tokens per request (chars / 4, default 100k). */
  maxBatchSize?: number;
  maxBatchTokens?: number;
  /** Client-side limits; callers wait for them rather than fail. Unset or 0: unlimited. */
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 5), backoff from `retryBaseMs` (500) up to `retryMaxDelayMs` (30 s). */
  maxRetries?: number;
  retryBaseMs?: number;
  retryMaxDelayMs?: number;
  /** Consecutive failed requests that open the breaker (default 5), and how long it stays open (60 s). */
  breakerFailures?: number;
  breakerResetMs?: number;
  /** Concurrent `embed()` calls within this window share requests (default 5 ms; 0 turns it off). */
  batchWindowMs?: number;
  /** Requests in flight at once (default 4). */
  maxConcurrency?: number;
};

export type HttpEmbedder = Embedder & { stats(): EmbedderStats };

type Call = {
  texts: string[];
  vectors: Array<Float32Array | undefined>;
  /** The caller's usage, raised by its share of each request's tokens. */
  usage?: { tokens: number };
  remaining: number;
  settled: boolean;
  groups: Group[];
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: unknown) => void;
  detach?: () => void;
};

/** One HTTP request's worth of inputs, possibly from several calls. Aborted once nobody waits for it. */
type Group = { slots: Array<{ call: Call; pos: number }>; calls: Set<Call>; controller: AbortController };

/** Embedder for any OpenAI-compatible `POST /embeddings` endpoint (OpenAI, vLLM, TEI, Ollama). */
export function createHttpEmbedder(opts: HttpEmbedderOptions): HttpEmbedder {
  const name = opts.name ?? `openai:${opts.model}`;
  const url = embeddingsUrl(opts.baseUrl);
  if (!Number.isInteger(opts.dimension) || opts.dimension < 1) throw new EmbedderError(`${name}: dimension must be a positive integer`, false);
  const maxBatchSize = Math.max(1, opts.maxBatchSize ?? 64);
  const maxBatchTokens = Math.max(1, opts.maxBatchTokens ?? 100_000);
  const batchWindowMs = opts.batchWindowMs ?? 5;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const stats = emptyStats();
  let logger: Logger | undefined;
  const log = () => (logger ??= getLogger().child({ component: "embedder", model: name }));
  const breaker = new CircuitBreaker({
    failureThreshold: Math.max(1, opts.breakerFailures ?? 5),
    resetMs: opts.breakerResetMs ?? 60_000,
    trialWaitMs: timeoutMs,
    onOpen: (failures, lastError) => {
      stats.breakerOpens++;
      log().error({ failures, err: lastError }, "embedding circuit breaker opened");
    },
    onClose: () => log().info("embedding circuit breaker closed"),
  });
  const ctx: RequestContext = {
    cfg: {
      url,
      apiKey: opts.apiKey,
      model: opts.model,
      dimension: opts.dimension,
      timeoutMs,
      maxRetries: Math.max(0, opts.maxRetries ?? 5),
      retryBaseMs: opts.retryBaseMs ?? 500,
      retryMaxDelayMs: opts.retryMaxDelayMs ?? 30_000,
    },
    breaker,
    rpm: opts.requestsPerMinute ? new TokenBucket(opts.requestsPerMinute) : undefined,
    tpm: opts.tokensPerMinute ? new TokenBucket(opts.tokensPerMinute) : undefined,
    stats,
    log,
  };
  const semaphore = new Semaphore(Math.max(1, opts.maxConcurrency ?? 4));
  let queue: Call[] = [];
  let queuedInputs = 0;
  let timer: NodeJS.Timeout | undefined;

  function settle(call: Call, err?: unknown): void {
    if (call.settled) return;
    call.settled = true;
    call.detach?.();
    if (err === undefined) call.resolve(call.vectors as Float32Array[]);
    else call.reject(err);
    for (const group of call.groups) {
      if ([...group.calls].every((c) => c.settled)) group.controller.abort();
    }
  }

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    const calls = queue.filter((c) => !c.settled);
    queue = [];
    queuedInputs = 0;
    for (const group of packGroups(calls, maxBatchSize, maxBatchTokens)) void runGroup(group);
  }

  async function runGroup(group: Group): Promise<void> {
    const release = await semaphore.acquire();
    try {
      if (group.controller.signal.aborted) return;
      const texts = group.slots.map((s) => s.call.texts[s.pos]!);
      // A request shared by several calls: each is charged its share of the tokens, by inputs.
      const vectors = await requestEmbeddings(ctx, texts, group.controller.signal, (tokens) => {
        for (const slot of group.slots) if (slot.call.usage) slot.call.usage.tokens += tokens / group.slots.length;
      });
      group.slots.forEach((slot, i) => {
        slot.call.vectors[slot.pos] = vectors[i];
        if (--slot.call.remaining === 0) settle(slot.call);
      });
    } catch (err) {
      for (const call of group.calls) settle(call, err);
    } finally {
      release();
    }
  }

  return {
    model: name,
    dimension: opts.dimension,
    embed(texts, embedOpts) {
      if (texts.length === 0) return Promise.resolve([]);
      const blank = texts.findIndex((t) => typeof t !== "string" || t.trim() === "");
      if (blank >= 0) return Promise.reject(new EmbedderError(`empty text at index ${blank}`, false));
      const signal = embedOpts?.signal;
      if (signal?.aborted) return Promise.reject(abortedError());
      stats.calls++;
      stats.inputs += texts.length;
      return new Promise<Float32Array[]>((resolve, reject) => {
        const call: Call = { texts, vectors: new Array(texts.length), usage: embedOpts?.usage, remaining: texts.length, settled: false, groups: [], resolve, reject };
        if (signal) {
          const onAbort = () => settle(call, abortedError());
          signal.addEventListener("abort", onAbort, { once: true });
          call.detach = () => signal.removeEventListener("abort", onAbort);
        }
        queue.push(call);
        queuedInputs += texts.length;
        if (queuedInputs >= maxBatchSize || batchWindowMs <= 0) flush();
        else timer ??= setTimeout(flush, batchWindowMs);
      });
    },
    state: () => breaker.state(name),
    stats: () => ({ ...stats }),
  };
}

/** Packs the calls' texts, in order, into requests of at most `maxSize` inputs and `maxTokens` estimated tokens. */
function packGroups(calls: Call[], maxSize: number, maxTokens: number): Group[] {
  const groups: Group[] = [];
  let current: Group | undefined;
  let tokens = 0;
  for (const call of calls) {
    call.texts.forEach((text, pos) => {
      const t = approxTokens(text);
      if (!current || current.slots.length >= maxSize || (tokens + t > maxTokens && current.slots.length > 0)) {
        current = { slots: [], calls: new Set(), controller: new AbortController() };
        groups.push(current);
        tokens = 0;
      }
      current.slots.push({ call, pos });
      tokens += t;
      if (!current.calls.has(call)) {
        current.calls.add(call);
        call.groups.push(current);
      }
    });
  }
  return groups;
}

function embeddingsUrl(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("protocol");
  } catch {
    throw new EmbedderError("the embedding service URL must be an absolute http(s) URL", false);
  }
  return `${baseUrl.replace(/\/+$/, "")}/embeddings`;
}
