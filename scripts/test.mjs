#!/usr/bin/env node
/**
 * `npm test`: every suite, one summary line. Runs against PGlite, or against the PostgreSQL
 * server in DATABASE_URL (each run creates and drops its own databases there).
 *   typecheck, lint -> build -> vitest (unit, integration, api incl. the agent end-to-end) -> playwright (e2e)
 * Ends with `N passed, N failed` summed over all of them; exits non-zero on any failure.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureBuilt, root } from "./lib/build.mjs";

const bin = (name) => path.join(root, "node_modules", ".bin", name);
const target = process.env.DATABASE_URL ? `PostgreSQL (${new URL(process.env.DATABASE_URL).host})` : "PGlite";
// Each database's run writes its reports and browser results to folders of its own, so the
// PGlite and PostgreSQL runs can go side by side (.ci/run does).
const label = process.env.DATABASE_URL ? "postgres" : "pglite";
const out = path.join(root, ".tmp", label);
const results = path.join(root, "test-results", label);
fs.mkdirSync(out, { recursive: true });
console.log(`[test] database: ${target}`);

const totals = { passed: 0, failed: 0 };
const lines = [];

let stepStarted = Date.now();
function run(name, cmd, args, env = {}) {
  console.log(`\n[test] ${name}: ${[path.basename(cmd), ...args].join(" ")}`);
  stepStarted = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

/** Adds a suite's counts to the summary, with the seconds since its step began. */
function record(name, passed, failed) {
  totals.passed += passed;
  totals.failed += failed;
  const seconds = ((Date.now() - stepStarted) / 1000).toFixed(0).padStart(4);
  lines.push(`  ${name.padEnd(12)} ${passed} passed, ${failed} failed  (${seconds} s)`);
}

// 1. types, over the whole tree (the Next build checks only the app's own code)
const tsc = run("typecheck", bin("tsc"), ["--noEmit", "-p", ".", "--tsBuildInfoFile", path.join(out, "tsconfig.tsbuildinfo")]);
record("typecheck", tsc === 0 ? 1 : 0, tsc === 0 ? 0 : 1);

// 1b. lint, over the whole tree
const lint = run("lint", bin("eslint"), ["."]);
record("lint", lint === 0 ? 1 : 0, lint === 0 ? 0 : 1);

// 2. the production build the API and browser tests run against
stepStarted = Date.now();
const built = ensureBuilt({ quiet: false });
record("build", built ? 1 : 0, built ? 0 : 1);

// 3. vitest: unit, integration, api
const vitestJson = path.join(out, "vitest.json");
fs.rmSync(vitestJson, { force: true });
const projects = built ? ["unit", "integration", "api"] : ["unit", "integration"];
const vitest = run("vitest", bin("vitest"), ["run", ...projects.flatMap((p) => ["--project", p]), "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
if (fs.existsSync(vitestJson)) {
  const r = JSON.parse(fs.readFileSync(vitestJson, "utf8"));
  // A file that fails to load or a failing hook counts as a failure even with no failed test.
  const broken = vitest !== 0 && r.numFailedTests === 0 ? 1 : 0;
  record("vitest", r.numPassedTests, r.numFailedTests + broken);
} else record("vitest", 0, 1);

// 4. playwright, when the browser suite exists
if (fs.existsSync(path.join(root, "playwright.config.ts")) && built) {
  const pwJson = path.join(out, "playwright.json");
  fs.rmSync(pwJson, { force: true });
  const pw = run("e2e", bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson, IW_TEST_RESULTS: results });
  if (fs.existsSync(pwJson)) {
    const s = JSON.parse(fs.readFileSync(pwJson, "utf8")).stats ?? {};
    const failed = (s.unexpected ?? 0) + (pw !== 0 && !s.unexpected ? 1 : 0);
    record("e2e", (s.expected ?? 0) + (s.flaky ?? 0), failed);
  } else record("e2e", 0, 1);
}

console.log(`\n[test] ${target}\n${lines.join("\n")}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed ? 1 : 0);
