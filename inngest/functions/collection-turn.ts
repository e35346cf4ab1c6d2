import type { GetStepTools } from "inngest";
import { env } from "@/lib/env";
import { failOperation } from "@/lib/pipeline/rollback";
import { internalError } from "@/lib/pipeline/errors";
import { operationLogger } from "@/lib/pipeline/log";
import { claimTurn } from "@/lib/pipeline/turn";
import { collectionReleased, type backupRequested, type clearRequested, type Continuation, type reindexRequested, type restoreRequested, type rollbackRequested, type sourceIndexRequested, type sourceRemoveRequested } from "../events";
import type { inngest } from "../client";

type Step = GetStepTools<typeof inngest>;

/** A release can come between the check and the wait; then the wait's timeout (1 s, doubling, up to 30 s) is the next check. */
const recheck = (i: number) => `${Math.min(30, 2 ** i)}s`;

/** Counts the steps of one run, so a long function continues in a fresh run well before Inngest's 1,000. */
export class StepBudget {
  used = 0;
  readonly limit = env().STEVEDORE_RUN_STEP_BUDGET;
  spend(n = 1) {
    this.used += n;
  }
  /** Whether `n` more steps, plus the one that sends the continuation, still fit. */
  fits(n: number) {
    return this.used + n + 1 <= this.limit;
  }
}

type ChainEvent =
  | typeof sourceIndexRequested.name
  | typeof sourceRemoveRequested.name
  | typeof reindexRequested.name
  | typeof rollbackRequested.name
  | typeof backupRequested.name
  | typeof restoreRequested.name
  | typeof clearRequested.name;

/**
 * One run of a long operation's chain: where it starts (the continuation it was sent, if any), its
 * step budget, and how it hands on to the next run (its own trigger again, with a deterministic id).
 */
export function chainedRun(step: Step, fnId: string, eventName: ChainEvent, data: { operationId: string; correlationId?: string; continuation?: Continuation }) {
  const { operationId, correlationId } = data;
  const from = data.continuation;
  const n = from?.n ?? 0;
  return {
    ref: { operationId, correlationId },
    from,
    budget: new StepBudget(),
    continueIn: async (next: Omit<Continuation, "n">) => {
      await step.sendEvent("continue", { id: `${operationId}:${fnId}:${n + 1}`, name: eventName, data: { operationId, correlationId, continuation: { ...next, n: n + 1 } } });
      return { continued: n + 1, phase: next.phase };
    },
  };
}

export type Turn = { status: "go" | "cancelled" | "continue"; collectionId?: string };

/**
 * Durably waits until this operation is the oldest unfinished mutating one of its collection:
 * checks, then waits for stevedore/collection.released of that collection (or RECHECK), and again.
 * "continue" when the run's step budget is spent first: the caller goes on in a fresh run.
 */
export async function waitForCollectionTurn(step: Step, operationId: string, budget: StepBudget): Promise<Turn> {
  for (let i = 0; budget.fits(2); i++) {
    const turn = await step.run(`claim-turn-${i}`, () => claimTurn(operationId));
    budget.spend();
    if (turn.finished) return { status: "cancelled" };
    if (turn.go) return { status: "go", collectionId: turn.collectionId };
    await step.waitForEvent(`turn-released-${i}`, { event: collectionReleased, if: `async.data.collectionId == ${JSON.stringify(turn.collectionId ?? "")}`, timeout: recheck(i) });
    budget.spend();
  }
  return { status: "continue" };
}

type FailureArgs = { event: { data: { event: { data: { operationId: string; correlationId?: string } } } }; error: { name?: string; message: string } };

/**
 * The `onFailure` of every collection operation: unfinished documents are rolled back and the
 * operation fails. A permanent error (a NonRetriableError our steps raised) shows its reason; any
 * other shows only "Internal error" with the correlation id, and its text goes to the log.
 */
export async function failCollectionOperation({ event, error }: FailureArgs) {
  const ref = event.data.event.data;
  const permanent = error.name === "NonRetriableError";
  if (!permanent) operationLogger(ref).error({ cause: error }, "operation failed after its retries");
  await failOperation(ref, permanent ? `Stopped: ${error.message}` : internalError(ref.correlationId));
}
