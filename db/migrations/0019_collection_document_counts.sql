CREATE TABLE "collection_document_counts" (
	"collection_id" uuid PRIMARY KEY NOT NULL,
	"documents" bigint DEFAULT 0 NOT NULL,
	"dead" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collection_document_counts" ADD CONSTRAINT "collection_document_counts_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;