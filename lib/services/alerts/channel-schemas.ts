import { z } from "zod";

const HttpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      return ["http:", "https:"].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, { message: "An http:// or https:// address." });

const Name = z.string().trim().min(1, { message: "Name the channel." }).max(120, { message: "At most 120 characters." });
const Recipients = z
  .array(z.email({ message: "An email address." }))
  .min(1, { message: "Give at least one recipient." })
  .max(20, { message: "At most 20 recipients." });
const Secret = z.string().min(16, { message: "At least 16 characters." }).max(200);

/** A channel as an admin adds it; a webhook without a secret gets a generated one, shown once. */
export const CreateChannelInput = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("email"), name: Name, to: Recipients, enabled: z.boolean().default(true) }),
    z.object({ type: z.literal("slack"), name: Name, url: HttpUrl, enabled: z.boolean().default(true) }),
    z.object({ type: z.literal("webhook"), name: Name, url: HttpUrl, secret: Secret.optional(), enabled: z.boolean().default(true) }),
  ],
  { message: "One of email, slack, webhook." },
);

/** The fields given are changed (those of the channel's own type); a webhook's secret is kept unless a new one is given. */
export const UpdateChannelInput = z.object({
  channelId: z.uuid({ message: "Unknown channel." }),
  name: Name.optional(),
  enabled: z.boolean().optional(),
  to: Recipients.optional(),
  url: HttpUrl.optional(),
  secret: Secret.optional(),
});

export const ChannelIdInput = z.object({ channelId: z.uuid({ message: "Unknown channel." }) });

export const ListDeliveriesInput = z.object({
  channelId: z.uuid().optional(),
  alertId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
