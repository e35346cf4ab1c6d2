CREATE TABLE "executor_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"function_id" text NOT NULL,
	"key" text NOT NULL,
	"events" jsonb NOT NULL,
	"size" integer NOT NULL,
	"first_event_id" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executor_debounces" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"function_id" text NOT NULL,
	"key" text NOT NULL,
	"event" jsonb NOT NULL,
	"event_id" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fire_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "executor_runs" ADD COLUMN "events" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "executor_batches_key_uq" ON "executor_batches" USING btree ("function_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "executor_debounces_key_uq" ON "executor_debounces" USING btree ("function_id","key");