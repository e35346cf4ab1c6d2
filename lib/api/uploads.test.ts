import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as uploadRoute } from "@/app/api/v1/collections/[id]/uploads/route";
import { getDb } from "@/db/client";
import { apiTokens } from "@/db/schema/api-tokens";
import type { Role } from "@/db/schema/users";
import { auditRowsOf } from "@/db/test/audit";
import { createTestUser } from "@/db/test/factories";
import { reloadEnv } from "@/lib/env";
import { hashToken, TOKEN_PREFIX } from "@/lib/services/api-token/create";
import { acceptUploads } from "@/lib/services/collection/upload";
import { receiveUploadForm } from "./uploads";

const MB = 1024 * 1024;
const BOUNDARY = "----stevedore-test-boundary";
const enc = new TextEncoder();
const partHead = (name: string, filename?: string) =>
  enc.encode(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"${filename === undefined ? "" : `; filename="${filename}"`}\r\n${filename === undefined ? "" : "content-type: text/plain\r\n"}\r\n`);

type Part = { name: string; value: string } | { name: string; filename: string; bytes: number; fill?: Uint8Array };

/**
 * A multipart body produced on demand, 64 KB at a time, that counts how much of it was pulled and
 * samples the process's RSS as it goes (a body read in one go of microtasks never lets a timer run).
 * File bytes come from a ring of 32 buffers: fresh ones would mostly measure V8's lag in collecting
 * garbage (it lets ~64 MB of dead buffers pile up), while any copy of the body still shows in full.
 */
function multipart(parts: Part[]) {
  const pulled = { bytes: 0, peakRss: process.memoryUsage.rss() };
  function* chunks(): Generator<Uint8Array> {
    for (const part of parts) {
      if ("value" in part) {
        yield partHead(part.name);
        yield enc.encode(`${part.value}\r\n`);
        continue;
      }
      yield partHead(part.name, part.filename);
      const block = part.fill ?? new Uint8Array(64 * 1024).fill(97);
      const ring = Array.from({ length: 32 }, () => block.slice());
      for (let left = part.bytes, i = 0; left > 0; left -= block.byteLength, i++) yield ring[i % ring.length]!.subarray(0, Math.min(left, block.byteLength));
      yield enc.encode("\r\n");
    }
    yield enc.encode(`--${BOUNDARY}--\r\n`);
  }
  const it = chunks();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = it.next();
      if (next.done) return controller.close();
      if (Math.floor((pulled.bytes + next.value.byteLength) / MB) > Math.floor(pulled.bytes / MB)) pulled.peakRss = Math.max(pulled.peakRss, process.memoryUsage.rss());
      pulled.bytes += next.value.byteLength;
      controller.enqueue(next.value);
    },
  });
  return { body, pulled };
}

