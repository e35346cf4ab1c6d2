import { z } from "zod";
import { RoleInput } from "../user/schemas";

const LIMIT_MESSAGE = "Enter a whole number of 0 or more, or leave it empty for no limit (null in the API).";

/** A limit: a whole number, or null for none. A form's empty field is null; "1,000" is 1000. */
const Limit = (max: number, unit: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? null : Number(v.replace(/[,_\s]/g, ""))) : v),
    z
      .number({ message: LIMIT_MESSAGE })
      .int({ message: LIMIT_MESSAGE })
      .min(0, { message: LIMIT_MESSAGE })
      .max(max, { message: `At most ${max.toLocaleString("en-US")} ${unit}, or leave it empty for no limit.` })
      .nullable(),
  );

export const RoleQuotaInput = z.object({
  role: RoleInput,
  maxConcurrentOperations: Limit(10_000, "operations"),
  maxPointsPerCollection: Limit(1_000_000_000_000, "points"),
  maxCollections: Limit(1_000_000, "collections"),
});

/** `PUT /api/v1/quotas` and each role's form: the roles given are replaced whole; null is no limit. */
export const UpdateQuotasInput = z.object({
  quotas: z
    .array(RoleQuotaInput)
    .min(1, { message: "Give the limits of at least one role." })
    .max(3)
    .refine((list) => new Set(list.map((q) => q.role)).size === list.length, { message: "Give each role at most once." }),
});
