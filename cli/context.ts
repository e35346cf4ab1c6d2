import { InvalidArgumentError, type Command } from "commander";
import { ApiClient } from "./client";
import { loadCredentials } from "./config";
import type { Output } from "./output";

/** What every command's action needs: the output mode (`--json`, a global option) and a client. */
export function outputOf(command: Command): Output {
  return { json: !!command.optsWithGlobals().json };
}

export async function clientFor(): Promise<ApiClient> {
  return new ApiClient(await loadCredentials());
}

/** `--chunk-size 800` → 800; anything but a whole number is a usage error. */
export function wholeNumber(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
    return Number(value);
  };
}
