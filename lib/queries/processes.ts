/** The top processes stored with each sample (process_samples): one sample's list at a time. */
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { isoString } from "@/lib/wire";
import { ProcessSchema, type ProcessInfo } from "@/lib/protocol";
import { SampleListQuerySchema, sampleListAt } from "./sample-lists";

export const ProcessesQuerySchema = SampleListQuerySchema;

/** `ts` is the stored sample's time, null when the host has sent no processes yet. */
export const ProcessesResponseSchema = z.object({ ts: isoString.nullable(), processes: z.array(ProcessSchema) });
export type ProcessesAt = z.infer<typeof ProcessesResponseSchema>;

/** The processes of the stored sample nearest `atMs` (default: the newest). */
export async function processesAt(db: Db, args: { hostId: string; atMs?: number }): Promise<ProcessesAt> {
  const { ts, items } = await sampleListAt<ProcessInfo>(db, "processes", args);
  return { ts, processes: items };
}
