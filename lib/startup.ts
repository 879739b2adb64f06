/**
 * Server start: open (and migrate) the database, create the first admin, start the
 * background jobs. A second process on the same embedded data directory stops here.
 */
import { getContext } from "@/lib/context";
import { DataDirLockedError } from "@/lib/db/lock";
import { EnvError } from "@/lib/env";
import { logDbError } from "@/lib/db/log";
import { ensureFirstAdmin } from "@/lib/services/users";
import { startBackgroundJobs } from "@/lib/jobs";
import { shareIngestCounters } from "@/lib/cluster";
import { startLocalAgent } from "@/lib/local-agent";

export async function startServer() {
  let ctx;
  try {
    ctx = await getContext();
  } catch (err) {
    if (err instanceof DataDirLockedError || err instanceof EnvError) {
      console.error(`[infra-watch] ${err.message}`);
      process.exit(1);
    }
    // Typically a migration or the database refusing us: one line, without statement parameters.
    logDbError("start", err);
    process.exit(1);
  }
  const { database, env } = ctx;
  const where = database.kind === "pglite" ? `embedded PGlite in ${env.dataDir}` : "PostgreSQL";
  const ts = database.timescaleStatus;
  console.log(`[infra-watch] database: ${where}; TimescaleDB: ${ts.state === "enabled" ? `enabled (${ts.version})` : ts.state === "disabled" ? "disabled by IW_TIMESCALEDB=off" : `not used (${ts.reason})`}`);

  const admin = await ensureFirstAdmin(ctx);
  if (admin.created && admin.generatedPassword) {
    console.log(`[infra-watch] created the first admin ${admin.email} with the password ${admin.generatedPassword} (shown once; change it after signing in)`);
  } else if (admin.created) {
    console.log(`[infra-watch] created the first admin ${admin.email}`);
  }
  startBackgroundJobs(ctx);
  shareIngestCounters(ctx.ingest);
  if (env.localAgent) void startLocalAgent(ctx).catch((err) => console.error("[infra-watch] local agent:", (err as Error).message));
}
