import type { BreakerState, EmbedderState } from "./types";

export type BreakerPermit = { ok: true; trial: boolean } | { ok: false; retryAfterMs: number };

/**
 * Consecutive-failure circuit breaker. Open: every request is refused until `resetMs` has passed;
 * then one trial request goes through (half-open) and its outcome closes or re-opens the circuit.
 * Only failures of the service itself count (5xx, network, timeout): a 4xx proves it is up.
 */
export class CircuitBreaker {
  private open = false;
  private failures = 0;
  private openedAt: number | null = null;
  private retryAt: number | null = null;
  private trialInFlight = false;
  private lastError: string | null = null;

  constructor(
    private readonly opts: {
      failureThreshold: number;
      resetMs: number;
      /** How long callers refused during a trial should wait: the trial ends within one timeout. */
      trialWaitMs: number;
      onOpen?: (failures: number, lastError: string) => void;
      onClose?: () => void;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Whether a request may be sent now, without claiming the half-open trial. */
  peek(): BreakerPermit {
    if (!this.open) return { ok: true, trial: false };
    const wait = this.retryAt! - this.now();
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    if (this.trialInFlight) return { ok: false, retryAfterMs: this.opts.trialWaitMs };
    return { ok: true, trial: true };
  }

  acquire(): BreakerPermit {
    const permit = this.peek();
    if (permit.ok && permit.trial) this.trialInFlight = true;
    return permit;
  }

  /** The service answered (2xx, or a 4xx that is the input's fault). */
  recordSuccess(permit: BreakerPermit): void {
    const wasOpen = this.open;
    this.release(permit);
    this.open = false;
    this.failures = 0;
    this.openedAt = null;
    this.retryAt = null;
    this.lastError = null;
    if (wasOpen) this.opts.onClose?.();
  }

  recordFailure(permit: BreakerPermit, message: string): void {
    this.release(permit);
    this.failures++;
    this.lastError = message;
    const trial = permit.ok && permit.trial;
    if (trial || (!this.open && this.failures >= this.opts.failureThreshold)) {
      this.open = true;
      this.openedAt = this.now();
      this.retryAt = this.openedAt + this.opts.resetMs;
      this.opts.onOpen?.(this.failures, message);
    }
  }

  /** Neither proof of health nor of failure (a 429, a caller's abort): only frees the trial slot. */
  recordNeutral(permit: BreakerPermit, message?: string): void {
    this.release(permit);
    if (message) this.lastError = message;
  }

  private release(permit: BreakerPermit): void {
    if (permit.ok && permit.trial) this.trialInFlight = false;
  }

  state(model: string): EmbedderState {
    let breaker: BreakerState = "closed";
    if (this.open) breaker = this.retryAt! <= this.now() ? "half_open" : "open";
    return {
      model,
      breaker,
      consecutiveFailures: this.failures,
      openedAt: this.openedAt === null ? null : new Date(this.openedAt).toISOString(),
      retryAt: this.retryAt === null ? null : new Date(this.retryAt).toISOString(),
      lastError: this.lastError,
    };
  }
}
