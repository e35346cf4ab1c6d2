import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

/**
 * The functions' endpoint, in cloud mode wherever the executor runs: every call must carry a valid
 * `x-inngest-signature` (401 otherwise). Unsigned syncs are refused too: a plain PUT would make the
 * SDK register this app at whatever URL the request's Host header names.
 */
export const { GET, POST, PUT } = serve({ client: inngest, functions, enableUnauthedSync: false });
