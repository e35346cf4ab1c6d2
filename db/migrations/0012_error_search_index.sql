DROP INDEX "operations_search_idx";--> statement-breakpoint
CREATE INDEX "operations_error_search_idx" ON "operations" USING gin ("error" gin_trgm_ops);