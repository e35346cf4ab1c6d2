import { inject } from "vitest";

// lib/env reads process.env lazily, so setting it here, before any test imports the client, is enough.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.LOG_LEVEL ??= "silent";
