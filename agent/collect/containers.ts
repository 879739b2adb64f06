import { access } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import type { ContainerStats, SnapshotContainer } from "../../lib/protocol/containers";
import { CONTAINER_HEALTH, CONTAINER_STATES, MAX_SAMPLE_CONTAINERS, MAX_SNAPSHOT_CONTAINERS, type ContainerHealth, type ContainerState } from "../../lib/protocol/constants";

/**
 * Containers through a Docker-compatible Engine API on a unix socket (Docker's, or podman's
 * `podman system service`): the list for the snapshot, and per sample each container's state,
 * health, restart count, CPU, memory and network counters. Plain node:http, no client library.
 * All work is bounded: per-request timeouts and body limits, at most MAX_SAMPLE_CONTAINERS
 * inspected per sample, a few requests at a time, and one deadline for the whole round.
 */

/** The Engine API version asked for: Docker 20.10+ and podman 3+ speak it. */
const API = "/v1.41";
const REQUEST_TIMEOUT_MS = 5_000;
/** A list of 500 containers is ~1 MB of JSON; inspect and stats answers are a few KB. */
const LIST_MAX_BYTES = 8 * 1024 * 1024;
const ITEM_MAX_BYTES = 1024 * 1024;
const CONCURRENCY = 6;
/** Past this, the round's remaining containers are reported from the list alone. */
export const SAMPLE_DEADLINE_MS = 10_000;

export class EngineError extends Error {}

/** Where the Engine API may be, in the order tried: the setting, Docker's, rootful podman's, rootless podman's. */
export function socketCandidates(setting: string | undefined, xdgRuntimeDir: string | undefined, root = "/"): string[] {
  if (setting) return setting === "off" ? [] : [setting];
  const list = [path.join(root, "var/run/docker.sock"), path.join(root, "run/podman/podman.sock")];
  if (xdgRuntimeDir) list.push(path.join(xdgRuntimeDir, "podman/podman.sock"));
  return list;
}

export async function findSocket(candidates: string[]): Promise<string | undefined> {
  for (const socket of candidates) if (await access(socket).then(() => true, () => false)) return socket;
  return undefined;
}

