CREATE TABLE "alert_transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by" text,
	"reason" text
);
--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD COLUMN "alert_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "escalation_policies" ADD COLUMN "repeat_last_level" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_transitions" ADD CONSTRAINT "alert_transitions_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_transitions" ADD CONSTRAINT "alert_transitions_rule_id_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."alert_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_transitions_alert_idx" ON "alert_transitions" USING btree ("alert_id","at");--> statement-breakpoint
CREATE INDEX "alert_transitions_at_idx" ON "alert_transitions" USING btree ("at");--> statement-breakpoint
CREATE INDEX "alert_transitions_rule_idx" ON "alert_transitions" USING btree ("rule_id","at");