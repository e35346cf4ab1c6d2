import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { closeVectorStore, getVectorStore } from "./index";

describe("getVectorStore", () => {
  const saved = { ...process.env };
  afterEach(async () => {
    await closeVectorStore();
    for (const key of ["STEVEDORE_DATA_DIR", "VECTOR_STORE", "QDRANT_URL"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    reloadEnv();
  });

  it("opens one LanceDB store per process under the data directory", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "stevedore-vector-env-"));
    process.env.STEVEDORE_DATA_DIR = dir;
    delete process.env.VECTOR_STORE;
    reloadEnv();
    const [a, b] = await Promise.all([getVectorStore(), getVectorStore()]);
    expect(a).toBe(b);
    expect(a.backend).toBe("lancedb");
    await a.createCollection("envcheck", { dimension: 2, distance: "dot" });
    expect(await fs.readdir(path.join(dir, "lancedb"))).toContain("envcheck.lance");
    await closeVectorStore();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("selects Qdrant by VECTOR_STORE and refuses it without QDRANT_URL", async () => {
    process.env.VECTOR_STORE = "qdrant";
    delete process.env.QDRANT_URL;
    reloadEnv();
    await expect(getVectorStore()).rejects.toThrow(/QDRANT_URL/);
    process.env.QDRANT_URL = "http://127.0.0.1:9";
    reloadEnv();
    expect((await getVectorStore()).backend).toBe("qdrant");
  });
});
