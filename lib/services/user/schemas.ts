import { z } from "zod";
import { ROLES } from "@/db/schema/users";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid e-mail address." }));
export const Password = z
  .string()
  .min(12, { message: "Use at least 12 characters." })
  .max(200, { message: "Use at most 200 characters." });
export const RoleInput = z.enum(ROLES, { message: "Choose viewer, operator or admin." });
