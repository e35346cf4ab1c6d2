import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema/users";

/** The user behind a session, unless the account has been disabled since it signed in. */
export async function findActiveUser(id: string) {
  const [user] = await getDb().select().from(users).where(eq(users.id, id));
  return user && !user.disabledAt ? user : undefined;
}
