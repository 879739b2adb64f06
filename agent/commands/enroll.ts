import { readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import type { EnrollPendingResponse, EnrollResponse } from "../../lib/protocol";
import { endpoint, parseServerUrl } from "../cli/args";
import { readMachineId } from "../collect/host-facts";
import { assertWritable, newHostKey, newMachineId, readConfig, storedSettings, writeConfig, ConfigError, type AgentConfig } from "../config";
import { NetworkError, errorText, postJson, type HttpResponse } from "../transport/http";
import { CommandError, type CommandContext } from "./context";

/** A re-enrollment waiting for an admin: kept beside the config so a later `enroll` can collect it. */
interface PendingReenrollment {
  server: string;
  machineId: string;
  pendingId: string;
}

export const pendingFile = (config: string) => `${config}.pending.json`;

async function readPending(file: string): Promise<PendingReenrollment | undefined> {
  try {
    const p = JSON.parse(await readFile(file, "utf8")) as Partial<PendingReenrollment>;
    return typeof p.server === "string" && typeof p.machineId === "string" && typeof p.pendingId === "string" ? (p as PendingReenrollment) : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Registers this host with an enrollment token and saves what the other commands need.
 * Re-enrolling keeps the machine id (same host on the server) and the redaction key (secret
 * hashes stay comparable across the change). A host already known to the server needs proof:
 * the agent sends its current agent token when it has one for this server; without it (or
 * after a revocation) the server answers 409 with a `pendingId`, and the agent keeps asking
 * with that id until an admin approves (201) or rejects (403) it on the host page, or
 * `--wait` runs out (the id is kept for the next `enroll`).
 */
export async function enroll({ options, paths, log }: CommandContext): Promise<number> {
  const server = parseServerUrl(options.server!).href;
  const existing = await readConfig(options.config).catch((err) => (err instanceof ConfigError ? undefined : Promise.reject(err)));
  await assertWritable(options.config);
  const machineId = (await readMachineId(paths)) ?? existing?.machineId ?? newMachineId();
  const hostname = os.hostname().slice(0, 253);
  const pendingPath = pendingFile(options.config);
  const saved = await readPending(pendingPath);
  let pendingId = saved && saved.server === server && saved.machineId === machineId ? saved.pendingId : undefined;
  // Only to the server that issued it: another server has no business seeing this token.
  const currentAgentToken = existing && existing.server === server && existing.machineId === machineId ? existing.agentToken : undefined;

  const url = endpoint(server, "api/agents/enroll");
  const attempt = async (): Promise<HttpResponse> => {
    try {
      return await postJson(url, { token: options.token, hostname, machineId, ...(currentAgentToken ? { currentAgentToken } : {}), ...(pendingId ? { pendingId } : {}) });
    } catch (err) {
      if (err instanceof NetworkError) throw new CommandError(`cannot reach ${server}: ${err.message}`);
      throw err;
    }
  };

  const deadline = Date.now() + options.enrollWaitMs;
  let response = await attempt();
  for (;;) {
    if (response.status === 404 && pendingId) {
      // The request was collected, or the host deleted: start over with a fresh attempt.
      log.warn(`the server no longer knows re-enrollment request ${pendingId}; asking again`);
      await rm(pendingPath, { force: true });
      pendingId = undefined;
      response = await attempt();
      continue;
    }
    if (response.status !== 409) break;
    const body = response.body as Partial<EnrollPendingResponse> | undefined;
    if (typeof body?.pendingId !== "string") break;
    if (body.pendingId !== pendingId) {
      pendingId = body.pendingId;
      await writeFile(pendingPath, `${JSON.stringify({ server, machineId, pendingId } satisfies PendingReenrollment)}\n`, { mode: 0o600 });
      log.warn(
        `${hostname} is already enrolled with ${server}; without its current agent token an admin must approve this re-enrollment on the host's page (request ${pendingId}, from this machine, now)`,
      );
    }
    if (Date.now() + options.enrollPollMs > deadline) {
      throw new CommandError(
        `re-enrollment request ${pendingId} is still waiting for an admin's approval on the host page; run the same enroll command again once it is approved (the request id is kept in ${pendingPath})`,
      );
    }
    log.info(`waiting for approval of re-enrollment request ${pendingId}; asking again in ${Math.round(options.enrollPollMs / 1000)} s`);
    await sleep(options.enrollPollMs);
    response = await attempt();
  }

  if (response.status === 401) throw new CommandError("enrollment token refused by the server (401): it is unknown, expired or used up; create a new one in Settings > Agents");
  if (response.status === 403 && pendingId) {
    await rm(pendingPath, { force: true });
    throw new CommandError(`an administrator rejected re-enrollment request ${pendingId} (403); this host keeps reporting with its current agent, if any`);
  }
  if (response.status === 404) throw new CommandError(`${server} has no /api/agents/enroll (404): is this the Infra-Watch server's URL?`);
  const body = response.body as Partial<EnrollResponse> | undefined;
  if (response.status !== 201 || typeof body?.hostId !== "string" || typeof body.agentToken !== "string") {
    throw new CommandError(`enrollment failed: HTTP ${response.status}${errorText(response.body) ? `: ${errorText(response.body)}` : ""}`);
  }
  // Enrollment is where this host decides whom to trust: the key comes from the server it just
  // proved itself to, and is kept from the old config only for that same server.
  const signingKey = typeof body.signingKey === "string" && body.signingKey.includes("PUBLIC KEY") ? body.signingKey : existing?.server === server ? existing.signingKey : undefined;
  const config: AgentConfig = {
    server,
    hostId: body.hostId,
    agentToken: body.agentToken,
    hostKey: existing?.hostKey ?? newHostKey(),
    machineId,
    ...(signingKey ? { signingKey } : {}),
    ...storedSettings(existing),
    // Labels given now replace the saved ones; without --label a re-enrollment keeps them.
    ...(options.labels ? { labels: options.labels } : existing?.labels ? { labels: existing.labels } : {}),
  };
  await writeConfig(options.config, config);
  await rm(pendingPath, { force: true });
  log.info(`enrolled ${hostname} as host ${body.hostId} with ${server}${pendingId ? ` (re-enrollment ${pendingId} approved)` : ""}; config saved to ${options.config}`);
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
