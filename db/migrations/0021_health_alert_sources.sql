ALTER TABLE "health_samples" ADD COLUMN "runs_waiting" integer;--> statement-breakpoint
ALTER TABLE "health_samples" ADD COLUMN "breakers" jsonb;