CREATE TABLE "health_samples" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "health_samples_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text NOT NULL,
	"components" jsonb NOT NULL,
	"rss_bytes" bigint NOT NULL,
	"heap_used_bytes" bigint NOT NULL,
	"cpu_percent" real,
	"disk_free" jsonb NOT NULL,
	"collections" jsonb NOT NULL,
	"running_operations" integer NOT NULL,
	"waiting_operations" integer NOT NULL,
	"dead_letters" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "health_samples_at_idx" ON "health_samples" USING btree ("at");