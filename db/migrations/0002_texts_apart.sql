CREATE TABLE "document_texts" (
	"document_id" uuid PRIMARY KEY NOT NULL,
	"text" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_texts" ADD CONSTRAINT "document_texts_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "document_texts" ("document_id", "text") SELECT "id", "parsed_text" FROM "documents" WHERE "parsed_text" IS NOT NULL;--> statement-breakpoint
DROP TABLE "chunks" CASCADE;--> statement-breakpoint
DROP INDEX "documents_stage_changed_idx";--> statement-breakpoint
ALTER TABLE "documents" DROP COLUMN "parsed_text";
