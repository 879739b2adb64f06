import type { LocalGroup, LocalUser } from "../../lib/protocol";
import { MAX_GROUP_MEMBERS, MAX_GROUPS, MAX_NAME_CHARS, MAX_PATH_CHARS, MAX_USERS } from "../../lib/protocol/constants";

const MAX_ID = 4_294_967_295;

function parseId(text: string | undefined): number | undefined {
  if (text === undefined || text === "" || text.length > 10) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n <= MAX_ID ? n : undefined;
}

/** Lines of a colon file, without comments, blanks and NIS `+`/`-` inclusions; bounded by `max`. */
function* records(text: string, max: number): Generator<string[]> {
  let n = 0;
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) continue;
    if (++n > max) return;
    yield line.split(":");
  }
}

const validName = (name: string | undefined): name is string => !!name && name.length <= MAX_NAME_CHARS && !name.includes("\u0000");

/**
 * /etc/passwd: name:x:uid:gid:gecos:home:shell. The password field is never read (it is `x`
 * on every modern system; the hashes live in /etc/shadow, which the agent never opens).
 */
export function parsePasswd(text: string): LocalUser[] {
  const users: LocalUser[] = [];
  for (const [name, , uid, gid, , home, shell] of records(text, MAX_USERS)) {
    const u = parseId(uid);
    const g = parseId(gid);
    if (!validName(name) || u === undefined || g === undefined) continue;
    users.push({
      name,
      uid: u,
      gid: g,
      ...(shell && shell.length <= MAX_PATH_CHARS ? { shell: shell.trim() } : {}),
      ...(home && home.length <= MAX_PATH_CHARS ? { home } : {}),
    });
  }
  return users;
}

/** /etc/group: name:x:gid:member,member. */
export function parseGroup(text: string): LocalGroup[] {
  const groups: LocalGroup[] = [];
  for (const [name, , gid, members = ""] of records(text, MAX_GROUPS)) {
    const g = parseId(gid);
    if (!validName(name) || g === undefined) continue;
    const list = members.trim() === "" ? [] : members.trim().split(",").filter(validName).slice(0, MAX_GROUP_MEMBERS);
    groups.push({ name, gid: g, members: [...new Set(list)].sort() });
  }
  return groups;
}
