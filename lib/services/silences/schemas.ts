import { z } from "zod";
import { MatchersSchema } from "@/lib/silences/matchers";
import { WeeklyRecurrenceSchema } from "@/lib/silences/recurrence";

const MAX_SPAN_MS = 366 * 24 * 3600_000;
const When = z.coerce.date({ message: "A date and time, e.g. 2026-12-24T18:00:00Z." });
const Comment = z.string().trim().min(1, { message: "Say why, in a few words (shown to whoever sees the alert held)." }).max(500, { message: "At most 500 characters." });

/** A schedule's bounds: the end after the start, not in the past, within a year. */
const bounded = <T extends { startsAt?: Date; endsAt: Date }>(s: z.ZodType<T>) =>
  s.superRefine((v, ctx) => {
    const start = v.startsAt ?? new Date();
    if (v.endsAt <= start) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Ends after it starts." });
    else if (v.endsAt <= new Date()) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "Ends in the future." });
    else if (v.endsAt.getTime() - start.getTime() > MAX_SPAN_MS) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "At most a year: set a recurring one for regular quiet." });
  });

export const CreateSilenceInput = bounded(
  z.object({
    matchers: MatchersSchema,
    startsAt: When.optional(),
    endsAt: When,
    recurrence: WeeklyRecurrenceSchema.nullish(),
    comment: Comment,
    reminderChannelIds: z.array(z.uuid({ message: "Unknown channel." })).max(20).default([]),
  }),
);

export const SilenceIdInput = z.object({ silenceId: z.uuid({ message: "Unknown silence." }) });
export const ExtendSilenceInput = z.object({ silenceId: z.uuid({ message: "Unknown silence." }), endsAt: When });
export const PreviewSilenceInput = z.object({ matchers: MatchersSchema });
export const ListSilencesInput = z.object({ state: z.enum(["active", "pending", "expired"]).optional(), limit: z.coerce.number().int().min(1).max(500).default(200) });

export const CreateWindowInput = bounded(
  z.object({
    name: z.string().trim().min(1, { message: "Give it a name." }).max(120),
    collectionId: z.uuid({ message: "Unknown collection." }).nullish(),
    startsAt: When.optional(),
    endsAt: When,
    recurrence: WeeklyRecurrenceSchema.nullish(),
    comment: z.string().trim().max(500).default(""),
  }),
);
export const WindowIdInput = z.object({ windowId: z.uuid({ message: "Unknown maintenance window." }) });
/** `end: true` ends it now; `endsAt` moves its end. */
export const UpdateWindowInput = z
  .object({ windowId: z.uuid({ message: "Unknown maintenance window." }), end: z.literal(true).optional(), endsAt: When.optional() })
  .refine((v) => v.end || v.endsAt, { message: "Give `end: true` or a new `endsAt`." });
export const ListWindowsInput = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });
