import type { Package } from "@/lib/client/types";

/** Rows the packages table draws at most: a host can have thousands and the search narrows them. */
export const PACKAGES_SHOWN = 500;

/**
 * Packages whose name or version contains the search (case-insensitive, literal), by name, the
 * first `shown` of them, with how many there are and how many matched.
 */
export function searchPackages(all: readonly Package[], query: string, shown = PACKAGES_SHOWN): { total: number; hits: number; rows: Package[] } {
  const needle = query.trim().toLowerCase();
  const hits = needle ? all.filter((p) => p.name.toLowerCase().includes(needle) || p.version.toLowerCase().includes(needle)) : [...all];
  return { total: all.length, hits: hits.length, rows: hits.sort((a, b) => a.name.localeCompare(b.name)).slice(0, shown) };
}

/** The line beside the search: how many of how many, or that the list was cut. */
export function packagesNote(p: { total: number; hits: number }, shown = PACKAGES_SHOWN): string {
  return p.hits > shown ? `showing ${shown} of ${p.hits} matches — refine the search` : `${p.hits} of ${p.total}`;
}

/** A row key that tells apart one name installed for two architectures or by two managers. */
export const packageKey = (p: Package) => `${p.name}/${p.arch ?? ""}/${p.manager ?? ""}`;

/** The environment as [name, value] rows by name. */
export const sortedEnv = (env: Record<string, string>): [string, string][] => Object.entries(env).sort(([a], [b]) => a.localeCompare(b));
