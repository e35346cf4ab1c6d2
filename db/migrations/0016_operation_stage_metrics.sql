CREATE TABLE "operation_stage_metrics" (
	"operation_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"total_ms" double precision DEFAULT 0 NOT NULL,
	"calls" bigint DEFAULT 0 NOT NULL,
	"items" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "operation_stage_metrics_operation_id_stage_pk" PRIMARY KEY("operation_id","stage")
);
--> statement-breakpoint
ALTER TABLE "operation_metrics" ADD COLUMN "bytes_read" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "operation_metrics" ADD COLUMN "bytes_written" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "operation_metrics" ADD COLUMN "embedding_calls" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "operation_metrics" ADD COLUMN "embedding_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "operation_stage_metrics" ADD CONSTRAINT "operation_stage_metrics_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;