import { reminderDueAt, remindSilence } from "@/lib/silences/reminder";
import { inngest } from "../client";
import { silenceScheduled } from "../events";

/**
 * A long silence's reminder: sleeps until 30 min before its end, then re-checks that the silence
 * still exists and still ends then (an extension or an expiry sends a new event, and this run
 * does nothing), and tells its channels and creator. Durable: the sleep survives restarts.
 */
export const remindSilenceFunction = inngest.createFunction(
  { id: "remind-silence", retries: 3, triggers: [silenceScheduled] },
  async ({ event, step }) => {
    const { silenceId, startsAt, endsAt } = event.data;
    const due = reminderDueAt(new Date(startsAt), new Date(endsAt));
    if (!due) return { reminded: false, reason: "short silence" };
    await step.sleepUntil("until-reminder", due);
    return step.run("remind", () => remindSilence(silenceId, endsAt));
  },
);
