/**
 * Wire messages between the agent and the server (contract v1).
 * Imported by both sides; this folder may import zod and nothing else.
 */
import { z } from "zod";
import { MAX_ENV_CHARS, MAX_ENV_KEYS, MAX_PACKAGES, MAX_PROCESSES_PER_SAMPLE, MAX_SAMPLES_PER_BATCH } from "./constants";
import { InventorySectionsShape, ProcessSchema } from "./inventory";
import { SectionsDiffShape } from "./drift";
import { ProcessNamesSchema } from "./process-names";
import { METRICS, type Metric, type MetricUnit } from "./metrics";
import { isoTimestamp, text } from "./text";

export * from "./constants";
export * from "./drift";
export * from "./process-names";
export * from "./inventory";
export * from "./metrics";
export * from "./release";

/** Samples may be at most this far ahead of the server's clock. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const pct = z.number().finite().min(0).max(100);
const nonNegative = z.number().finite().min(0);


export const DiskUsageSchema = z.object({
  mount: text(4096).min(1),
  pct,
  usedBytes: nonNegative,
  totalBytes: nonNegative,
});
export type DiskUsage = z.infer<typeof DiskUsageSchema>;

/** A metric's wire bounds by unit: percentages 0..100, counts whole, everything else finite and not negative. */
function metricValue(unit: MetricUnit) {
  if (unit === "percent") return pct;
  // A refinement, not .int(): zod reports .int() as a type error, which makes the batch-or-bare-sample
  // union give up on the batch and name no field; a refinement keeps "samples.0.procCount".
  if (unit === "count") return nonNegative.refine(Number.isInteger, "must be a whole number");
  return nonNegative;
}

type MetricShape = { [M in Metric as M["name"]]: M["required"] extends true ? ReturnType<typeof metricValue> : z.ZodOptional<ReturnType<typeof metricValue>> };

/** One field per registry metric (lib/protocol/metrics.ts): required ones always, the rest optional. */
const metricShape = Object.fromEntries(
  METRICS.map((m) => [m.name, m.required ? metricValue(m.unit) : metricValue(m.unit).optional()]),
) as MetricShape;

export const SampleSchema = z.object({
  ts: isoTimestamp,
  ...metricShape,
  /** Per-core busy %, in core order. */
  cpuCores: z.array(pct).max(1024).optional(),
  disks: z.array(DiskUsageSchema).max(64).optional(),
  /** The top processes by CPU and by resident memory, merged (v1.1). */
  // A refinement, not .max(): a too-long array inside a batch would otherwise make the
  // batch-or-bare-sample union give up and name no field (as with the counts above).
  processes: z
    .array(ProcessSchema)
    .refine((list) => list.length <= MAX_PROCESSES_PER_SAMPLE, `at most ${MAX_PROCESSES_PER_SAMPLE} processes per sample`)
    .optional(),
  /** Every process name seen, for processMissing rules (./process-names.ts). */
  processNames: ProcessNamesSchema.optional(),
});
export type Sample = z.infer<typeof SampleSchema>;

export const HostFactsSchema = z.object({
  hostname: text(253).min(1),
  ip: text(64).optional(),
  os: text(256).optional(),
  kernel: text(256).optional(),
  arch: text(32).optional(),
  agentVersion: text(64).optional(),
  /** The agent's reporting interval; the server judges up/down against it. */
  intervalS: z.number().int().min(1).max(86_400).optional(),
  /** The agent's self-update state as it sees it ("current", "updated from 0.1.0", "failed: ..."). */
  updateState: text(256).optional(),
  /** Samples waiting in the agent's spool when it sent this batch (this batch included). */
  spoolDepth: z.number().int().min(0).max(1_000_000_000).optional(),
});
export type HostFacts = z.infer<typeof HostFactsSchema>;

export const TelemetryBatchSchema = z.object({
  host: HostFactsSchema.optional(),
  samples: z.array(SampleSchema).min(1).max(MAX_SAMPLES_PER_BATCH),
  /** Samples the agent's spool had to drop since the last delivered batch. */
  dropped: z.number().int().min(0).optional(),
});
export type TelemetryBatch = z.infer<typeof TelemetryBatchSchema>;

/** A telemetry body is a batch or one bare sample; both normalise to a batch. */
export const TelemetryBodySchema = z.union([TelemetryBatchSchema, SampleSchema.transform((s) => ({ samples: [s] }) as TelemetryBatch)]);

