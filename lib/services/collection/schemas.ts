import { z } from "zod";

/** Also the alias in the vector store and the prefix of its versions (`docs__v3`), so kept simple. */
export const CollectionName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: "Use 1–63 lower-case letters, digits, - or _, starting with a letter or digit." })
  .refine((n) => !n.includes("__"), { message: "Do not use a double underscore: it separates versions." });

export const SourceName = z.string().trim().min(1, { message: "Name the source." }).max(100);

export const EmbeddingModel = z
  .string()
  .trim()
  .regex(/^(builtin-hash(-\d{2,4})?|openai:[\w.:/-]{1,100})$/, { message: "Use builtin-hash, builtin-hash-<dimension> or openai:<model>." });

export const ChunkSettings = z
  .object({
    chunkSize: z.coerce.number().int().min(100, { message: "At least 100 characters." }).max(20_000, { message: "At most 20,000 characters." }).default(1200),
    chunkOverlap: z.coerce.number().int().min(0, { message: "Cannot be negative." }).max(5_000).default(150),
  })
  .refine((v) => v.chunkOverlap < v.chunkSize, { message: "The overlap must be smaller than the chunk size.", path: ["chunkOverlap"] });

export const DirectorySource = z.object({
  kind: z.literal("directory"),
  name: SourceName,
  path: z.string().trim().min(1, { message: "Give the folder's absolute path on the server." }).max(4096),
});

/** Files sent with the request that creates the collection; they are kept under `.stevedore/uploads`. */
export const UploadSource = z.object({ kind: z.literal("upload"), name: SourceName.default("uploads") });
