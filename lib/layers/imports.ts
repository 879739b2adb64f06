/**
 * The project's own import graph, read with the TypeScript parser (no type checking): every
 * `import`, `export … from`, `import("…")` call and `import("…")` type of each source file,
 * resolved to a file of the tree, and whether it is only a type (erased from the build).
 * Development tooling for the layer check; nothing of the app imports it.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export type ImportEdge = { from: string; to: string; typeOnly: boolean };
export type SourceFile = { file: string; clientComponent: boolean; imports: ImportEdge[] };

const SOURCE = /\.(ts|tsx|mts)$/;
const SKIP_DIRS = new Set(["node_modules", ".next", "fixtures", "dist", "data"]);

/** Source files under `dirs` (relative to `root`), tests excluded: they may reach anywhere. */
export function listSources(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(rel);
      } else if (SOURCE.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
    }
  };
  for (const d of dirs) {
    const full = path.join(root, d);
    if (!existsSync(full)) continue;
    if (statSync(full).isDirectory()) walk(d);
    else out.push(d);
  }
  return out.sort();
}

/** `@/x` and relative specifiers as a file of the tree; packages and unknown paths give null. */
export function resolveSpecifier(root: string, from: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    const full = path.join(root, candidate);
    if (existsSync(full) && statSync(full).isFile()) return candidate;
  }
  return base.endsWith(".json") || base.endsWith(".mjs") ? base : null;
}

/** The imports of one file's text. `file` is its path relative to `root`. */
export function parseImports(root: string, file: string, text: string): SourceFile {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const imports: ImportEdge[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const to = resolveSpecifier(root, file, specifier.text);
    if (to) imports.push({ from: file, to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly = Boolean(clause && (clause.isTypeOnly || (!clause.name && named && named.length > 0 && named.every((e) => e.isTypeOnly))));
      add(node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier, node.isTypeOnly || Boolean(named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal as ts.Expression, true);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const first = source.statements[0];
  const clientComponent = Boolean(first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === "use client");
  return { file, clientComponent, imports };
}

export function readTree(root: string, dirs: readonly string[]): SourceFile[] {
  return listSources(root, dirs).map((file) => parseImports(root, file, readFileSync(path.join(root, file), "utf8")));
}
