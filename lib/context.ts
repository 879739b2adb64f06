/**
 * The process-wide application context: settings, the database, the signing secret.
 * Kept on globalThis so every route bundle, the instrumentation hook and hot reloads share
 * one database handle (two PGlite handles on one directory would corrupt it).
 */
import { getEnv, type Env } from "@/lib/env";
import { openDatabase, type Database, type Db } from "@/lib/db/client";
import { repairModes } from "@/lib/db/data-dir";
import { resolveAuthSecret } from "@/lib/auth/secret";
import { LoginThrottle } from "@/lib/auth/rate-limit";
import { AgentTokenCache } from "@/lib/auth/agent-tokens";
import { IngestCounters } from "@/lib/metrics/ingest-counters";

export type AppContext = {
  env: Env;
  database: Database;
  db: Db;
  secret: string;
  loginLimiter: LoginThrottle;
  agentTokens: AgentTokenCache;
  /** This process's telemetry counters, for the Prometheus exposition. */
  ingest: IngestCounters;
};

/**
 * How long an instance trusts a verified agent token without asking the database again: the
 * bound (stated in the README) within which a revoke on one instance takes effect on all.
 */
export const AGENT_TOKEN_TTL_MS = 5_000;

const KEY = Symbol.for("infra-watch.context");
type Holder = { [KEY]?: Promise<AppContext> };

export function getContext(): Promise<AppContext> {
  const holder = globalThis as Holder;
  holder[KEY] ??= createContext(getEnv()).catch((err) => {
    delete holder[KEY];
    throw err;
  });
  return holder[KEY];
}

export async function createContext(env: Env): Promise<AppContext> {
  const database = await openDatabase(
    env.databaseUrl
      ? { kind: "postgres", url: env.databaseUrl, retentionDays: env.retentionDays, timescale: env.timescale, pooler: env.dbPooler }
      : { kind: "pglite", dataDir: env.dataDir },
  );
  const secret = resolveAuthSecret({ authSecret: env.authSecret, dataDir: env.dataDir });
  // PGlite writes some files with modes of its own while it opens: owner-only again (data-dir.ts).
  if (database.kind === "pglite") repairModes(env.dataDir);
  return {
    env,
    database,
    db: database.db,
    secret,
    loginLimiter: new LoginThrottle(database.db, env.loginWindowS),
    agentTokens: new AgentTokenCache(AGENT_TOKEN_TTL_MS),
    ingest: new IngestCounters(),
  };
}
