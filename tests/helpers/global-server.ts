/** Vitest global setup for the `api` project: build once, start one server for all files. */
import type { TestProject } from "vitest/node";
import { startTestServer } from "./server";
// @ts-expect-error plain .mjs shared with scripts/start.mjs
import { ensureBuilt } from "../../scripts/lib/build.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminEmail: string;
    adminPassword: string;
    cronSecret: string;
    databaseUrl: string | undefined;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  // NEXT_DIST_DIR lets a developer test a build of their own beside another one in the same tree.
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!ensureBuilt({ quiet: true, distDir })) throw new Error("next build failed");
  const server = await startTestServer({ distDir });
  project.provide("baseUrl", server.baseUrl);
  project.provide("adminEmail", server.adminEmail);
  project.provide("adminPassword", server.adminPassword);
  project.provide("cronSecret", server.cronSecret);
  project.provide("databaseUrl", server.databaseUrl);
  project.provide("dataDir", server.dataDir);
  return async () => {
    await server.stop();
  };
}
