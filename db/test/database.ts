/** This test file's own database (cloned from the template by db/test/setup-env.ts). */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("db/test/setup-env.ts did not run: DATABASE_URL is unset");
  return url;
}
