ALTER TABLE "document_events" ADD COLUMN "document_ids" uuid[];--> statement-breakpoint
UPDATE "document_events" SET "document_ids" = ARRAY["document_id"];--> statement-breakpoint
ALTER TABLE "document_events" DROP CONSTRAINT "document_events_document_id_documents_id_fk";--> statement-breakpoint
DROP INDEX "document_events_document_idx";--> statement-breakpoint
ALTER TABLE "document_events" ALTER COLUMN "document_ids" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "document_events" DROP COLUMN "document_id";--> statement-breakpoint
CREATE INDEX "document_events_documents_idx" ON "document_events" USING gin ("document_ids");
