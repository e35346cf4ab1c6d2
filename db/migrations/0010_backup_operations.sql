ALTER TABLE "backups" ADD COLUMN "origin" text DEFAULT 'backup' NOT NULL;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "vectors" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "source_filter" jsonb;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "note" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "document_count" bigint;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "created_by" uuid;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "verified_ok" boolean;--> statement-breakpoint
ALTER TABLE "backups" ADD COLUMN "verify_error" text;--> statement-breakpoint
ALTER TABLE "backups" ADD CONSTRAINT "backups_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backups_collection_idx" ON "backups" USING btree ("collection_id","created_at");--> statement-breakpoint
CREATE INDEX "backups_created_idx" ON "backups" USING btree ("created_at");