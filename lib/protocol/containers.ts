/**
 * Containers on the host, as a Docker-compatible Engine API reports them. The snapshot lists
 * them (contract v1.1: `containers: [{id, name, image, state, health?}]`); each sample may carry
 * their stats (an extension of the contract: `Sample.containers`).
 */
import { z } from "zod";
import { CONTAINER_HEALTH, CONTAINER_STATES, MAX_SAMPLE_CONTAINERS, MAX_SNAPSHOT_CONTAINERS } from "./constants";
import { text } from "./text";

/**
 * One of a fixed set, as a refinement rather than z.enum: an enum mismatch is a type error,
 * which makes the telemetry body's batch-or-bare-sample union give up and name no field.
 */
const oneOf = <T extends string>(values: readonly T[]) =>
  z.string().refine((v): v is T => (values as readonly string[]).includes(v), `must be one of ${values.join(", ")}`) as unknown as z.ZodType<T>;

const identity = {
  id: text(128).min(1),
  name: text(256).min(1),
  state: oneOf(CONTAINER_STATES),
  health: oneOf(CONTAINER_HEALTH).optional(),
};
const total = z.number().finite().min(0).max(Number.MAX_SAFE_INTEGER);

export const SnapshotContainerSchema = z.object({ ...identity, image: text(512) });
export type SnapshotContainer = z.infer<typeof SnapshotContainerSchema>;

export const SnapshotContainersSchema = z.array(SnapshotContainerSchema).max(MAX_SNAPSHOT_CONTAINERS, { message: `at most ${MAX_SNAPSHOT_CONTAINERS} containers per snapshot` });

export const ContainerStatsSchema = z.object({
  ...identity,
  image: text(512).optional(),
  /**
   * Of one CPU, as `docker stats` shows it: 200 is two cores busy. The stats fields are present
   * for running containers only, and CPU % once the agent has two readings to compare.
   */
  cpuPct: z.number().finite().min(0).max(100 * 4096).optional(),
  memBytes: total.optional(),
  /** Counters since the container started (the Engine API's), not rates. */
  netRxBytes: total.optional(),
  netTxBytes: total.optional(),
  restartCount: z.number().int().min(0).max(1_000_000_000),
});
export type ContainerStats = z.infer<typeof ContainerStatsSchema>;

/**
 * A refinement, not .max(): a too-long array inside a batch would otherwise make the
 * batch-or-bare-sample union give up and name no field (as with `processes`).
 */
export const SampleContainersSchema = z
  .array(ContainerStatsSchema)
  .refine((list) => list.length <= MAX_SAMPLE_CONTAINERS, `at most ${MAX_SAMPLE_CONTAINERS} containers per sample`);
