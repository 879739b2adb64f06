/** What the agent reports about itself (issue 16) is stored on its host and read back, on a real database. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hosts } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { recordTelemetry } from "@/lib/services/telemetry";
import { noteAgentRefusal } from "@/lib/services/hosts";
import { getHost } from "@/lib/queries/hosts";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;
const NOW = Date.now();
const sample = (msAgo: number) => ({ ts: new Date(NOW - msAgo).toISOString(), cpuPct: 1, memPct: 2, diskPct: 3, uptimeS: 4 });

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

describe(`agent facts on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("keeps the last reported update state and spool depth, and clears a refusal notice on accepted telemetry", async () => {
    const [h] = await database.db.insert(hosts).values({ machineId: `facts-${Math.random()}`, hostname: "facts" }).returning({ id: hosts.id });
    const hostId = h!.id;
    const read = async () => (await getHost(database.db, hostId, { defaultIntervalS: 15 }))!;
    expect(await read()).toMatchObject({ agentUpdateState: null, agentSpoolDepth: null, agentNotice: null });

    await noteAgentRefusal(database.db, hostId, "agent protocol 9 is newer than this server's");
    expect((await read()).agentNotice).toBe("agent protocol 9 is newer than this server's");

    const host = { hostname: "facts", agentVersion: "0.1.0", updateState: "0.2.0 available (auto-update off)", spoolDepth: 1200 };
    await recordTelemetry(database.db, { hostId, batch: { host, samples: [sample(2000)] }, nowMs: NOW, retentionDays: 90 });
    expect(await read()).toMatchObject({ agentVersion: "0.1.0", agentUpdateState: "0.2.0 available (auto-update off)", agentSpoolDepth: 1200, agentNotice: null });

    // A batch without them (an older agent) keeps what was last reported.
    await recordTelemetry(database.db, { hostId, batch: { host: { hostname: "facts" }, samples: [sample(1000)] }, nowMs: NOW, retentionDays: 90 });
    expect(await read()).toMatchObject({ agentUpdateState: "0.2.0 available (auto-update off)", agentSpoolDepth: 1200 });
  });
});
