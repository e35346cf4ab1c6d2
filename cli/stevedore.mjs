#!/usr/bin/env node
// `npx stevedore` / the package's bin: runs the TypeScript CLI through tsx, as `node --import tsx` does for the other scripts.
import "tsx";

await import("./main.ts");
