/**
 * Which part of the system may import which (docs/architecture.md draws the same picture).
 * A file belongs to the first part whose prefix it starts with. An import from one part to
 * another is allowed when the target is in `may`, or in `mayType` and the import is type-only
 * (erased from the build: the shape is shared, the code is not).
 */
import type { ImportEdge, SourceFile } from "./imports";

export type Part = {
  name: string;
  prefixes: readonly string[];
  may: readonly string[];
  mayType?: readonly string[];
};

/** Pure domain code: plain functions and types, no database, no HTTP, no settings. */
const CORE = ["core", "protocol", "errors"];

export const PARTS: readonly Part[] = [
  { name: "protocol", prefixes: ["lib/protocol/"], may: [] },
  { name: "errors", prefixes: ["lib/errors.ts", "lib/ids.ts", "lib/wire.ts"], may: [] },
  { name: "tooling", prefixes: ["lib/layers/"], may: [] },
  {
    name: "core",
    prefixes: ["lib/alerts/", "lib/snapshots/", "lib/metrics/", "lib/net/", "lib/hosts/", "lib/format/", "lib/export/", "lib/prometheus/", "lib/sso/", "lib/health.ts", "lib/version.ts", "package.json"],
    may: CORE,
  },
  { name: "env", prefixes: ["lib/env.ts"], may: CORE },
  { name: "db", prefixes: ["lib/db/"], may: [...CORE, "env"] },
  // The agent executables this server ships, their release statements and the signing key (files in the build and data dir).
  { name: "releases", prefixes: ["lib/agent-release/"], may: [...CORE, "env"] },
  // Reads: never a write, never HTTP, never who is asking (the caller checked that).
  { name: "queries", prefixes: ["lib/queries/"], may: [...CORE, "db"] },
  // The page guard resolves the app context, as the route wrapper does; it is a shell, not auth.
  { name: "shell", prefixes: ["lib/auth/page.ts", "lib/context.ts", "lib/cluster.ts", "lib/startup.ts", "lib/jobs.ts", "lib/local-agent.ts", "instrumentation.ts"], may: [...CORE, "env", "db", "auth", "queries", "services"] },
  // Credentials and permissions: reads users and tokens itself, takes the context as a type.
  { name: "auth", prefixes: ["lib/auth/"], may: [...CORE, "env", "db"], mayType: ["shell"] },
  // Writes: may read (a write that needs a read), never HTTP.
  { name: "services", prefixes: ["lib/services/"], may: [...CORE, "db", "queries", "auth"], mayType: ["shell"] },
  // Request parsing, the route wrapper and the one place failures become HTTP. The wrapper
  // records an agent's protocol refusal on its host (a service) before it refuses.
  { name: "http", prefixes: ["lib/http/"], may: [...CORE, "db", "auth", "shell", "services"] },
  // The browser's side: fetch hooks and the shapes they carry, derived from the queries' types.
  { name: "client", prefixes: ["lib/client/"], may: CORE, mayType: ["queries", "services", "db"] },
  // The OpenAPI document, generated from the schemas the routes validate and answer with.
  { name: "openapi", prefixes: ["lib/openapi/"], may: [...CORE, "queries", "services", "auth"] },
  { name: "routes", prefixes: ["app/api/"], may: [...CORE, "http", "services", "queries", "auth", "shell", "releases", "openapi"] },
  { name: "pages", prefixes: ["app/"], may: [...CORE, "queries", "auth", "shell", "client"], mayType: ["services", "db"] },
  { name: "agent", prefixes: ["agent/"], may: ["protocol"] },
];

/** Parts whose code runs in the browser when imported by a client component. */
const SERVER_ONLY = new Set(["db", "queries", "services", "auth", "http", "shell", "env", "routes", "releases", "openapi"]);

export function partOf(file: string, parts: readonly Part[] = PARTS): Part | undefined {
  return parts.find((p) => p.prefixes.some((prefix) => file === prefix || file.startsWith(prefix)));
}

export type Violation = { edge: ImportEdge; reason: string };

function edgeViolation(edge: ImportEdge, clientComponent: boolean, parts: readonly Part[]): string | null {
  const from = partOf(edge.from, parts);
  const to = partOf(edge.to, parts);
  if (!from) return `${edge.from} is in no part: add it to lib/layers/rules.ts`;
  if (!to) return `${edge.to} is in no part: add it to lib/layers/rules.ts`;
  if (clientComponent && !edge.typeOnly && SERVER_ONLY.has(to.name)) return `a client component imports server code (${to.name}) at run time`;
  if (from === to) return null;
  if (from.may.includes(to.name)) return null;
  if (edge.typeOnly && from.mayType?.includes(to.name)) return null;
  return `${from.name} must not import ${to.name}${from.mayType?.includes(to.name) ? " except as a type" : ""}`;
}

/** Every import that points the wrong way. */
export function layerViolations(files: readonly SourceFile[], parts: readonly Part[] = PARTS): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    for (const edge of f.imports) {
      const reason = edgeViolation(edge, f.clientComponent, parts);
      if (reason) out.push({ edge, reason });
    }
  }
  return out;
}

/**
 * Import cycles among the given files, each as the files around the loop. Type imports count:
 * a type cycle is still two files that cannot be read or moved one without the other. Found
 * as Tarjan's strongly connected components (linear in the edges).
 */
export function importCycles(files: readonly SourceFile[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const f of files) graph.set(f.file, f.imports.map((e) => e.to));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return cycles;
}
