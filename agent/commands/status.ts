import { endpoint } from "../cli/args";
import { readConfig } from "../config";
import { readState } from "../state";
import { get, NetworkError } from "../transport/http";
import { describeUpdate } from "../update/lifecycle";
import { openSpool, type CommandContext } from "./context";

const REACH_TIMEOUT_MS = 5_000;

/** GET /api/health: whether this host can reach the server now, and how long that took. */
async function reachability(server: string): Promise<string> {
  const started = Date.now();
  try {
    const res = await get(endpoint(server, "api/health"), { maxBytes: 64 * 1024, timeoutMs: REACH_TIMEOUT_MS });
    const ms = Date.now() - started;
    return res.status === 200 ? `reachable (health 200 in ${ms} ms)` : `answers HTTP ${res.status} on /api/health (${ms} ms)`;
  } catch (err) {
    if (err instanceof NetworkError) return `unreachable: ${err.message}`;
    throw err;
  }
}

const age = (from: Date, now: number) => {
  const s = Math.max(0, Math.round((now - from.getTime()) / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
};

/** What an operator asks first: which server, can we reach it, is anything stuck, which version. */
export async function status({ options, version }: CommandContext, print = (line: string) => process.stdout.write(`${line}\n`)): Promise<number> {
  const config = await readConfig(options.config);
  const spool = await openSpool(options);
  const state = await readState(options.spool);
  const now = Date.now();
  print(`agent version:   ${version}`);
  print(`config:          ${options.config}${config ? "" : " (not enrolled)"}`);
  if (config) {
    print(`server:          ${config.server}`);
    print(`reachability:    ${await reachability(config.server)}`);
    print(`host id:         ${config.hostId}`);
    print(`release key:     ${config.signingKey ? "pinned at enrollment" : "none (enrolled before releases were signed: enroll again to allow updates)"}`);
  }
  print(`update:          ${describeUpdate(state.update, state.autoUpdate ?? options.autoUpdate)}`);
  print(`spool:           ${options.spool}`);
  const oldest = spool.oldestAt;
  print(`spool depth:     ${spool.depth} samples (${spool.bytes} bytes)${oldest ? `, oldest ${oldest.toISOString()} (${age(oldest, now)} old)` : ""}, ${spool.dropped} dropped not yet reported`);
  print(`last delivery:   ${state.lastSuccessAt ? `${state.lastSuccessAt} (${age(new Date(state.lastSuccessAt), now)} ago)` : "never"}`);
  print(`last snapshot:   ${state.lastSnapshotAt ?? "never"}`);
  return config ? 0 : 1;
}
