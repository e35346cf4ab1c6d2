ALTER TABLE "executor_queue" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "executor_runs" ADD COLUMN "state_bytes" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "executor_runs" ADD COLUMN "max_step_output_bytes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "executor_runs" ADD COLUMN "event_bytes" integer DEFAULT 0 NOT NULL;