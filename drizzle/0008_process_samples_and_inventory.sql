CREATE TABLE "process_samples" (
	"host_id" uuid NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"processes" jsonb NOT NULL,
	CONSTRAINT "process_samples_host_id_ts_pk" PRIMARY KEY("host_id","ts")
);
--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "process_names" jsonb;--> statement-breakpoint
ALTER TABLE "hosts" ADD COLUMN "process_names_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "snapshots" ADD COLUMN "sections" jsonb;--> statement-breakpoint
ALTER TABLE "process_samples" ADD CONSTRAINT "process_samples_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "process_samples_ts_idx" ON "process_samples" USING btree ("ts");