ALTER TABLE "hosts" ADD COLUMN "agent_update_state" text;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "agent_spool_depth" integer;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "agent_notice" text;