function uploadRequest(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) {
  return new Request("http://stevedore.test/api/v1/collections/x/uploads", {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

async function bearerFor(role: Role) {
  const user = await createTestUser(role);
  const secret = TOKEN_PREFIX + randomBytes(24).toString("base64url");
  await getDb().insert(apiTokens).values({ userId: user.id, name: `${role}-uploads`, tokenHash: hashToken(secret), prefix: secret.slice(0, 9) });
  return `Bearer ${secret}`;
}

describe("streamed uploads", () => {
  let dataDir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-uploads-"));
    Object.assign(process.env, { STEVEDORE_DATA_DIR: dataDir, STEVEDORE_MAX_FILE_BYTES: String(20 * MB), STEVEDORE_MAX_UPLOAD_BYTES: String(200 * MB) });
    reloadEnv();
  });

  afterAll(async () => {
    process.env = saved;
    reloadEnv();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** Whatever is left under the data dir's uploads folder: a refused upload must leave nothing. */
  const leftovers = async () => (await fs.readdir(path.join(dataDir, "uploads")).catch(() => [])).length;

  it("refuses a viewer's 200 MB upload with 403 before reading the body", async () => {
    const { body, pulled } = multipart([{ name: "files", filename: "big.txt", bytes: 200 * MB }]);
    const id = randomUUID();
    const correlationId = `viewer-upload-${id}`;
    const response = await uploadRoute(uploadRequest(body, { authorization: await bearerFor("viewer"), "x-request-id": correlationId }), { params: Promise.resolve({ id }) });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("forbidden");
    // At most what the stream buffers ahead on its own (one 64 KB chunk), not the body.
    expect(pulled.bytes).toBeLessThan(256 * 1024);
    expect((await auditRowsOf(correlationId)).map((r) => [r.action, r.outcome])).toEqual([["source.add", "denied"]]);
    await body.cancel();
  });

  it("refuses an operator's 200 MB file over a 20 MB limit, with the reason, in bounded memory and leaving no partial file", async () => {
    const authorization = await bearerFor("operator");
    const { body, pulled } = multipart([
      { name: "sourceName", value: "desk" },
      { name: "files", filename: "small.md", bytes: 1000 },
      { name: "files", filename: "huge.log", bytes: 200 * MB },
    ]);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    // content-length lies: only the bytes that arrive count.
    const response = await uploadRoute(uploadRequest(body, { authorization, "content-length": "1000" }), { params: Promise.resolve({ id: randomUUID() }) });
    clearInterval(sampler);
    peak = Math.max(peak, pulled.peakRss, process.memoryUsage().rss);
    const growthMb = (peak - before) / MB;
    process.stderr.write(`upload refusal: rss growth ${growthMb.toFixed(1)} MB, body pulled ${(pulled.bytes / MB).toFixed(1)} MB\n`);

    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.message).toBe("huge.log is larger than the 20 MiB limit for one file, and the upload passed 200 MiB, the limit for one request; nothing was uploaded.");
    expect(error.fieldErrors).toEqual({ files: ["More than 200 MiB in one upload.", "huge.log: larger than the 20 MiB limit for one file."] });
    expect(growthMb).toBeLessThan(50);
    expect(pulled.bytes).toBeLessThan(201 * MB);
    expect(await leftovers()).toBe(0);
  }, 60_000);

  it("cuts off a file over the per-file limit and deletes it, keeping the others for the verb to take", async () => {
    process.env.STEVEDORE_MAX_FILE_BYTES = String(1 * MB);
    reloadEnv();
    try {
      const { body } = multipart([
        { name: "files", filename: "ok.md", bytes: 1000 },
        { name: "files", filename: "too-big.txt", bytes: 3 * MB },
        { name: "files", filename: "after.md", bytes: 2000 },
      ]);
      const form = await receiveUploadForm(uploadRequest(body));
      try {
        expect(form.files.map((f) => [f.name, f.overLimit ? "over" : f.bytes])).toEqual([
          ["ok.md", 1000],
          ["too-big.txt", "over"],
          ["after.md", 2000],
        ]);
        expect((await fs.readdir(form.folder)).sort()).toEqual(["part-0", "part-2"]);
        const { accepted, refused } = acceptUploads(form.files);
        expect([...accepted.keys()]).toEqual(["ok.md", "after.md"]);
        expect(refused).toEqual([{ name: "too-big.txt", reason: "Larger than the 1 MiB limit for one file." }]);
      } finally {
        await fs.rm(form.folder, { recursive: true, force: true });
      }
    } finally {
      process.env.STEVEDORE_MAX_FILE_BYTES = String(20 * MB);
      reloadEnv();
    }
  });

  it("counts the bytes received against the request limit, whatever content-length says", async () => {
    process.env.STEVEDORE_MAX_UPLOAD_BYTES = String(5 * MB);
    reloadEnv();
    try {
      const parts: Part[] = Array.from({ length: 4 }, (_, i) => ({ name: "files", filename: `part-${i}.txt`, bytes: 2 * MB }));
      const { body, pulled } = multipart(parts);
      await expect(receiveUploadForm(uploadRequest(body, { "content-length": "10" }))).rejects.toMatchObject({
        code: "invalid",
        message: "The upload is larger than 5 MiB, the limit for one request; nothing was uploaded. Send fewer files at a time.",
        fieldErrors: { files: ["More than 5 MiB in one upload."] },
      });
      expect(pulled.bytes).toBeLessThan(6 * MB);
      expect(await leftovers()).toBe(0);
    } finally {
      process.env.STEVEDORE_MAX_UPLOAD_BYTES = String(200 * MB);
      reloadEnv();
    }
  });

  it("stages each file on disk with its fields, skipping the empty part of an unused file input", async () => {
    const { body } = multipart([
      { name: "sourceName", value: "desk" },
      { name: "files", filename: "notes.md", bytes: 3 * 65536 + 17, fill: enc.encode("# Notes\n".repeat(8192)) },
      { name: "files", filename: "", bytes: 0 },
      { name: "files", filename: "C:\\Users\\me\\minutes.txt", bytes: 5 },
    ]);
    const form = await receiveUploadForm(uploadRequest(body));
    try {
      expect(form.fields).toEqual({ sourceName: "desk" });
      expect(form.files.map((f) => [f.name, f.bytes])).toEqual([
        ["notes.md", 3 * 65536 + 17],
        ["minutes.txt", 5], // busboy keeps only the last segment of a path-like name
      ]);
      expect((await fs.stat(form.files[0]!.path)).size).toBe(3 * 65536 + 17);
      expect(path.dirname(form.files[0]!.path)).toBe(form.folder);
      expect(form.folder.startsWith(path.join(dataDir, "uploads"))).toBe(true);
    } finally {
      await fs.rm(form.folder, { recursive: true, force: true });
    }
  });

  it("refuses a body that is not multipart, or breaks off, on the files field", async () => {
    const json = new Request("http://stevedore.test/", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await expect(receiveUploadForm(json)).rejects.toMatchObject({ code: "invalid", fieldErrors: { files: ["Send the files as multipart/form-data."] } });
    const truncated = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(partHead("files", "cut.txt"));
        controller.enqueue(enc.encode("half a file"));
        controller.close();
      },
    });
    await expect(receiveUploadForm(uploadRequest(truncated))).rejects.toMatchObject({ code: "invalid", message: expect.stringContaining("not a complete multipart/form-data body") });
    expect(await leftovers()).toBe(0);
  });
});
