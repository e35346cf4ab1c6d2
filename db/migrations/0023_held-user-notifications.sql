ALTER TABLE "held_notifications" ALTER COLUMN "channel_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "held_notifications" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "held_notifications" ADD CONSTRAINT "held_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "held_notifications" ADD CONSTRAINT "held_notifications_channel_or_user" CHECK (num_nonnulls("held_notifications"."channel_id", "held_notifications"."user_id") = 1);