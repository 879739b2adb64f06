import { requireConfig } from "../config";
import { makeDir } from "../make-dir";
import { readState, writeState } from "../state";
import { updateNow } from "../update/lifecycle";
import { UpdateError } from "../update/verify";
import { CommandError, type CommandContext } from "./context";

/**
 * `infra-watch-agent update`: the same verified replacement `--auto-update` does, on demand.
 * A running daemon keeps the old version until it restarts (systemctl restart infra-watch-agent).
 */
export async function update(context: CommandContext): Promise<number> {
  const { options, log, version } = context;
  const config = await requireConfig(options.config);
  const state = await readState(options.spool);
  const at = new Date().toISOString();
  // The state file lives in the spool directory, which a fresh enrollment has not made yet.
  await makeDir(options.spool).catch(() => {});
  try {
    const result = await updateNow(context, config);
    if (result.outcome === "current") {
      log.info(`${version} is the newest agent ${config.server} ships`);
      state.update = { state: "current", at };
    } else {
      log.info(`updated ${result.from} -> ${result.version}; restart a running agent to use it (systemctl restart infra-watch-agent)`);
      state.update = { state: "updated", at, version: result.version, from: result.from };
    }
    await writeState(options.spool, state).catch(() => {});
    return 0;
  } catch (err) {
    if (!(err instanceof UpdateError)) throw err;
    state.update = { state: "failed", at, message: err.message };
    await writeState(options.spool, state).catch(() => {});
    throw new CommandError(`update failed, keeping ${version}: ${err.message}`);
  }
}
