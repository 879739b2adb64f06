ALTER TABLE "metrics" ADD COLUMN "proc_count" double precision;--> statement-breakpoint
ALTER TABLE "metrics" ADD COLUMN "thread_count" double precision;