/** GET a path of the Engine API; the JSON answer (undefined for an empty body), or an EngineError. */
export function engineGet(socketPath: string, urlPath: string, opts: { maxBytes: number; signal?: AbortSignal; timeoutMs?: number }): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath, path: `${API}${urlPath}`, method: "GET", headers: { host: "docker", accept: "application/json" }, timeout: opts.timeoutMs ?? REQUEST_TIMEOUT_MS, signal: opts.signal, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > opts.maxBytes) req.destroy(new EngineError(`${urlPath}: answer larger than ${opts.maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          if (!res.statusCode || res.statusCode >= 300) return reject(new EngineError(`${urlPath}: HTTP ${res.statusCode} ${body.slice(0, 200)}`));
          if (!body.trim()) return resolve(undefined);
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new EngineError(`${urlPath}: not JSON`));
          }
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new EngineError(`${urlPath}: no answer within ${opts.timeoutMs ?? REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end();
  });
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text the server accepts: no NUL, no lone surrogate, bounded. */
export function cleanText(value: unknown, max: number): string {
  // Sliced first: a cut through a surrogate pair leaves a lone half, replaced like any other.
  return typeof value === "string" ? value.slice(0, max).replace(/\u0000/g, "").replace(LONE_SURROGATE, "\uFFFD") : "";
}

const STATE_ALIASES: Record<string, ContainerState> = { stopped: "exited", stopping: "exited", configured: "created", initialized: "created" };

/** Docker's states as they are; podman's own names mapped to Docker's; anything unknown counts as exited. */
export function normalizeState(value: unknown): ContainerState {
  const s = typeof value === "string" ? value.toLowerCase() : "";
  return (CONTAINER_STATES as readonly string[]).includes(s) ? (s as ContainerState) : (STATE_ALIASES[s] ?? "exited");
}

export function normalizeHealth(value: unknown): ContainerHealth | undefined {
  const s = typeof value === "string" ? value.toLowerCase() : "";
  return (CONTAINER_HEALTH as readonly string[]).includes(s) ? (s as ContainerHealth) : undefined;
}

/** The list's Status text carries health as "Up 2 hours (healthy)" / "(health: starting)". */
function healthFromStatus(status: unknown): ContainerHealth | undefined {
  const m = typeof status === "string" ? /\((healthy|unhealthy|health: starting)\)/.exec(status) : null;
  return m ? (m[1] === "health: starting" ? "starting" : (m[1] as ContainerHealth)) : undefined;
}

/** `GET /containers/json?all=1`: containers by name, at most `max`, running ones first when cut. */
export function parseContainerList(json: unknown, max = MAX_SNAPSHOT_CONTAINERS): SnapshotContainer[] {
  if (!Array.isArray(json)) throw new EngineError("container list: not an array");
  const list: SnapshotContainer[] = [];
  for (const item of json) {
    if (!isObject(item)) continue;
    const id = cleanText(item.Id, 128);
    if (!id) continue;
    const names = Array.isArray(item.Names) ? item.Names : [];
    const name = cleanText(names[0], 257).replace(/^\//, "").slice(0, 256) || id.slice(0, 12);
    const c: SnapshotContainer = { id, name, image: cleanText(item.Image, 512), state: normalizeState(item.State) };
    const health = healthFromStatus(item.Status);
    if (health) c.health = health;
    list.push(c);
  }
  const byName = (a: SnapshotContainer, b: SnapshotContainer) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  if (list.length <= max) return list.sort(byName);
  const running = (c: SnapshotContainer) => (c.state === "running" ? 0 : 1);
  return list.sort((a, b) => running(a) - running(b) || byName(a, b)).slice(0, max).sort(byName);
}

/** `GET /containers/{id}/json`: state, health and restart count as the engine keeps them. */
export function parseInspect(json: unknown): { state: ContainerState; health?: ContainerHealth; restartCount: number } | undefined {
  if (!isObject(json) || !isObject(json.State)) return undefined;
  const health = normalizeHealth(isObject(json.State.Health) ? json.State.Health.Status : undefined);
  return { state: normalizeState(json.State.Status), ...(health ? { health } : {}), restartCount: Math.trunc(num(json.RestartCount) ?? 0) };
}

export interface CpuReading {
  /** Container CPU time, ns. */
  total: number;
  /** Host CPU time, ns (all CPUs). */
  system: number;
  online: number;
}

function cpuReading(stats: unknown): CpuReading | undefined {
  if (!isObject(stats) || !isObject(stats.cpu_usage)) return undefined;
  const total = num(stats.cpu_usage.total_usage);
  const system = num(stats.system_cpu_usage);
  const percpu = Array.isArray(stats.cpu_usage.percpu_usage) ? stats.cpu_usage.percpu_usage.length : 0;
  const online = num(stats.online_cpus) || percpu;
  return total !== undefined && system !== undefined && system > 0 && online > 0 ? { total, system, online } : undefined;
}

export interface ParsedStats {
  cpu?: CpuReading;
  precpu?: CpuReading;
  memBytes?: number;
  netRxBytes?: number;
  netTxBytes?: number;
}

/** `GET /containers/{id}/stats?stream=false`: the readings `docker stats` computes its columns from. */
export function parseStats(json: unknown): ParsedStats {
  if (!isObject(json)) return {};
  const out: ParsedStats = {};
  const cpu = cpuReading(json.cpu_stats);
  const precpu = cpuReading(json.precpu_stats);
  if (cpu) out.cpu = cpu;
  if (precpu) out.precpu = precpu;
  const mem = isObject(json.memory_stats) ? json.memory_stats : undefined;
  const usage = num(mem?.usage);
  if (usage !== undefined) {
    // As docker stats: page cache that can be dropped is not the container's use
    // (cgroup v2: inactive_file; v1: total_inactive_file).
    const s = isObject(mem?.stats) ? mem.stats : {};
    const cache = num(s.inactive_file) ?? num(s.total_inactive_file) ?? 0;
    out.memBytes = Math.max(0, usage - (cache < usage ? cache : 0));
  }
  if (isObject(json.networks)) {
    let rx = 0;
    let tx = 0;
    for (const n of Object.values(json.networks).slice(0, 64)) {
      if (!isObject(n)) continue;
      rx += num(n.rx_bytes) ?? 0;
      tx += num(n.tx_bytes) ?? 0;
    }
    out.netRxBytes = rx;
    out.netTxBytes = tx;
  }
  return out;
}

/** CPU % of one core, as docker stats shows it (200 = two cores busy); undefined without two readings a moment apart. */
export function cpuPercent(cur: CpuReading, prev: CpuReading | undefined): number | undefined {
  if (!prev) return undefined;
  const container = cur.total - prev.total;
  const system = cur.system - prev.system;
  if (!(system > 0) || container < 0) return undefined;
  return Math.round(Math.min((container / system) * cur.online * 100, 100 * 4096) * 100) / 100;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

export interface ContainerWatchOptions {
  socket: string;
  /**
   * Docker's one-shot stats answer at once but without a previous reading; the watch keeps its
   * own from the last round. A single run (`once`) has none, so it asks for two-cycle stats.
   */
  oneShot: boolean;
  deadlineMs?: number;
}

/** One per agent process: remembers each container's last CPU reading between samples. */
export class ContainerWatch {
  private previous = new Map<string, CpuReading>();
  /** Whether the last round failed, so an outage is logged once. */
  failing = false;

  constructor(private readonly options: ContainerWatchOptions) {}

  get socket() {
    return this.options.socket;
  }

  /** The snapshot's list (contract: `[{id, name, image, state, health?}]`). */
  async list(signal?: AbortSignal): Promise<SnapshotContainer[]> {
    return parseContainerList(await engineGet(this.options.socket, "/containers/json?all=1", { maxBytes: LIST_MAX_BYTES, signal }));
  }

  /** The sample's stats for at most MAX_SAMPLE_CONTAINERS containers, running ones first. */
  async sample(): Promise<ContainerStats[]> {
    const signal = AbortSignal.timeout(this.options.deadlineMs ?? SAMPLE_DEADLINE_MS);
    const listed = await this.list(signal);
    const chosen = parseContainerList(listed.map((c) => ({ Id: c.id, Names: [c.name], Image: c.image, State: c.state })), MAX_SAMPLE_CONTAINERS);
    const health = new Map(listed.map((c) => [c.id, c.health]));
    const out: ContainerStats[] = [];
    const seen = new Map<string, CpuReading>();
    const query = this.options.oneShot ? "stream=false&one-shot=true" : "stream=false";
    await eachLimited(chosen, CONCURRENCY, async (c) => {
      const stats: ContainerStats = { id: c.id, name: c.name, image: c.image, state: c.state, restartCount: 0 };
      const h = health.get(c.id);
      if (h) stats.health = h;
      out.push(stats);
      if (signal.aborted) return;
      const inspected = parseInspect(await engineGet(this.options.socket, `/containers/${encodeURIComponent(c.id)}/json`, { maxBytes: ITEM_MAX_BYTES, signal }).catch(() => undefined));
      if (inspected) {
        stats.state = inspected.state;
        stats.restartCount = inspected.restartCount;
        if (inspected.health) stats.health = inspected.health;
        else delete stats.health;
      }
      // A container that is not running has no stats to ask for (podman answers with an empty body).
      if (stats.state !== "running" && stats.state !== "paused") return;
      const parsed = parseStats(await engineGet(this.options.socket, `/containers/${encodeURIComponent(c.id)}/stats?${query}`, { maxBytes: ITEM_MAX_BYTES, signal }).catch(() => undefined));
      if (parsed.cpu) {
        seen.set(c.id, parsed.cpu);
        const pct = cpuPercent(parsed.cpu, this.previous.get(c.id) ?? parsed.precpu);
        if (pct !== undefined) stats.cpuPct = pct;
      }
      if (parsed.memBytes !== undefined) stats.memBytes = parsed.memBytes;
      if (parsed.netRxBytes !== undefined) stats.netRxBytes = parsed.netRxBytes;
      if (parsed.netTxBytes !== undefined) stats.netTxBytes = parsed.netTxBytes;
    });
    // Only the containers of this round: the memory is bounded by the sample's own bound.
    this.previous = seen;
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The watch for this host's Engine API socket, or undefined when none of the candidates exists. */
export async function openContainerWatch(candidates: string[], oneShot: boolean): Promise<ContainerWatch | undefined> {
  const socket = await findSocket(candidates);
  return socket ? new ContainerWatch({ socket, oneShot }) : undefined;
}

/**
 * The sample with its containers' stats when the host has an Engine API. An engine that stops
 * answering leaves the field out (one warning per outage, not one per sample); the sample itself
 * is never lost to it.
 */
export async function withContainerStats<S extends object>(sample: S, watch: ContainerWatch | undefined, log: { warn: (line: string) => void; info: (line: string) => void }): Promise<S & { containers?: ContainerStats[] }> {
  if (!watch) return sample;
  try {
    const containers = await watch.sample();
    if (watch.failing) log.info(`containers: the Engine API at ${watch.socket} answers again`);
    watch.failing = false;
    return { ...sample, containers };
  } catch (err) {
    if (!watch.failing) log.warn(`containers: the Engine API at ${watch.socket} failed (${(err as Error).message}); samples go without container stats until it answers`);
    watch.failing = true;
    return sample;
  }
}
