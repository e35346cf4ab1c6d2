CREATE TABLE "document_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "document_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"document_id" uuid NOT NULL,
	"operation_id" uuid,
	"stage" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"error_class" text,
	"message" text
);
--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "chunk_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "duplicate_of" uuid;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "operation_id" uuid;--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "status_message" text;--> statement-breakpoint
ALTER TABLE "document_events" ADD CONSTRAINT "document_events_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "document_events_document_idx" ON "document_events" USING btree ("document_id","id");--> statement-breakpoint
CREATE INDEX "documents_operation_stage_idx" ON "documents" USING btree ("operation_id","stage");--> statement-breakpoint
CREATE INDEX "documents_stage_changed_idx" ON "documents" USING btree ("stage","stage_changed_at");