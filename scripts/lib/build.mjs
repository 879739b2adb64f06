/** Shared by `npm start` and the test setup: build the Next app only when its sources changed. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..", "..");
export const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const SOURCES = ["app", "lib", "public", "drizzle", "instrumentation.ts", "next.config.ts", "package-lock.json", "tsconfig.json"];

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === "node_modules" || entry.startsWith(".") || entry.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

export function needsBuild(distDir = ".next") {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/** Builds when needed; returns false when the build failed. */
export function ensureBuilt({ distDir = ".next", quiet = false } = {}) {
  if (!needsBuild(distDir)) return true;
  if (!quiet) console.log("[infra-watch] building the application (first start or changed sources)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: quiet ? "pipe" : "inherit",
    env: { ...process.env, NEXT_DIST_DIR: distDir },
    encoding: "utf8",
  });
  if (build.status !== 0 && quiet) process.stderr.write(`${build.stdout}\n${build.stderr}`);
  return build.status === 0;
}
