import type { Package } from "../../lib/protocol";

/**
 * Parsers for the package lists of each manager, in the formats `packageCommands` asks for.
 * Each returns packages with the manager's name set, so one host with two managers
 * (e.g. dpkg plus a stray rpm) keeps them apart.
 */

/** `dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n'`: only status "ii"-like rows are installed. */
export function parseDpkgQuery(text: string): Package[] {
  const packages: Package[] = [];
  for (const line of text.split("\n")) {
    const [status, name, version, arch] = line.split("\t");
    if (!name || !status || status[1] !== "i") continue;
    packages.push({ name, version: version ?? "", ...(arch ? { arch } : {}), manager: "dpkg" });
  }
  return packages;
}

/** `rpm -qa --qf '%{NAME}\t%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}\t%{ARCH}\n'`; gpg-pubkey entries have arch "(none)". */
export function parseRpmQuery(text: string): Package[] {
  const packages: Package[] = [];
  for (const line of text.split("\n")) {
    const [name, version, arch] = line.split("\t");
    if (!name) continue;
    packages.push({ name, version: version ?? "", ...(arch && arch !== "(none)" ? { arch } : {}), manager: "rpm" });
  }
  return packages;
}

/**
 * apk's installed database (/lib/apk/db/installed): blank-line separated records of
 * `X:value` lines; P is the name, V the version, A the architecture. Read directly because
 * `apk info` prints `name-version` joined by a hyphen that names also contain.
 */
export function parseApkInstalled(text: string): Package[] {
  const packages: Package[] = [];
  for (const record of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of record.split("\n")) if (line[1] === ":") fields.set(line[0]!, line.slice(2));
    const name = fields.get("P");
    if (!name) continue;
    const arch = fields.get("A");
    packages.push({ name, version: fields.get("V") ?? "", ...(arch ? { arch } : {}), manager: "apk" });
  }
  return packages;
}

/** `pacman -Q`: "name version" per line. */
export function parsePacmanQuery(text: string): Package[] {
  const packages: Package[] = [];
  for (const line of text.split("\n")) {
    const [name, version] = line.trim().split(/\s+/);
    if (name) packages.push({ name, version: version ?? "", manager: "pacman" });
  }
  return packages;
}

/** One canonical order so equal package sets hash equally whatever order a manager printed. */
export function sortPackages(packages: Package[]): Package[] {
  const key = (p: Package) => `${p.manager ?? ""}\0${p.name}\0${p.arch ?? ""}\0${p.version}`;
  return [...packages].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
