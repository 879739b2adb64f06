import type { Metadata } from "next";
import { requirePage } from "@/lib/auth/page";
import { ApiReference } from "./_components/ApiReference";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API reference" };

/** The OpenAPI document (GET /api/openapi.json, public) rendered for signed-in users. */
export default async function ApiDocsPage() {
  await requirePage("read", "/docs/api");
  return (
    <main className="page api-docs" data-testid="api-docs">
      <ApiReference />
    </main>
  );
}