/** Answers are produced by the server and read by the agent: types, no runtime schema. */
/**
 * `agentUpdate` (an addition to the v1 contract) is present when the server ships a newer agent
 * than the `host.agentVersion` of the batch, for the host's architecture.
 */
export const TelemetryResponseSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  agentUpdate: z.object({ version: z.string() }).optional(),
});
export type TelemetryResponse = z.infer<typeof TelemetryResponseSchema>;

export const PackageSchema = z.object({
  name: z.string().min(1).max(512),
  version: z.string().max(256),
  arch: z.string().max(32).optional(),
  manager: z.string().max(32).optional(),
});
export type Package = z.infer<typeof PackageSchema>;

/** Characters of an environment's keys and values together (the MAX_ENV_CHARS budget). */
export function envChars(env: Record<string, string>): number {
  let n = 0;
  for (const key in env) n += key.length + env[key]!.length;
  return n;
}

export const SnapshotSchema = z.object({
  ts: isoTimestamp,
  os: z.string().max(256).optional(),
  kernel: z.string().max(256).optional(),
  packages: z.array(PackageSchema).max(MAX_PACKAGES, { message: `at most ${MAX_PACKAGES} packages per snapshot` }),
  env: z
    .record(z.string().min(1).max(256), z.string().max(32 * 1024))
    .refine((env) => Object.keys(env).length <= MAX_ENV_KEYS, { message: `at most ${MAX_ENV_KEYS} env keys per snapshot` })
    .refine((env) => envChars(env) <= MAX_ENV_CHARS, { message: `at most ${MAX_ENV_CHARS} characters of env keys and values per snapshot` }),
  /** The v1.1 inventory sections (./inventory.ts), each optional so older agents still validate. */
  ...InventorySectionsShape,
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/**
 * Packages are identified by name + arch + manager; `arch` and `manager` are present on a
 * diff item only when the package had them, so `libc6` for amd64 and for i386 stay apart.
 */
const packageIdentity = { name: z.string(), arch: z.string().optional(), manager: z.string().optional() };

export const SnapshotDiffSchema = z.object({
  packages: z.object({
    added: z.array(z.object({ ...packageIdentity, version: z.string() })),
    removed: z.array(z.object({ ...packageIdentity, version: z.string() })),
    changed: z.array(z.object({ ...packageIdentity, from: z.string(), to: z.string() })),
  }),
  env: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) }),
  kernel: z.object({ from: z.string().nullable(), to: z.string().nullable() }).nullable(),
  os: z.object({ from: z.string().nullable(), to: z.string().nullable() }).nullable(),
  /** The inventory sections that changed (./drift.ts). */
  ...SectionsDiffShape,
});
export type SnapshotDiff = z.infer<typeof SnapshotDiffSchema>;

/** `first`: the host's first snapshot, a baseline with nothing to diff against (an extension). */
export const SnapshotResponseSchema = z.union([
  z.object({ snapshotId: z.string(), changed: z.literal(true), diff: SnapshotDiffSchema, first: z.boolean() }),
  z.object({ snapshotId: z.string(), changed: z.literal(false) }),
]);
export type SnapshotResponse = z.infer<typeof SnapshotResponseSchema>;

/**
 * Re-enrolling a machine already known needs proof: `currentAgentToken` (the agent's token for
 * that host), or an admin's approval of the pending request the first attempt without proof
 * created (409 with its `pendingId`). The agent then repeats the request with `pendingId`
 * (an extension of the contract) until it is approved (201) or rejected (403).
 */
export const EnrollRequestSchema = z.object({
  token: z.string().min(1).max(256),
  hostname: z.string().min(1).max(253),
  machineId: z.string().min(1).max(128),
  currentAgentToken: z.string().min(1).max(256).optional(),
  pendingId: z.uuid({ message: "must be the pendingId of an earlier 409" }).optional(),
});
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;

/**
 * `signingKey` (an addition): the server's ed25519 public key (SPKI PEM) that signs agent
 * releases; the agent pins it in its config and verifies every self-update against it.
 */
export const EnrollResponseSchema = z.object({ hostId: z.string(), agentToken: z.string(), signingKey: z.string().optional() });
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>;

/** 409 from enroll: the re-enrollment waits for an admin's approval on the host page. */
export const EnrollPendingResponseSchema = z.object({ error: z.string(), pendingId: z.string() });
export type EnrollPendingResponse = z.infer<typeof EnrollPendingResponseSchema>;

/** Every JSON error body of the API. */
export const ErrorBodySchema = z.object({ error: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

