/**
 * The one logger for failures that reach a route, a job or the start: one line per failed
 * statement, naming where it failed, its SQLSTATE, constraint and table, and what the caller
 * adds (host id, sample count). Never the statement's parameters: drizzle's message is
 * "Failed query: <sql> params: <every value>" and postgres.js errors carry `.parameters` and
 * `.query` (a 1000-sample batch, or a snapshot's environment, on one log line), so only the
 * database's own fields are read. Data-exception messages (SQLSTATE class 22) quote the
 * offending input and are left out too.
 */

export type LogFields = { hostId?: string; samples?: number; [key: string]: string | number | undefined };

type DbFields = { code?: string; constraint?: string; table?: string; column?: string; message?: string };

const logged = new WeakSet<object>();

/** The database error inside drizzle's wrapping (its `cause`), or the error itself. */
function innermost(err: unknown): Record<string, unknown> | null {
  let e = err as Record<string, unknown> | undefined;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++, e = e.cause as Record<string, unknown> | undefined) {
    if (typeof e.code === "string") return e;
  }
  return err && typeof err === "object" ? (err as Record<string, unknown>) : null;
}

const oneLine = (s: string, max = 240) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

export function describeDbError(err: unknown): DbFields {
  const e = innermost(err);
  if (!e) return { message: oneLine(String(err)) };
  const str = (k: string) => (typeof e[k] === "string" ? (e[k] as string) : undefined);
  const code = str("code");
  const fields: DbFields = {
    code,
    constraint: str("constraint_name") ?? str("constraint"),
    table: str("table_name") ?? str("table"),
    column: str("column_name") ?? str("column"),
  };
  const message = str("message") ?? "";
  const quotesInput = code?.startsWith("22") || message.startsWith("Failed query:");
  if (!quotesInput) fields.message = oneLine(message);
  return fields;
}

/** One line: `[infra-watch] <where> failed: sqlstate=… constraint=… table=… host=… samples=… <message>`. */
export function formatDbError(where: string, err: unknown, extra: LogFields = {}): string {
  const d = describeDbError(err);
  const parts = [`[infra-watch] ${where} failed:`];
  if (d.code) parts.push(`sqlstate=${d.code}`);
  if (d.constraint) parts.push(`constraint=${d.constraint}`);
  if (d.table) parts.push(`table=${d.table}`);
  if (d.column) parts.push(`column=${d.column}`);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) parts.push(`${k === "hostId" ? "host" : k}=${oneLine(String(v), 80)}`);
  if (d.message) parts.push(`- ${d.message}`);
  if (d.code === "26000") parts.push("(a named prepared statement went missing: if DATABASE_URL goes through a transaction pooler, set IW_DB_POOLER=transaction)");
  // Not a database error: a defect of ours; where it was thrown, still on this one line.
  const frame = !d.code && err instanceof Error ? err.stack?.split("\n").find((l) => l.trim().startsWith("at "))?.trim() : undefined;
  if (frame) parts.push(`(${frame})`);
  return parts.join(" ");
}

/**
 * Logs a failure once: an error shared by several callers (a group-commit statement rejects
 * every request of its group with the same error) is written by the first of them only.
 */
export function logDbError(where: string, err: unknown, extra?: LogFields, sink: (line: string) => void = console.error) {
  if (err && typeof err === "object") {
    if (logged.has(err)) return;
    logged.add(err);
  }
  sink(formatDbError(where, err, extra));
}
