import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateSigningKey, SIGNING_KEY_FORMAT } from "@/inngest/local-executor/signing";
import { persistentSecret } from "./secrets";

describe("persistentSecret (the launcher's generated keys)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stevedore-secrets-"));

  it("creates the signing key once, mode 0600, in Inngest's format, and returns the same key afterwards", () => {
    const file = path.join(dir, "inngest-signing-key");
    const key = persistentSecret(file, generateSigningKey, SIGNING_KEY_FORMAT);
    expect(key).toMatch(/^signkey-local-[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(persistentSecret(file, generateSigningKey, SIGNING_KEY_FORMAT)).toBe(key);
    expect(generateSigningKey()).not.toBe(key);
  });

  it("tightens a file others can read", () => {
    const file = path.join(dir, "loose");
    fs.writeFileSync(file, "a-secret\n", { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    expect(persistentSecret(file)).toBe("a-secret");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("refuses a damaged key file instead of silently replacing a key other processes may use", () => {
    const file = path.join(dir, "damaged");
    fs.writeFileSync(file, "signkey-local-not-hex\n", { mode: 0o600 });
    expect(() => persistentSecret(file, generateSigningKey, SIGNING_KEY_FORMAT)).toThrow(/does not hold a valid key/);
    expect(fs.readFileSync(file, "utf8")).toBe("signkey-local-not-hex\n");
  });
});
