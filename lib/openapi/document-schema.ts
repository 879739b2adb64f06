/** The outline of an OpenAPI 3.1 document, for the answer of GET /api/openapi.json (the full rules are the validator's). */
import { z } from "zod";

export const OpenApiDocumentSchema = z
  .object({
    openapi: z.string(),
    info: z.object({ title: z.string(), version: z.string() }).loose(),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export type OpenApiDocument = z.infer<typeof OpenApiDocumentSchema>;
