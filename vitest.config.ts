import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = { "@": path.resolve(import.meta.dirname) };

/**
 * Three projects, run by scripts/test.mjs:
 *  unit        pure code, tests beside it (lib/**, agent/**, app/**)
 *  integration the database layer and services on a real database (PGlite or DATABASE_URL)
 *  api         HTTP against `next start` (and the agent executable against it)
 */
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["lib/**/*.test.ts", "agent/**/*.test.ts", "app/**/*.test.ts"], environment: "node" } },
      {
        resolve: { alias },
        test: { name: "integration", include: ["tests/integration/**/*.test.ts"], environment: "node", testTimeout: 60_000, hookTimeout: 120_000, fileParallelism: false },
      },
      {
        resolve: { alias },
        test: {
          name: "api",
          include: ["tests/api/**/*.test.ts", "tests/agent/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/helpers/global-server.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
