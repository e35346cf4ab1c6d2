import { randomUUID } from "node:crypto";
import { getDb } from "../client";
import { collections } from "../schema/collections";
import { users, type Role } from "../schema/users";
import { hashPassword } from "../../lib/auth/password";
import type { ServiceContext } from "../../lib/services/context";

export const TEST_PASSWORD = "correct horse battery staple";
let hashed: Promise<string> | undefined;

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

export async function createTestUser(role: Role, overrides: Partial<typeof users.$inferInsert> = {}) {
  hashed ??= hashPassword(TEST_PASSWORD);
  const [user] = await getDb()
    .insert(users)
    .values({ email: uniqueEmail(role), name: `Test ${role}`, role, passwordHash: await hashed, ...overrides })
    .returning();
  return user!;
}

export function contextFor(user: { id: string; email: string; role: Role }): ServiceContext {
  return { actor: { type: "user", id: user.id, email: user.email, role: user.role }, ip: "127.0.0.1", correlationId: randomUUID() };
}

export async function actorContext(role: Role): Promise<ServiceContext> {
  return contextFor(await createTestUser(role));
}

/** A ready LanceDB collection with no source and no points, named `${prefix}-<random>`: for tests that only need its row. */
export async function createTestCollection(prefix: string) {
  const [c] = await getDb()
    .insert(collections)
    .values({ name: `${prefix}-${randomUUID().slice(0, 8)}`, embeddingModel: "builtin-hash", dimension: 256, chunkSize: 400, chunkOverlap: 40, vectorBackend: "lancedb", status: "ready" })
    .returning();
  return c!;
}
