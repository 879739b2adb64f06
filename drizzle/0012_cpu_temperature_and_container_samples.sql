CREATE TABLE "container_samples" (
	"host_id" uuid NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"containers" jsonb NOT NULL,
	CONSTRAINT "container_samples_host_id_ts_pk" PRIMARY KEY("host_id","ts")
);
--> statement-breakpoint
ALTER TABLE "metrics" ADD COLUMN "cpu_temp_c" double precision;--> statement-breakpoint
ALTER TABLE "metrics_rollup_1h" ADD COLUMN "cpu_temp_c_sum" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics_rollup_1h" ADD COLUMN "cpu_temp_c_n" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics_rollup_5m" ADD COLUMN "cpu_temp_c_sum" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "metrics_rollup_5m" ADD COLUMN "cpu_temp_c_n" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "container_samples" ADD CONSTRAINT "container_samples_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "container_samples_ts_idx" ON "container_samples" USING btree ("ts");