import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { silences } from "@/db/schema/silences";
import { actorContext } from "@/db/test/factories";
import { waitFor } from "@/inngest/local-executor/test-support/app-server";
import { startHttpReceiver } from "@/lib/alerts/test-support/receivers";
import { startPipelineHarness, type PipelineHarness } from "@/lib/pipeline/test-support/harness";
import { REMIND_BEFORE_MS } from "@/lib/silences/reminder";

/** remind-silence through the local executor and the real /api/inngest handler: its durable sleep, then one reminder. */
describe("remind-silence through the executor", () => {
  let h: PipelineHarness;
  let web: Awaited<ReturnType<typeof startHttpReceiver>>;

  beforeAll(async () => {
    web = await startHttpReceiver();
    h = await startPipelineHarness();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await web?.close();
  });

  it("sleeps until 30 min before a long silence ends, reminds its channel once, and a repeated schedule reminds no one again", async () => {
    const admin = await actorContext("admin");
    const operator = await actorContext("operator");
    const { createChannel } = await import("@/lib/services/alerts/create-channel");
    const { createSilence } = await import("@/lib/services/silences/create-silence");
    const { inngest } = await import("@/inngest/client");
    const { silenceScheduled } = await import("@/inngest/events");
    const channel = await createChannel({ ctx: admin, input: { type: "webhook", name: `remind ${randomUUID()}`, url: `${web.url}/remind` } });
    // Started 5 h ago (a long silence), ending 30 min and 6 s from now: the reminder is due in 6 s.
    const lead = 6_000;
    const created = Date.now();
    const s = await createSilence({
      ctx: operator,
      input: { matchers: [{ label: "collection", op: "=", value: `r-${randomUUID()}` }], startsAt: new Date(created - 5 * 3600_000).toISOString(), endsAt: new Date(created + REMIND_BEFORE_MS + lead).toISOString(), comment: "overnight reindex", reminderChannelIds: [channel.id] },
    });
    const reminders = () => web.received.filter((r) => r.path === "/remind");
    await waitFor(async () => reminders().length > 0, 60_000, "the reminder");
    // Not before its time: the sleep held until the reminder was due.
    expect(reminders()[0]!.at).toBeGreaterThanOrEqual(created + lead - 1000);
    expect(JSON.parse(reminders()[0]!.body)).toMatchObject({ kind: "silence-reminder", silence: { id: s.id, comment: "overnight reindex" } });
    const [stored] = await getDb().select().from(silences).where(eq(silences.id, s.id));
    expect(stored!.reminder).toMatchObject({ forEndsAt: s.endsAt.toISOString(), deliveries: [{ to: channel.name, ok: true }, { to: operator.actor.email, ok: false }] });

    // The same schedule sent again (another id, so the executor runs it): the run finds it reminded.
    await inngest.send({ id: `again-${randomUUID()}`, name: silenceScheduled.name, data: { silenceId: s.id, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() } });
    await new Promise((r) => setTimeout(r, 4_000));
    expect(reminders().length).toBe(1);
  }, 120_000);
});
