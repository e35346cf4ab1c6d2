import { z } from "zod";
import { ALERT_OPERATORS, ALERT_SEVERITIES } from "@/db/schema/alerts";
import { SOURCE_NAMES } from "@/lib/alerts/sources";

const LabelName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: "A label name: lowercase letters, digits and _." });

const Fields = {
  name: z.string().trim().min(1, { message: "Name the rule." }).max(120, { message: "At most 120 characters." }),
  source: z.enum(SOURCE_NAMES, { message: `One of: ${SOURCE_NAMES.join(", ")}.` }),
  matchers: z.record(LabelName, z.string().max(200)).refine((m) => Object.keys(m).length <= 10, { message: "At most 10 matchers." }),
  operator: z.enum(ALERT_OPERATORS, { message: "One of gt, lt, gte, lte, eq." }),
  threshold: z.coerce.number({ message: "The threshold must be a number." }).refine(Number.isFinite, { message: "The threshold must be a number." }),
  forSeconds: z.coerce.number({ message: "Whole seconds." }).int({ message: "Whole seconds." }).min(0, { message: "0 or more." }).max(7 * 86400, { message: "At most 7 days." }),
  severity: z.enum(ALERT_SEVERITIES, { message: "One of info, warning, critical." }),
  description: z.string().trim().max(500, { message: "At most 500 characters." }),
  channelIds: z.array(z.uuid({ message: "Unknown channel." })).max(20, { message: "At most 20 channels." }),
  enabled: z.boolean(),
  escalationPolicyId: z.uuid({ message: "Unknown escalation policy." }).nullable(),
};

/** A rule as an admin writes it (Alerts → Rules, or the API); its kind follows from its source. */
export const CreateRuleInput = z.object({
  ...Fields,
  matchers: Fields.matchers.default({}),
  operator: Fields.operator.default("gt"),
  threshold: Fields.threshold.default(0),
  forSeconds: Fields.forSeconds.default(0),
  severity: Fields.severity.default("warning"),
  description: Fields.description.default(""),
  channelIds: Fields.channelIds.default([]),
  enabled: Fields.enabled.default(true),
  escalationPolicyId: Fields.escalationPolicyId.default(null),
});

/** The fields given are changed; the others are kept. */
export const UpdateRuleInput = z.object(Fields).partial().extend({ ruleId: z.uuid({ message: "Unknown rule." }) });

/** What a preview needs of a rule: what it watches and when it fires. */
export const PreviewRuleInput = z.object({
  source: Fields.source,
  matchers: Fields.matchers.default({}),
  operator: Fields.operator.default("gt"),
  threshold: Fields.threshold.default(0),
  forSeconds: Fields.forSeconds.default(0),
});

export const DeleteRuleInput = z.object({ ruleId: z.uuid({ message: "Unknown rule." }) });

/** A level tells channels, users (by id, emailed at their account address), or both: at least one of them. */
export const EscalationLevelInput = z
  .object({
    channelIds: z.array(z.uuid({ message: "Unknown channel." })).max(20, { message: "At most 20 channels." }).default([]),
    userIds: z.array(z.uuid({ message: "Unknown user." })).max(20, { message: "At most 20 users." }).default([]),
    delaySeconds: z.coerce.number({ message: "Whole seconds." }).int({ message: "Whole seconds." }).min(0, { message: "0 or more." }).max(7 * 86400, { message: "At most 7 days." }),
  })
  .refine((l) => l.channelIds.length + l.userIds.length > 0, { message: "Name at least one channel or user.", path: ["channelIds"] });
/** Repeats of the last level: up to MAX_REPEATS_PER_RUN per escalation run, the rest in runs chained by an event carrying the cursor. */
export const MAX_REPEAT_LAST_LEVEL = 1000;
const PolicyFields = {
  name: z.string().trim().min(1, { message: "Name the policy." }).max(120, { message: "At most 120 characters." }),
  levels: z.array(EscalationLevelInput).min(1, { message: "Give at least one level." }).max(10, { message: "At most 10 levels." }),
  repeatLastLevel: z.coerce.number({ message: "A whole number." }).int({ message: "A whole number." }).min(0, { message: "0 or more." }).max(MAX_REPEAT_LAST_LEVEL, { message: `At most ${MAX_REPEAT_LAST_LEVEL}.` }),
};
/** A repeated last level needs a delay, or its repeats would all go at once. */
const repeatNeedsDelay = (p: { levels?: { delaySeconds: number }[]; repeatLastLevel?: number }) => !p.repeatLastLevel || !p.levels || (p.levels.at(-1)?.delaySeconds ?? 0) >= 1;
const REPEAT_DELAY = { message: "A repeated last level needs a delay of 1 s or more (the time between repeats).", path: ["repeatLastLevel"] };
export const CreateEscalationPolicyInput = z.object({ ...PolicyFields, repeatLastLevel: PolicyFields.repeatLastLevel.default(0) }).refine(repeatNeedsDelay, REPEAT_DELAY);
export const UpdateEscalationPolicyInput = z
  .object({ policyId: z.uuid({ message: "Unknown escalation policy." }), name: PolicyFields.name.optional(), levels: PolicyFields.levels.optional(), repeatLastLevel: PolicyFields.repeatLastLevel.optional() })
  .refine(repeatNeedsDelay, REPEAT_DELAY);
export const EscalationPolicyIdInput = z.object({ policyId: z.uuid({ message: "Unknown escalation policy." }) });
