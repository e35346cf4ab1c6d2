import { z } from "zod";
import { CollectionListItem } from "../lib/api/openapi/responses";
import type { ApiClient } from "./client";
import { CliError, EXIT } from "./errors";

/** A collection named by the user, by name or id. */
export async function resolveCollection(client: ApiClient, nameOrId: string) {
  const list = await client.get("/api/v1/collections", z.array(CollectionListItem));
  const found = list.find((c) => c.collection.id === nameOrId) ?? list.find((c) => c.collection.name === nameOrId);
  if (!found) throw new CliError(EXIT.notFound, `No collection named or with id “${nameOrId}”: see \`stevedore collections ls\`.`);
  return found.collection;
}
