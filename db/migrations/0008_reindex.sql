CREATE TABLE "alias_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"collection_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"from_version" integer,
	"to_version" integer NOT NULL,
	"operation_id" uuid,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "golden_queries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"collection_id" uuid NOT NULL,
	"query" text NOT NULL,
	"expected_document_ids" uuid[] NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "version_documents" (
	"version_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"chunk_count" integer NOT NULL,
	"writes" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "version_documents_version_id_document_id_pk" PRIMARY KEY("version_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "role_quotas" (
	"role" text PRIMARY KEY NOT NULL,
	"max_concurrent_operations" integer,
	"max_points_per_collection" bigint,
	"max_collections" integer,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collections" ADD COLUMN "reindex_policy" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "embedding_model" text;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "dimension" integer;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "distance" text;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "chunk_size" integer;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "chunk_overlap" integer;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "operation_id" uuid;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "cursor" uuid;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "documents_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "points_written" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "delete_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "collection_versions" ADD COLUMN "keep" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "reserved_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Versions made before this migration were made with their collection's settings; then the columns are required.
UPDATE "collection_versions" v SET "embedding_model" = c."embedding_model", "dimension" = c."dimension", "distance" = c."distance", "chunk_size" = c."chunk_size", "chunk_overlap" = c."chunk_overlap" FROM "collections" c WHERE c."id" = v."collection_id";--> statement-breakpoint
ALTER TABLE "collection_versions" ALTER COLUMN "embedding_model" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_versions" ALTER COLUMN "dimension" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_versions" ALTER COLUMN "distance" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_versions" ALTER COLUMN "chunk_size" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "collection_versions" ALTER COLUMN "chunk_overlap" SET NOT NULL;--> statement-breakpoint
-- The history starts with the alias each collection has now.
INSERT INTO "alias_changes" ("collection_id", "at", "actor_label", "to_version", "reason") SELECT "collection_id", coalesce("activated_at", "created_at"), 'system', "version", 'index' FROM "collection_versions" WHERE "status" = 'active';--> statement-breakpoint
ALTER TABLE "alias_changes" ADD CONSTRAINT "alias_changes_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alias_changes" ADD CONSTRAINT "alias_changes_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "golden_queries" ADD CONSTRAINT "golden_queries_collection_id_collections_id_fk" FOREIGN KEY ("collection_id") REFERENCES "public"."collections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "golden_queries" ADD CONSTRAINT "golden_queries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_documents" ADD CONSTRAINT "version_documents_version_id_collection_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."collection_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_documents" ADD CONSTRAINT "version_documents_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_quotas" ADD CONSTRAINT "role_quotas_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alias_changes_collection_idx" ON "alias_changes" USING btree ("collection_id","at");--> statement-breakpoint
CREATE INDEX "golden_queries_collection_idx" ON "golden_queries" USING btree ("collection_id");--> statement-breakpoint
CREATE INDEX "version_documents_document_idx" ON "version_documents" USING btree ("document_id");