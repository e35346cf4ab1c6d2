import type { Command } from "commander";
import { z } from "zod";
import { CollectionListItem } from "../../lib/api/openapi/responses";
import { clientFor, outputOf } from "../context";
import { emit, table, when } from "../output";

export function registerCollections(program: Command) {
  const collections = program.command("collections").description("collections");
  collections
    .command("ls")
    .description("list collections with their documents, points and last operation")
    .action(async (_opts: unknown, command: Command) => {
      const client = await clientFor();
      const list = await client.get("/api/v1/collections", z.array(CollectionListItem));
      emit(outputOf(command), list, () =>
        table(
          ["NAME", "ID", "STATUS", "DOCUMENTS", "POINTS", "MODEL", "LAST OPERATION"],
          list.map(({ collection: c, stats, lastOperation: last }) => [c.name, c.id, c.status, stats.documents, stats.points, c.embeddingModel, last ? `${last.type} ${last.status} ${when(last.createdAt)}` : ""]),
        ),
      );
    });
}
