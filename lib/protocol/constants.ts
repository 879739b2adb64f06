/**
 * The protocol's plain values, importable without zod. The agent bundles this file instead
 * of ./index.ts so that its executable does not carry a schema library it never runs
 * (zod alone adds ~12 MB of RSS to a Node process). ./index.ts re-exports them.
 */
export const PROTOCOL_VERSION = 1;

/** Who a user is to the permission table (lib/auth/permissions.ts); the API and the dashboard name them so. */
export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const BODY_LIMITS = {
  telemetry: 1024 * 1024,
  snapshot: 16 * 1024 * 1024,
  default: 64 * 1024,
} as const;

export const MAX_SAMPLES_PER_BATCH = 1000;
export const MAX_PACKAGES = 20_000;
export const MAX_ENV_KEYS = 2_000;
/**
 * Env keys and values together, in characters: a real environment is a few KB. The bound keeps
 * the per-value secret scans (lib/protocol/redaction.ts) of one upload within milliseconds.
 */
export const MAX_ENV_CHARS = 1024 * 1024;

/**
 * Secret-looking env values are replaced by the agent with `REDACTED_PREFIX + keyed hash`,
 * so the server can show that a value changed without ever seeing it.
 */
export const REDACTED_PREFIX = "redacted:hmac-sha256:";

/** Whether an env value is the agent's keyed hash of a secret rather than the value. */
export const isRedactedValue = (value: string): boolean => value.startsWith(REDACTED_PREFIX);

/**
 * Every agent request carries the protocol version it speaks in this header. A request without
 * it comes from an agent built before the header existed, which spoke version 1: the server
 * adapts by treating it as version 1. Outside [MIN_PROTOCOL_VERSION, PROTOCOL_VERSION] the server
 * refuses with 426 and a message that says which side to upgrade.
 */
export const PROTOCOL_HEADER = "x-infra-watch-protocol";
export const MIN_PROTOCOL_VERSION = 1;
/** The status of a refusal for a protocol version the server does not speak. */
export const PROTOCOL_MISMATCH_STATUS = 426;

export type ProtocolVerdict = { ok: true; version: number } | { ok: false; message: string };

export function protocolVerdict(header: string | null | undefined, supported = { min: MIN_PROTOCOL_VERSION, max: PROTOCOL_VERSION }): ProtocolVerdict {
  if (header === null || header === undefined || header === "") return { ok: true, version: 1 };
  const version = /^\d{1,6}$/.test(header.trim()) ? Number(header.trim()) : NaN;
  const range = supported.min === supported.max ? `${supported.min}` : `${supported.min} to ${supported.max}`;
  if (!Number.isInteger(version)) return { ok: false, message: `${PROTOCOL_HEADER} must be a protocol version number, got "${header.slice(0, 32)}"` };
  if (version < supported.min) {
    return { ok: false, message: `agent protocol ${version} is too old: this server speaks protocol ${range}; upgrade the agent (infra-watch-agent update, or run the install script again)` };
  }
  if (version > supported.max) {
    return { ok: false, message: `agent protocol ${version} is newer than this server's (protocol ${range}); upgrade the Infra-Watch server or install the agent it serves` };
  }
  return { ok: true, version };
}

/**
 * Limits of the v1.1 additions (processes per sample, the inventory sections of a snapshot).
 * Each is far above what a real host reports and low enough that one request's validation and
 * storage stay bounded; past one, the request is a 400 naming the field (a body past
 * BODY_LIMITS is a 413 before it is parsed).
 */
export const MAX_PROCESSES_PER_SAMPLE = 50;
/** A process's command line as sent: truncated by the agent after redaction. */
export const MAX_CMDLINE_CHARS = 256;
/** A process name (the kernel's comm is 15 bytes; names from argv[0] are longer). */
export const MAX_PROCESS_NAME_CHARS = 256;
export const MAX_PORTS = 10_000;
export const MAX_USERS = 10_000;
export const MAX_GROUPS = 10_000;
export const MAX_GROUP_MEMBERS = 5_000;
export const MAX_SERVICES = 10_000;
export const MAX_JOBS = 5_000;
/** A cron or timer command as sent (redacted like a command line, truncated past this). */
export const MAX_JOB_COMMAND_CHARS = 4096;
export const MAX_WATCHED_FILES = 1_000;
export const MAX_PATH_CHARS = 4096;
export const MAX_KERNEL_CMDLINE_CHARS = 4096;
export const MAX_SYSCTL_KEYS = 500;
export const MAX_SYSCTL_VALUE_CHARS = 4096;
/** Names: users, groups, units, sysctl keys, owners. */
export const MAX_NAME_CHARS = 256;
/** Distinct names in a sample's `processNames` (./process-names.ts); a busy host runs a few hundred. Here so the agent, which bundles no zod, can bound its list. */
export const MAX_PROCESS_NAMES = 4096;
/** The highest pid Linux hands out (pid_max's ceiling, 2^22). */
export const MAX_PID = 4_194_304;

/**
 * Host labels (`env=prod`): keys are lowercase `[a-z0-9_.-/]`, beginning and ending with a letter
 * or digit; values are Kubernetes-style `[A-Za-z0-9_.-]`, beginning and ending with a letter or
 * digit, or empty. The rules themselves are in ./labels.ts (plain code, so the agent checks its
 * `--label` flags with the server's own rules without bundling zod).
 */
export const MAX_LABELS_PER_HOST = 32;
export const MAX_LABEL_KEY_LENGTH = 63;
export const MAX_LABEL_VALUE_LENGTH = 63;
/** Hardware inventory bounds (a snapshot's `hardware` section): items per list. */
export const HARDWARE_LIMITS = { memory: 256, disks: 256, nics: 256, gpus: 64 } as const;
/** Containers listed in a snapshot, and containers with stats in one sample. */
export const MAX_SNAPSHOT_CONTAINERS = 500;
export const MAX_SAMPLE_CONTAINERS = 100;
export const CONTAINER_STATES = ["created", "running", "paused", "restarting", "removing", "exited", "dead"] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];
export const CONTAINER_HEALTH = ["starting", "healthy", "unhealthy"] as const;
export type ContainerHealth = (typeof CONTAINER_HEALTH)[number];
export const DISK_TYPES = ["hdd", "ssd", "nvme", "virtual"] as const;
export type DiskType = (typeof DISK_TYPES)[number];
