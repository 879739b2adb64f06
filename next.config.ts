import type { NextConfig } from "next";

/** Next's inline bootstrap scripts need 'unsafe-inline' without a nonce; nothing else is allowed. */
const csp = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

/**
 * Build settings, read here because next.config is evaluated by Next itself (the app's
 * settings are read by lib/env.ts): the Docker image builds with NEXT_OUTPUT=standalone;
 * NEXT_DIST_DIR lets a second checkout-local build (e.g. a developer's) not clobber the tests'.
 */
const config: NextConfig = {
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // Next gzips every streamed response, however small: a tenth of the server's CPU on the
  // ingest path (measured with --cpu-prof). Compression belongs to the reverse proxy.
  compress: false,
  // The build checks the app's own code; `npm run typecheck` (a suite of `npm test`) checks everything.
  typescript: { tsconfigPath: "tsconfig.app.json" },
  // PGlite loads its WASM and data files from its own package directory.
  serverExternalPackages: ["@electric-sql/pglite"],
  // The embedded database's worker thread is loaded by path at run time (lib/db/pglite-thread.ts).
  outputFileTracingIncludes: { "/**": ["./drizzle/**/*", "./lib/db/pglite-worker.mjs", "./node_modules/@electric-sql/pglite/**/*"] },
  async headers() {
    // Pages get the full set; JSON answers need only nosniff (and stay small on the ingest path).
    return [
      { source: "/((?!api/).*)", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] },
    ];
  },
};

export default config;
