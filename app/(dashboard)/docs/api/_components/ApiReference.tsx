"use client";
/**
 * Scalar's renderer, bundled with the app: it fetches the document from this server and nothing
 * else (no fonts, telemetry, AI chat or proxy from Scalar's services), so it works offline and within
 * the pages' Content-Security-Policy.
 */
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/openapi.json",
        withDefaultFonts: false,
        telemetry: false,
        // Its "Ask AI" chat talks to Scalar's servers.
        agent: { disabled: true },
        hideClientButton: true,
        showDeveloperTools: "never",
        documentDownloadType: "json",
        persistAuth: false,
        hideDarkModeToggle: true,
        forceDarkModeState: "light",
      }}
    />
  );
}
