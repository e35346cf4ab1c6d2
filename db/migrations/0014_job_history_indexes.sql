DROP INDEX "operations_created_idx";--> statement-breakpoint
DROP INDEX "operations_collection_idx";--> statement-breakpoint
DROP INDEX "operations_status_idx";--> statement-breakpoint
CREATE INDEX "operations_type_idx" ON "operations" USING btree ("type","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"status","collection_id","requested_by");--> statement-breakpoint
CREATE INDEX "operations_requested_by_idx" ON "operations" USING btree ("requested_by","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"status","type","collection_id");--> statement-breakpoint
CREATE INDEX "operations_collection_status_idx" ON "operations" USING btree ("collection_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"type","requested_by");--> statement-breakpoint
CREATE INDEX "operations_type_status_idx" ON "operations" USING btree ("type","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"collection_id","requested_by");--> statement-breakpoint
CREATE INDEX "operations_outcome_idx" ON "operations" USING btree (("result"->>'outcome'),"created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"status","type","collection_id","requested_by") WHERE ("operations"."result"->>'outcome') is not null;--> statement-breakpoint
CREATE INDEX "operations_error_search_idx" ON "operations" USING gin ("error" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "operations_retry_of_idx" ON "operations" USING btree (("params"->>'retryOf')) WHERE ("operations"."params"->>'retryOf') is not null;--> statement-breakpoint
CREATE INDEX "operations_created_idx" ON "operations" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"status","type","collection_id","requested_by");--> statement-breakpoint
CREATE INDEX "operations_collection_idx" ON "operations" USING btree ("collection_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"status","type","requested_by");--> statement-breakpoint
CREATE INDEX "operations_status_idx" ON "operations" USING btree ("status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST,"type","collection_id","requested_by");