import { readConfig } from "../config";
import { readState } from "../state";
import { openSpool, type CommandContext } from "./context";

/** What an operator asks first: which server, which host, is anything stuck. */
export async function status({ options, version }: CommandContext, print = (line: string) => process.stdout.write(`${line}\n`)): Promise<number> {
  const config = await readConfig(options.config);
  const spool = await openSpool(options);
  const state = await readState(options.spool);
  print(`agent version:   ${version}`);
  print(`config:          ${options.config}${config ? "" : " (not enrolled)"}`);
  if (config) {
    print(`server:          ${config.server}`);
    print(`host id:         ${config.hostId}`);
  }
  print(`spool:           ${options.spool}`);
  print(`spool depth:     ${spool.depth} samples (${spool.bytes} bytes), ${spool.dropped} dropped not yet reported`);
  print(`last success:    ${state.lastSuccessAt ?? "never"}`);
  print(`last snapshot:   ${state.lastSnapshotAt ?? "never"}`);
  return config ? 0 : 1;
}
