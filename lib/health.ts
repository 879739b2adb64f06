/** GET /api/health: 200 with `status: "ok"` while the database answers, 503 with `status: "error"` otherwise. */
import { z } from "zod";

export const HealthSchema = z.object({
  status: z.enum(["ok", "error"]),
  db: z.enum(["ok", "unavailable"]),
  version: z.string(),
  database: z.enum(["pglite", "postgres"]).optional(),
  timescale: z.string().optional(),
});
