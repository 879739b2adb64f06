CREATE TABLE "metrics_rollup_1h" (
	"host_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"cpu_pct_sum" double precision DEFAULT 0 NOT NULL,
	"cpu_pct_n" integer DEFAULT 0 NOT NULL,
	"mem_pct_sum" double precision DEFAULT 0 NOT NULL,
	"mem_pct_n" integer DEFAULT 0 NOT NULL,
	"disk_pct_sum" double precision DEFAULT 0 NOT NULL,
	"disk_pct_n" integer DEFAULT 0 NOT NULL,
	"uptime_s_sum" double precision DEFAULT 0 NOT NULL,
	"uptime_s_n" integer DEFAULT 0 NOT NULL,
	"load1_sum" double precision DEFAULT 0 NOT NULL,
	"load1_n" integer DEFAULT 0 NOT NULL,
	"load5_sum" double precision DEFAULT 0 NOT NULL,
	"load5_n" integer DEFAULT 0 NOT NULL,
	"load15_sum" double precision DEFAULT 0 NOT NULL,
	"load15_n" integer DEFAULT 0 NOT NULL,
	"mem_used_bytes_sum" double precision DEFAULT 0 NOT NULL,
	"mem_used_bytes_n" integer DEFAULT 0 NOT NULL,
	"mem_total_bytes_sum" double precision DEFAULT 0 NOT NULL,
	"mem_total_bytes_n" integer DEFAULT 0 NOT NULL,
	"swap_pct_sum" double precision DEFAULT 0 NOT NULL,
	"swap_pct_n" integer DEFAULT 0 NOT NULL,
	"net_rx_bps_sum" double precision DEFAULT 0 NOT NULL,
	"net_rx_bps_n" integer DEFAULT 0 NOT NULL,
	"net_tx_bps_sum" double precision DEFAULT 0 NOT NULL,
	"net_tx_bps_n" integer DEFAULT 0 NOT NULL,
	"proc_count_sum" double precision DEFAULT 0 NOT NULL,
	"proc_count_n" integer DEFAULT 0 NOT NULL,
	"thread_count_sum" double precision DEFAULT 0 NOT NULL,
	"thread_count_n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "metrics_rollup_1h_host_id_bucket_pk" PRIMARY KEY("host_id","bucket")
);
--> statement-breakpoint
CREATE TABLE "metrics_rollup_5m" (
	"host_id" uuid NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"cpu_pct_sum" double precision DEFAULT 0 NOT NULL,
	"cpu_pct_n" integer DEFAULT 0 NOT NULL,
	"mem_pct_sum" double precision DEFAULT 0 NOT NULL,
	"mem_pct_n" integer DEFAULT 0 NOT NULL,
	"disk_pct_sum" double precision DEFAULT 0 NOT NULL,
	"disk_pct_n" integer DEFAULT 0 NOT NULL,
	"uptime_s_sum" double precision DEFAULT 0 NOT NULL,
	"uptime_s_n" integer DEFAULT 0 NOT NULL,
	"load1_sum" double precision DEFAULT 0 NOT NULL,
	"load1_n" integer DEFAULT 0 NOT NULL,
	"load5_sum" double precision DEFAULT 0 NOT NULL,
	"load5_n" integer DEFAULT 0 NOT NULL,
	"load15_sum" double precision DEFAULT 0 NOT NULL,
	"load15_n" integer DEFAULT 0 NOT NULL,
	"mem_used_bytes_sum" double precision DEFAULT 0 NOT NULL,
	"mem_used_bytes_n" integer DEFAULT 0 NOT NULL,
	"mem_total_bytes_sum" double precision DEFAULT 0 NOT NULL,
	"mem_total_bytes_n" integer DEFAULT 0 NOT NULL,
	"swap_pct_sum" double precision DEFAULT 0 NOT NULL,
	"swap_pct_n" integer DEFAULT 0 NOT NULL,
	"net_rx_bps_sum" double precision DEFAULT 0 NOT NULL,
	"net_rx_bps_n" integer DEFAULT 0 NOT NULL,
	"net_tx_bps_sum" double precision DEFAULT 0 NOT NULL,
	"net_tx_bps_n" integer DEFAULT 0 NOT NULL,
	"proc_count_sum" double precision DEFAULT 0 NOT NULL,
	"proc_count_n" integer DEFAULT 0 NOT NULL,
	"thread_count_sum" double precision DEFAULT 0 NOT NULL,
	"thread_count_n" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "metrics_rollup_5m_host_id_bucket_pk" PRIMARY KEY("host_id","bucket")
);
--> statement-breakpoint
ALTER TABLE "metrics_rollup_1h" ADD CONSTRAINT "metrics_rollup_1h_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metrics_rollup_5m" ADD CONSTRAINT "metrics_rollup_5m_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "metrics_rollup_1h_bucket_idx" ON "metrics_rollup_1h" USING btree ("bucket");--> statement-breakpoint
CREATE INDEX "metrics_rollup_5m_bucket_idx" ON "metrics_rollup_5m" USING btree ("bucket");--> statement-breakpoint
DO $$ BEGIN
  -- Existing history, summarized once (not on TimescaleDB: its continuous aggregates cover it).
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    insert into metrics_rollup_5m (host_id, bucket, "cpu_pct_sum", "cpu_pct_n", "mem_pct_sum", "mem_pct_n", "disk_pct_sum", "disk_pct_n", "uptime_s_sum", "uptime_s_n", "load1_sum", "load1_n", "load5_sum", "load5_n", "load15_sum", "load15_n", "mem_used_bytes_sum", "mem_used_bytes_n", "mem_total_bytes_sum", "mem_total_bytes_n", "swap_pct_sum", "swap_pct_n", "net_rx_bps_sum", "net_rx_bps_n", "net_tx_bps_sum", "net_tx_bps_n", "proc_count_sum", "proc_count_n", "thread_count_sum", "thread_count_n")
      select host_id, date_bin(interval '300 seconds', ts, timestamptz '2000-01-03T00:00:00Z') as bucket, coalesce(sum("cpu_pct"), 0), count("cpu_pct")::int, coalesce(sum("mem_pct"), 0), count("mem_pct")::int, coalesce(sum("disk_pct"), 0), count("disk_pct")::int, coalesce(sum("uptime_s"), 0), count("uptime_s")::int, coalesce(sum("load1"), 0), count("load1")::int, coalesce(sum("load5"), 0), count("load5")::int, coalesce(sum("load15"), 0), count("load15")::int, coalesce(sum("mem_used_bytes"), 0), count("mem_used_bytes")::int, coalesce(sum("mem_total_bytes"), 0), count("mem_total_bytes")::int, coalesce(sum("swap_pct"), 0), count("swap_pct")::int, coalesce(sum("net_rx_bps"), 0), count("net_rx_bps")::int, coalesce(sum("net_tx_bps"), 0), count("net_tx_bps")::int, coalesce(sum("proc_count"), 0), count("proc_count")::int, coalesce(sum("thread_count"), 0), count("thread_count")::int
      from metrics group by 1, 2;
    insert into metrics_rollup_1h (host_id, bucket, "cpu_pct_sum", "cpu_pct_n", "mem_pct_sum", "mem_pct_n", "disk_pct_sum", "disk_pct_n", "uptime_s_sum", "uptime_s_n", "load1_sum", "load1_n", "load5_sum", "load5_n", "load15_sum", "load15_n", "mem_used_bytes_sum", "mem_used_bytes_n", "mem_total_bytes_sum", "mem_total_bytes_n", "swap_pct_sum", "swap_pct_n", "net_rx_bps_sum", "net_rx_bps_n", "net_tx_bps_sum", "net_tx_bps_n", "proc_count_sum", "proc_count_n", "thread_count_sum", "thread_count_n")
      select host_id, date_bin(interval '3600 seconds', ts, timestamptz '2000-01-03T00:00:00Z') as bucket, coalesce(sum("cpu_pct"), 0), count("cpu_pct")::int, coalesce(sum("mem_pct"), 0), count("mem_pct")::int, coalesce(sum("disk_pct"), 0), count("disk_pct")::int, coalesce(sum("uptime_s"), 0), count("uptime_s")::int, coalesce(sum("load1"), 0), count("load1")::int, coalesce(sum("load5"), 0), count("load5")::int, coalesce(sum("load15"), 0), count("load15")::int, coalesce(sum("mem_used_bytes"), 0), count("mem_used_bytes")::int, coalesce(sum("mem_total_bytes"), 0), count("mem_total_bytes")::int, coalesce(sum("swap_pct"), 0), count("swap_pct")::int, coalesce(sum("net_rx_bps"), 0), count("net_rx_bps")::int, coalesce(sum("net_tx_bps"), 0), count("net_tx_bps")::int, coalesce(sum("proc_count"), 0), count("proc_count")::int, coalesce(sum("thread_count"), 0), count("thread_count")::int
      from metrics group by 1, 2;
  END IF;
END $$;
