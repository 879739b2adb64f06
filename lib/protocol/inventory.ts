/**
 * The v1.1 additions to the wire: a sample's top processes and a snapshot's inventory sections
 * (ports, users, groups, services, jobs, watched files, kernel command line, sysctl). Every
 * section is optional, so a snapshot from an agent older than them still validates. Every string
 * is bounded and storable (no NUL, no unpaired surrogate), every list is bounded
 * (./constants.ts), so hostile input is a 400 naming the field, never unbounded work.
 */
import { z } from "zod";
import {
  MAX_CMDLINE_CHARS,
  MAX_GROUP_MEMBERS,
  MAX_GROUPS,
  MAX_JOB_COMMAND_CHARS,
  MAX_JOBS,
  MAX_KERNEL_CMDLINE_CHARS,
  MAX_NAME_CHARS,
  MAX_PATH_CHARS,
  MAX_PID,
  MAX_PORTS,
  MAX_PROCESS_NAME_CHARS,
  MAX_SERVICES,
  MAX_SYSCTL_KEYS,
  MAX_SYSCTL_VALUE_CHARS,
  MAX_USERS,
  MAX_WATCHED_FILES,
} from "./constants";
import { isoTimestamp, text } from "./text";

const wholeNumber = (max: number) =>
  z
    .number()
    .finite()
    .min(0)
    .max(max)
    // A refinement, not .int(), for the same reason as the metric counts (./index.ts): it keeps the field's path inside a batch.
    .refine(Number.isInteger, "must be a whole number");

/** uid/gid: 32-bit unsigned on Linux. */
const id = wholeNumber(4_294_967_295);
const name = text(MAX_NAME_CHARS).min(1);
const list = <T extends z.ZodType>(item: T, max: number, what: string) => z.array(item).max(max, { message: `at most ${max} ${what}` });

/**
 * One process of a sample. `cpuPct` is its share of the whole host over the sample's interval
 * (0..100, like the host's cpuPct, so the two add up on one chart); `rssBytes` its resident
 * memory; `state` the kernel's one-letter state (R, S, D, Z, T, I...); `cmdline` redacted by
 * the agent (lib/protocol/redaction.ts) and at most MAX_CMDLINE_CHARS.
 */
export const ProcessSchema = z.object({
  pid: wholeNumber(MAX_PID),
  name: text(MAX_PROCESS_NAME_CHARS).min(1),
  user: text(MAX_NAME_CHARS).optional(),
  cpuPct: z.number().finite().min(0).max(100),
  rssBytes: wholeNumber(Number.MAX_SAFE_INTEGER),
  state: text(32).optional(),
  startedAt: isoTimestamp.optional(),
  cmdline: text(MAX_CMDLINE_CHARS).optional(),
});
export type ProcessInfo = z.infer<typeof ProcessSchema>;

export const PORT_PROTOCOLS = ["tcp", "tcp6", "udp", "udp6"] as const;

/** A listening TCP socket or a bound UDP socket; `process` is the owning process's name when the agent may see it. */
export const ListeningPortSchema = z.object({
  proto: z.enum(PORT_PROTOCOLS),
  address: text(64),
  port: wholeNumber(65_535),
  process: text(MAX_PROCESS_NAME_CHARS).optional(),
});
export type ListeningPort = z.infer<typeof ListeningPortSchema>;

/** A local account from /etc/passwd (never a password hash: the agent does not read /etc/shadow). */
export const LocalUserSchema = z.object({
  name,
  uid: id,
  gid: id,
  shell: text(MAX_PATH_CHARS).optional(),
  home: text(MAX_PATH_CHARS).optional(),
});
export type LocalUser = z.infer<typeof LocalUserSchema>;

export const LocalGroupSchema = z.object({
  name,
  gid: id,
  members: list(name, MAX_GROUP_MEMBERS, "members per group"),
});
export type LocalGroup = z.infer<typeof LocalGroupSchema>;

/** A systemd unit: `enabled` is its unit-file state (enabled, disabled, static, masked...), `active`/`sub` its runtime state. */
export const ServiceSchema = z.object({
  unit: name,
  enabled: text(64).optional(),
  active: text(64).optional(),
  sub: text(64).optional(),
});
export type Service = z.infer<typeof ServiceSchema>;

/**
 * A scheduled job. `source` says where it is defined (`/etc/crontab`, `/etc/cron.d/x`, a user
 * crontab's path, `timer:logrotate.timer`); `user` (an extension) the account it runs as when
 * the source says; `command` is redacted like a command line.
 */
export const ScheduledJobSchema = z.object({
  source: text(MAX_PATH_CHARS).min(1),
  schedule: text(MAX_NAME_CHARS),
  command: text(MAX_JOB_COMMAND_CHARS),
  user: text(MAX_NAME_CHARS).optional(),
});
export type ScheduledJob = z.infer<typeof ScheduledJobSchema>;

/** Octal permission bits including setuid/setgid/sticky, four digits: `0644`, `4755`. */
const FILE_MODE = /^[0-7]{4}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * A watched file's fingerprint; its content never leaves the host. `sha256` is absent (an
 * extension) when the agent may stat the file but not read it (a non-root agent and
 * /etc/sudoers); `error` then says why, so a metadata change is still seen.
 */
export const WatchedFileSchema = z.object({
  path: text(MAX_PATH_CHARS).min(1),
  sha256: z.string().regex(SHA256_HEX, "must be a lowercase hex sha256").optional(),
  size: wholeNumber(Number.MAX_SAFE_INTEGER),
  mode: z.string().regex(FILE_MODE, "must be four octal digits"),
  owner: text(MAX_NAME_CHARS).optional(),
  mtime: isoTimestamp.optional(),
  error: text(256).optional(),
});
export type WatchedFile = z.infer<typeof WatchedFileSchema>;

const sysctl = z
  .record(text(MAX_NAME_CHARS).min(1), text(MAX_SYSCTL_VALUE_CHARS))
  .refine((values) => Object.keys(values).length <= MAX_SYSCTL_KEYS, { message: `at most ${MAX_SYSCTL_KEYS} sysctl keys per snapshot` });

/** The snapshot's v1.1 sections, spread into SnapshotSchema (./index.ts). */
export const InventorySectionsShape = {
  ports: list(ListeningPortSchema, MAX_PORTS, "ports per snapshot").optional(),
  users: list(LocalUserSchema, MAX_USERS, "users per snapshot").optional(),
  groups: list(LocalGroupSchema, MAX_GROUPS, "groups per snapshot").optional(),
  services: list(ServiceSchema, MAX_SERVICES, "services per snapshot").optional(),
  /** Why `services` is empty (an extension): no systemd on the host, systemctl failed... */
  servicesUnavailable: text(256).optional(),
  jobs: list(ScheduledJobSchema, MAX_JOBS, "jobs per snapshot").optional(),
  files: list(WatchedFileSchema, MAX_WATCHED_FILES, "watched files per snapshot").optional(),
  kernelCmdline: text(MAX_KERNEL_CMDLINE_CHARS).optional(),
  sysctl: sysctl.optional(),
};

export const InventorySectionsSchema = z.object(InventorySectionsShape);
export type InventorySections = z.infer<typeof InventorySectionsSchema>;
