// Loaded by the pipeline test after it has pointed the environment at its executor and folders.
export { appendSource } from "@/lib/services/collection/append";
export { createCollection } from "@/lib/services/collection/create";
export { documentHistory, getCollection, listCollections, listDocuments } from "@/lib/services/collection/read";
export { removeSource } from "@/lib/services/collection/remove-source";
export { retryDocuments } from "@/lib/services/collection/retry-documents";
export { searchCollection } from "@/lib/services/collection/search";
export { uploadFiles } from "@/lib/services/collection/upload";
export { cancelOperation } from "@/lib/services/operation/cancel";
export { getOperation, listOperations } from "@/lib/services/operation/list";
export { getVectorStore } from "@/lib/vector";
export { checkProgress } from "../progress";
export { parseBatch } from "../parse-batch";
export { registerSourceDocuments } from "../scan";
export { cancelRun } from "@/lib/services/run/control";
export { previewReindex, startReindex } from "@/lib/services/reindex/start";
export { decideReindex } from "@/lib/services/reindex/decide";
export { deleteVersion, keepVersion, listVersions, rollBackCollection } from "@/lib/services/reindex/versions";
