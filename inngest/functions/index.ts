import { runSelfTest } from "./run-self-test";

/** Every Inngest function the app serves; `app/api/inngest/route.ts` registers this list. */
export const functions = [runSelfTest];
