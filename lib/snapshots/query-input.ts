/** Validation of the snapshot and drift read parameters. */
import { z } from "zod";

const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_([0-9a-f-]{36})$/i;

export const SnapshotListQuerySchema = z.object({
  hostId: z.uuid("must be a host id"),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .regex(CURSOR, "must be a nextCursor from a previous page")
    .transform((c) => {
      const m = c.match(CURSOR)!;
      return { ts: m[1]!, id: m[2]!.toLowerCase() };
    })
    .optional(),
});

export const SnapshotDiffQuerySchema = z.object({
  against: z.union([z.literal("previous"), z.uuid("must be 'previous' or a snapshot id")]).default("previous"),
});

export const FleetDriftQuerySchema = z.object({
  since: z.string().max(64).default("-24h"),
  perHost: z.coerce.number().int().min(1).max(100).default(5),
});

export const CompareQuerySchema = z.object({
  hostId: z.uuid("must be a host id"),
  baselineHostId: z.uuid("must be a host id"),
});
