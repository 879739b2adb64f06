import { jsonOf, route } from "@/lib/http";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { OpenApiDocumentSchema, type OpenApiDocument } from "@/lib/openapi/document-schema";
import { VERSION } from "@/lib/version";

export const dynamic = "force-dynamic";

let built: OpenApiDocument | undefined;

/** Public: generated once per process from the route table and the routes' schemas. */
export const GET = route("GET /api/openapi.json", async ({ ctx }) => {
  built ??= buildOpenApiDocument({ version: VERSION, serverUrl: ctx.env.publicUrl });
  return jsonOf(OpenApiDocumentSchema, built);
});
