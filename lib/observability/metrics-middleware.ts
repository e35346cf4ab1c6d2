import { Middleware } from "inngest";
import { recordAttemptFailure } from "./metrics";
import { classifyFailure } from "./metrics-errors";

/**
 * Counts failed attempts (by class) and retries of every function this app serves, where the SDK
 * sees them: a step's attempt, or a whole run's for functions without steps. A step's last failure
 * comes back into its run as a StepError; that one was counted at the step.
 */
export class MetricsMiddleware extends Middleware.BaseMiddleware {
  readonly id = "stevedore-metrics";

  onStepError({ fn, error, isFinalAttempt }: Middleware.OnStepErrorArgs): void {
    recordAttemptFailure(fn.id(), classifyFailure(error, isFinalAttempt), !isFinalAttempt);
  }

  onRunError({ fn, error, isFinalAttempt }: Middleware.OnRunErrorArgs): void {
    if (error.name === "StepError") return;
    recordAttemptFailure(fn.id(), classifyFailure(error, isFinalAttempt), !isFinalAttempt);
  }
}
