/**
 * The process-wide application context: settings, the database, the signing secret.
 * Kept on globalThis so every route bundle, the instrumentation hook and hot reloads share
 * one database handle (two PGlite handles on one directory would corrupt it).
 */
import { getEnv, type Env } from "@/lib/env";
import { openDatabase, type Database, type Db } from "@/lib/db/client";
import { resolveAuthSecret } from "@/lib/auth/secret";
import { LoginLimiter } from "@/lib/auth/rate-limit";
import { AgentTokenCache } from "@/lib/auth/agent-tokens";

export type AppContext = {
  env: Env;
  database: Database;
  db: Db;
  secret: string;
  loginLimiter: LoginLimiter;
  agentTokens: AgentTokenCache;
};

/** How long an instance trusts a verified agent token without asking the database again. */
export const AGENT_TOKEN_TTL_MS = 10_000;

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
  return {
    env,
    database,
    db: database.db,
    secret: resolveAuthSecret({ authSecret: env.authSecret, dataDir: env.dataDir }),
    loginLimiter: new LoginLimiter(env.loginWindowS * 1000),
    agentTokens: new AgentTokenCache(AGENT_TOKEN_TTL_MS),
  };
}
