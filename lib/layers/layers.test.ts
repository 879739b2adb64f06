import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseImports, readTree, type SourceFile } from "./imports";
import { PARTS, importCycles, layerViolations, partOf } from "./rules";

const root = path.resolve(import.meta.dirname, "../..");
const tree = readTree(root, ["lib", "app", "agent", "instrumentation.ts"]);
const show = (v: ReturnType<typeof layerViolations>) => v.map((x) => `${x.edge.from} -> ${x.edge.to}: ${x.reason}`);

describe("the tree's imports point one way", () => {
  it("reads the tree (the check is not vacuous)", () => {
    expect(tree.length).toBeGreaterThan(200);
    expect(tree.flatMap((f) => f.imports).length).toBeGreaterThan(500);
  });

  it("has no import against the layer table (lib/layers/rules.ts, docs/architecture.md)", () => {
    expect(show(layerViolations(tree))).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(importCycles(tree)).toEqual([]);
  });
});

/** A one-file tree whose file imports `to`, as the parser sees it. */
const oneImport = (from: string, line: string): SourceFile[] => [parseImports(root, from, line)];

describe("the layer check", () => {
  it("refuses a read that imports a write", () => {
    const v = layerViolations(oneImport("lib/queries/hosts.ts", 'import { deleteHost } from "@/lib/services/hosts";'));
    expect(show(v)).toEqual(["lib/queries/hosts.ts -> lib/services/hosts.ts: queries must not import services"]);
  });

  it("refuses queries, services and auth importing the HTTP layer", () => {
    for (const from of ["lib/queries/alerts.ts", "lib/services/users.ts", "lib/auth/guard.ts"]) {
      expect(layerViolations(oneImport(from, 'import { json } from "@/lib/http";'))).toHaveLength(1);
    }
  });

  it("refuses auth importing a service (the next-auth options live beside their route)", () => {
    expect(layerViolations(oneImport("lib/auth/session.ts", 'import { authenticatePassword } from "@/lib/services/auth";'))).toHaveLength(1);
  });

  it("allows a write that needs a read", () => {
    expect(layerViolations(oneImport("lib/services/users.ts", 'import { publicUser } from "@/lib/queries/users";'))).toEqual([]);
  });

  it("lets the client share the queries' types but not their code", () => {
    expect(layerViolations(oneImport("lib/client/types.ts", 'import type { HostSummary } from "@/lib/queries/hosts";'))).toEqual([]);
    expect(layerViolations(oneImport("lib/client/types.ts", 'export type { HostSummary } from "@/lib/queries/hosts";'))).toEqual([]);
    expect(layerViolations(oneImport("lib/client/types.ts", 'type M = import("@/lib/queries/metrics").MetricPoint;'))).toEqual([]);
    expect(show(layerViolations(oneImport("lib/client/hosts.ts", 'import { listHosts } from "@/lib/queries/hosts";')))).toEqual([
      "lib/client/hosts.ts -> lib/queries/hosts.ts: client must not import queries except as a type",
    ]);
  });

  it("refuses a client component importing server code at run time, even from a page folder", () => {
    const v = layerViolations(oneImport("app/(dashboard)/_components/X.tsx", '"use client";\nimport { listHosts } from "@/lib/queries/hosts";'));
    expect(show(v)).toEqual(["app/(dashboard)/_components/X.tsx -> lib/queries/hosts.ts: a client component imports server code (queries) at run time"]);
    expect(layerViolations(oneImport("app/(dashboard)/page.tsx", 'import { listHosts } from "@/lib/queries/hosts";'))).toEqual([]);
  });

  it("keeps the agent to lib/protocol", () => {
    expect(layerViolations(oneImport("agent/main.ts", 'import { env } from "../lib/env";'))).toHaveLength(1);
    expect(layerViolations(oneImport("agent/main.ts", 'import { BODY_LIMITS } from "../lib/protocol";'))).toEqual([]);
  });

  it("names a file that belongs to no part", () => {
    expect(partOf("lib/new-thing.ts")).toBeUndefined();
    expect(show(layerViolations(oneImport("lib/new-thing.ts", 'import { z } from "@/lib/protocol";')))).toEqual(["lib/new-thing.ts -> lib/protocol/index.ts: lib/new-thing.ts is in no part: add it to lib/layers/rules.ts"]);
  });

  it("finds a cycle, type imports included", () => {
    const files: SourceFile[] = [
      { file: "a.ts", clientComponent: false, imports: [{ from: "a.ts", to: "b.ts", typeOnly: false }] },
      { file: "b.ts", clientComponent: false, imports: [{ from: "b.ts", to: "c.ts", typeOnly: false }] },
      { file: "c.ts", clientComponent: false, imports: [{ from: "c.ts", to: "a.ts", typeOnly: true }] },
      { file: "d.ts", clientComponent: false, imports: [{ from: "d.ts", to: "a.ts", typeOnly: false }] },
    ];
    expect(importCycles(files)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("puts every part it names in the table", () => {
    const names = new Set(PARTS.map((p) => p.name));
    for (const p of PARTS) for (const t of [...p.may, ...(p.mayType ?? [])]) expect(names.has(t), `${p.name} names ${t}`).toBe(true);
  });
});
