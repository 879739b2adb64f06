/** The container stats stored with samples (container_samples): one sample's list at a time. */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { ContainerStatsSchema, type ContainerStats } from "@/lib/protocol";
import { isoString } from "@/lib/wire";
import { SampleListQuerySchema, sampleListAt } from "./sample-lists";

export const ContainersQuerySchema = SampleListQuerySchema;

/** `ts` is the stored sample's time, null when the host has sent no container stats yet. */
export const ContainersResponseSchema = z.object({ ts: isoString.nullable(), containers: z.array(ContainerStatsSchema) });
export type ContainersAt = z.infer<typeof ContainersResponseSchema>;

/** The containers of the stored sample nearest `atMs` (default: the newest). */
export async function containersAt(db: Db, args: { hostId: string; atMs?: number }): Promise<ContainersAt> {
  const { ts, items } = await sampleListAt<ContainerStats>(db, "containers", args);
  return { ts, containers: items };
}
