ALTER TABLE "alert_deliveries" ALTER COLUMN "channel_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD COLUMN "recipient" text;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_target_check" CHECK ("alert_deliveries"."channel_id" is not null or "alert_deliveries"."recipient" is not null);