CREATE TABLE "executor_crons" (
	"function_id" text NOT NULL,
	"cron" text NOT NULL,
	"next_at" timestamp with time zone NOT NULL,
	CONSTRAINT "executor_crons_function_id_cron_pk" PRIMARY KEY("function_id","cron")
);
--> statement-breakpoint
CREATE TABLE "executor_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"external_id" text,
	"name" text NOT NULL,
	"data" jsonb NOT NULL,
	"ts" bigint NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executor_functions" (
	"id" text PRIMARY KEY NOT NULL,
	"app_url" text NOT NULL,
	"name" text NOT NULL,
	"config" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executor_idempotency" (
	"function_id" text NOT NULL,
	"key" text NOT NULL,
	"run_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "executor_idempotency_function_id_key_pk" PRIMARY KEY("function_id","key")
);
--> statement-breakpoint
CREATE TABLE "executor_pauses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"step_hash" text NOT NULL,
	"event_name" text NOT NULL,
	"condition" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executor_queue" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "executor_queue_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"step_hash" text,
	"attempt" integer DEFAULT 0 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sort_at" timestamp with time zone DEFAULT now() NOT NULL,
	"concurrency_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"concurrency_limits" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"locked_by" integer,
	"locked_at" timestamp with time zone,
	"payload" jsonb
);
--> statement-breakpoint
CREATE TABLE "executor_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"function_id" text NOT NULL,
	"event_id" uuid,
	"event" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"max_attempts" integer DEFAULT 4 NOT NULL,
	"disable_immediate" boolean DEFAULT false NOT NULL,
	"step_count" integer DEFAULT 0 NOT NULL,
	"output" jsonb,
	"error" jsonb,
	"concurrency_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"concurrency_limits" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"singleton_key" text,
	"priority" integer DEFAULT 0 NOT NULL,
	"parent_run_id" uuid,
	"parent_step" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executor_steps" (
	"run_id" uuid NOT NULL,
	"hash" text NOT NULL,
	"step_id" text,
	"name" text,
	"op" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	"position" integer,
	"memo" jsonb,
	"error" jsonb,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "executor_steps_run_id_hash_pk" PRIMARY KEY("run_id","hash")
);
--> statement-breakpoint
CREATE INDEX "executor_crons_next_idx" ON "executor_crons" USING btree ("next_at");--> statement-breakpoint
CREATE INDEX "executor_events_name_idx" ON "executor_events" USING btree ("name","received_at");--> statement-breakpoint
CREATE INDEX "executor_events_received_idx" ON "executor_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "executor_idempotency_expires_idx" ON "executor_idempotency" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "executor_pauses_event_idx" ON "executor_pauses" USING btree ("event_name");--> statement-breakpoint
CREATE INDEX "executor_pauses_run_idx" ON "executor_pauses" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "executor_queue_due_idx" ON "executor_queue" USING btree ("run_at") WHERE locked_by is null;--> statement-breakpoint
CREATE INDEX "executor_queue_locked_idx" ON "executor_queue" USING btree ("locked_by") WHERE locked_by is not null;--> statement-breakpoint
CREATE INDEX "executor_queue_run_idx" ON "executor_queue" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "executor_queue_step_uq" ON "executor_queue" USING btree ("run_id","step_hash") WHERE kind = 'call' and step_hash is not null;--> statement-breakpoint
CREATE INDEX "executor_runs_created_idx" ON "executor_runs" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "executor_runs_function_idx" ON "executor_runs" USING btree ("function_id","created_at");--> statement-breakpoint
CREATE INDEX "executor_runs_status_idx" ON "executor_runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "executor_runs_parent_idx" ON "executor_runs" USING btree ("parent_run_id");--> statement-breakpoint
CREATE INDEX "executor_runs_event_idx" ON "executor_runs" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "executor_runs_singleton_uq" ON "executor_runs" USING btree ("function_id","singleton_key") WHERE singleton_key is not null and status in ('queued', 'running', 'sleeping', 'waiting');