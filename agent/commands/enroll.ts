import os from "node:os";
import type { EnrollResponse } from "../../lib/protocol";
import { endpoint, parseServerUrl } from "../cli/args";
import { readMachineId } from "../collect/host-facts";
import { assertWritable, newHostKey, newMachineId, readConfig, writeConfig, ConfigError } from "../config";
import { NetworkError, errorText, postJson } from "../transport/http";
import { CommandError, type CommandContext } from "./context";

/**
 * Registers this host with a one-time enrollment token and saves what the other commands
 * need. Re-enrolling keeps the machine id (same host on the server) and the redaction key
 * (secret hashes stay comparable across the change).
 */
export async function enroll({ options, paths, log }: CommandContext): Promise<number> {
  const server = parseServerUrl(options.server!).href;
  const existing = await readConfig(options.config).catch((err) => (err instanceof ConfigError ? undefined : Promise.reject(err)));
  await assertWritable(options.config);
  const machineId = (await readMachineId(paths)) ?? existing?.machineId ?? newMachineId();
  const hostname = os.hostname().slice(0, 253);
  let response;
  try {
    response = await postJson(endpoint(server, "api/agents/enroll"), { token: options.token, hostname, machineId });
  } catch (err) {
    if (err instanceof NetworkError) throw new CommandError(`cannot reach ${server}: ${err.message}`);
    throw err;
  }
  if (response.status === 401) throw new CommandError("enrollment token refused by the server (401): it is unknown, expired or used up; create a new one in Settings > Agents");
  if (response.status === 404) throw new CommandError(`${server} has no /api/agents/enroll (404): is this the Infra-Watch server's URL?`);
  const body = response.body as Partial<EnrollResponse> | undefined;
  if (response.status !== 201 || typeof body?.hostId !== "string" || typeof body.agentToken !== "string") {
    throw new CommandError(`enrollment failed: HTTP ${response.status}${errorText(response.body) ? `: ${errorText(response.body)}` : ""}`);
  }
  await writeConfig(options.config, {
    server,
    hostId: body.hostId,
    agentToken: body.agentToken,
    hostKey: existing?.hostKey ?? newHostKey(),
    machineId,
  });
  log.info(`enrolled ${hostname} as host ${body.hostId} with ${server}; config saved to ${options.config}`);
  return 0;
}

/**
 * For unattended starts (a container's first run): enroll when there is no config yet and
 * the server and token were given; otherwise leave it to the command to ask for enrollment.
 */
export async function enrollIfNeeded(context: CommandContext): Promise<void> {
  const { options } = context;
  if (!options.server || !options.token) return;
  if (await readConfig(options.config)) return;
  await enroll(context);
}
