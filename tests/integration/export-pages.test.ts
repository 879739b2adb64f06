/**
 * The export's keyset pager on a real database: small pages, microsecond timestamps (the cursor
 * must not lose precision between pages), a neighbour host's rows interleaved, inclusive bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { eventPages, metricPages } from "@/lib/queries/export";
import { openTestDatabase, insertHost } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

const newHost = (name: string) => insertHost(database.db, name);

describe(`export pages on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("reads every row of the host once, in order, whatever the page size", async () => {
    const host = await newHost("export-a");
    const other = await newHost("export-b");
    const base = "2026-01-01T00:00:00";
    // 23 rows 1.000123 s apart (microseconds), and the neighbour's rows at the same instants.
    await database.db.execute(sql`insert into metrics (host_id, ts, cpu_pct, mem_pct, disk_pct, uptime_s)
      select h, ${base}::timestamptz + (i * interval '1000123 microseconds'), i, 0, 0, 0
      from generate_series(0, 22) as i, (values (${host}::uuid), (${other}::uuid)) as x(h)`);
    const fromMs = Date.parse(`${base}Z`);
    const toMs = fromMs + 22 * 1000.123;
    for (const pageRows of [1, 4, 7, 23, 50]) {
      const pages = [];
      for await (const page of metricPages(database.db, { hostId: host, fromMs, toMs: Math.ceil(toMs), pageRows })) pages.push(page);
      const cpu = pages.flat().map((s) => s.values[0]);
      expect(cpu, `page size ${pageRows}`).toEqual(Array.from({ length: 23 }, (_, i) => i));
      expect(pages.length, `page size ${pageRows}`).toBe(Math.ceil(23 / pageRows));
    }
    // Bounds are inclusive; the range can cut rows off both ends.
    const inner = [];
    for await (const page of metricPages(database.db, { hostId: host, fromMs: fromMs + 1000, toMs: fromMs + 5000.5, pageRows: 2 })) inner.push(...page);
    expect(inner.map((s) => s.values[0])).toEqual([1, 2, 3, 4]);
  });

  it("an empty range yields no page at all", async () => {
    const host = await newHost("export-empty");
    const pages = [];
    for await (const page of metricPages(database.db, { hostId: host, fromMs: 0, toMs: 1000 })) pages.push(page);
    expect(pages).toEqual([]);
  });

  it("events page on (started_at, id) without repeats", async () => {
    const host = await newHost("export-events");
    await database.db.execute(sql`insert into alert_rules (id, name, kind, severity) values ('00000000-0000-4000-8000-0000000000e1', 'r', 'hostDown', 'info') on conflict do nothing`);
    // Seven events, three of them at the same instant: the id breaks the tie.
    await database.db.execute(sql`insert into alert_events (rule_id, host_id, state, started_at, resolved_at)
      select '00000000-0000-4000-8000-0000000000e1', ${host}::uuid, 'resolved', '2026-01-01T00:00:00Z'::timestamptz + (least(i, 3) * interval '1 minute'), now()
      from generate_series(0, 6) as i`);
    const seen: string[] = [];
    for await (const page of eventPages(database.db, { hostId: host }, 2)) seen.push(...page.map((e) => e.id));
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });
});
