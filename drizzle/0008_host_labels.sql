ALTER TABLE "hosts" ADD COLUMN "agent_labels" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "user_labels" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "removed_labels" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "labels" jsonb GENERATED ALWAYS AS ((agent_labels - removed_labels) || user_labels) STORED NOT NULL;