/**
 * Which environment values are secrets: by the key's name and by the value's shape. Pure and
 * linear in the input's length (no RegExp that can backtrack, none built from input), so a
 * hostile value cannot stall the agent or the server. Shared by both: the agent redacts before
 * sending, the server redacts again what an older agent let through. Imports nothing.
 */

/** A key part containing one of these is a secret: `DB_PASSWORD`, `SLACK_WEBHOOK_URL`, `GITHUBTOKEN`. */
const CONTAINS = ["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "CREDENTIAL", "PRIVATE", "WEBHOOK", "APIKEY", "ACCESSKEY", "KEY"];
/** A key part ending with one of these (or its plural) is a secret: `OAUTH`, `SENTRY_DSN`, `DBPASS`. */
const ENDS_WITH = ["AUTH", "DSN", "PASS", "COOKIE", "SALT", "AUTHORIZATION", "BEARER", "JWT"];
/** A part starting with this is a secret: `REDIS_PASS`, `SMTP_PASSWD`. */
const STARTS_WITH = ["PASS"];
/** Only after a prefix (`MYSQL_PWD`, `GITHUB_PAT`): bare `PWD` is the working directory. */
const SUFFIX_ONLY = ["PWD", "PAT"];
/** Harmless words the rules above would catch. */
const HARMLESS_PARTS = new Set(["TOKENIZERS", "KEYBOARD", "KEYBOARDS", "KEYMAP", "KEYMAPS", "KEYCODES", "BYPASS", "COMPASS", "PASSTHROUGH", "PASSIVE", "PASSENGER"]);

const isLowerOrDigit = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isUpper = (c: number) => c >= 65 && c <= 90;

/** `dbPassword` -> `DB`, `PASSWORD`; splits at `_ - .`, anything not a letter or digit, and camelCase. */
function keyParts(key: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i <= key.length; i++) {
    const c = i < key.length ? key.charCodeAt(i) : -1;
    const alnum = c >= 0 && (isLowerOrDigit(c) || isUpper(c));
    const camel = alnum && i > start && isUpper(c) && isLowerOrDigit(key.charCodeAt(i - 1));
    if (alnum && !camel) continue;
    if (i > start) parts.push(key.slice(start, i).toUpperCase());
    start = alnum ? i : i + 1;
  }
  return parts;
}

/** The shortest secret word (PAT, PWD, KEY, DSN, JWT): shorter parts are never secret. */
const SHORTEST_WORD = 3;

const endsWithWord = (part: string, word: string) => part.endsWith(word) || part.endsWith(`${word}S`);

/**
 * Whether an env key names a secret. Case-insensitive, by word part. Hiding a harmless value
 * costs a little visibility (a change is still shown); missing a secret leaks it.
 */
export function isSecretKey(key: string): boolean {
  const parts = keyParts(key);
  return parts.some((part, i) => {
    if (part.length < SHORTEST_WORD || HARMLESS_PARTS.has(part)) return false;
    if (CONTAINS.some((word) => part.includes(word))) return true;
    if (ENDS_WITH.some((word) => endsWithWord(part, word))) return true;
    if (STARTS_WITH.some((word) => part.startsWith(word))) return true;
    return i > 0 && SUFFIX_ONLY.some((word) => part === word || part === `${word}S`);
  });
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";

/** `scheme://user:password@host` anywhere in the value; each authority is scanned once (it ends at the next `/`). */
export function hasUrlPassword(value: string): boolean {
  let from = 0;
  for (;;) {
    const at = value.indexOf("://", from);
    if (at < 0) return false;
    let colon = -1;
    let i = at + 3;
    for (; i < value.length; i++) {
      const c = value[i]!;
      if (c === "/" || c === "?" || c === "#" || isSpace(c)) break;
      if (c === ":" && colon < 0) colon = i;
      else if (c === "@") {
        if (colon > at + 3 - 1 && colon < i - 1) return true;
        break;
      }
    }
    // The scan stopped at the next "/" at the latest, so the next "://" is at most two characters back.
    from = at + 3;
  }
}

const isParamChar = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_" || c === "-" || c === ".";

/**
 * `name=value` pairs whose name is a secret key: `?password=…`, `&access_token=…`,
 * `--db-password=…`. Names between two `=` never overlap, so the backward scans add up to one pass.
 */
export function hasSecretAssignment(value: string): boolean {
  for (let eq = value.indexOf("="); eq >= 0; eq = value.indexOf("=", eq + 1)) {
    let start = eq;
    while (start > 0 && isParamChar(value[start - 1]!)) start--;
    const next = value[eq + 1];
    if (eq - start >= SHORTEST_WORD && next !== undefined && next !== "&" && !isSpace(next) && isSecretKey(value.slice(start, eq))) return true;
  }
  return false;
}

/** A PEM private key block (RSA, EC, OPENSSH, ENCRYPTED, plain PKCS#8). */
export function hasPrivateKeyBlock(value: string): boolean {
  const begin = value.indexOf("-----BEGIN ");
  return begin >= 0 && value.indexOf("PRIVATE KEY-----", begin) >= 0;
}

/** Prefixes of well-known issued tokens (GitHub, GitLab, Slack, npm, Stripe/OpenAI, AWS key ids). */
const TOKEN_PREFIXES = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxs-", "xapp-", "npm_", "sk_live_", "rk_live_", "sk-", "AKIA", "ASIA"];

const isTokenChar = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_" || c === "-" || c === "+" || c === "=" || c === "/" || c === ".";

/** Bits per character of a run: random base64 is near 6, English words and paths well below 4. */
function entropy(run: string): number {
  const counts = new Map<string, number>();
  for (const c of run) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / run.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Runs this long or longer, with upper and lower case letters and digits and high entropy, look issued, not typed. */
export const MIN_TOKEN_LENGTH = 32;

function looksLikeToken(run: string): boolean {
  if (run.length >= 20 && TOKEN_PREFIXES.some((p) => run.startsWith(p))) return true;
  // A JWT: three base64url segments, the first an encoded JSON header.
  if (run.startsWith("eyJ") && run.split(".").length === 3 && run.length >= 40) return true;
  if (run.length < MIN_TOKEN_LENGTH) return false;
  // Paths and dotted names are not tokens even when long.
  if (run.includes("/") && run.split("/").every((seg) => seg.length < MIN_TOKEN_LENGTH)) return false;
  let upper = false;
  let lower = false;
  let digit = false;
  for (const c of run) {
    if (c >= "A" && c <= "Z") upper = true;
    else if (c >= "a" && c <= "z") lower = true;
    else if (c >= "0" && c <= "9") digit = true;
  }
  return upper && lower && digit && entropy(run) >= 4;
}

/** A long random-looking token anywhere in the value (split at anything that cannot be in one). */
export function hasHighEntropyToken(value: string): boolean {
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i < value.length && isTokenChar(value[i]!)) continue;
    if (i - start >= 20 && looksLikeToken(value.slice(start, i))) return true;
    start = i + 1;
  }
  return false;
}

/** Whether a value is a secret whatever its key: credentials in URLs or parameters, private keys, issued tokens. */
export function isSecretValue(value: string): boolean {
  return hasUrlPassword(value) || hasSecretAssignment(value) || hasPrivateKeyBlock(value) || hasHighEntropyToken(value);
}

/** The agent's keyed hashes start with this (see constants.ts); they are not redacted again. */
export function needsRedaction(key: string, value: string, redactedPrefix: string): boolean {
  return !value.startsWith(redactedPrefix) && (isSecretKey(key) || isSecretValue(value));
}

/** What stands in for a secret inside a command line or a cron command (which, unlike env values, are not hashed). */
export const REDACTED_MARK = "[redacted]";

/** `https://user:secret@host` -> `https://user:[redacted]@host`, each authority scanned once. */
function redactUrlPasswords(value: string): string {
  let out = "";
  let copied = 0;
  for (let at = value.indexOf("://"); at >= 0; at = value.indexOf("://", at + 3)) {
    let colon = -1;
    for (let i = at + 3; i < value.length; i++) {
      const c = value[i]!;
      if (c === "/" || c === "?" || c === "#" || isSpace(c)) break;
      if (c === ":" && colon < 0) colon = i;
      else if (c === "@") {
        if (colon >= at + 3 && colon < i - 1) {
          out += value.slice(copied, colon + 1) + REDACTED_MARK;
          copied = i;
        }
        break;
      }
    }
  }
  return copied === 0 ? value : out + value.slice(copied);
}

/** Where a `name=value` value ends: at a space, `&` (query strings) or `;`. */
const endsValue = (c: string) => isSpace(c) || c === "&" || c === ";";

/** `password=x`, `?access_token=x`, `--db-password=x`: the value of a secret-named assignment becomes the mark. */
function redactSecretAssignments(value: string): string {
  let out = "";
  let copied = 0;
  for (let eq = value.indexOf("="); eq >= 0; eq = value.indexOf("=", eq + 1)) {
    if (eq < copied) continue;
    let start = eq;
    while (start > 0 && isParamChar(value[start - 1]!)) start--;
    const next = value[eq + 1];
    if (eq - start < SHORTEST_WORD || next === undefined || endsValue(next) || !isSecretKey(value.slice(start, eq))) continue;
    let end = eq + 1;
    while (end < value.length && !endsValue(value[end]!)) end++;
    out += value.slice(copied, eq + 1) + REDACTED_MARK;
    copied = end;
    eq = end - 1;
  }
  return copied === 0 ? value : out + value.slice(copied);
}

/** Issued tokens (prefixes, JWTs, long high-entropy runs) become the mark; in `name=token` only the token does. */
function redactTokens(value: string): string {
  let out = "";
  let copied = 0;
  let start = 0;
  for (let i = 0; i <= value.length; i++) {
    if (i < value.length && isTokenChar(value[i]!)) continue;
    if (i - start >= 20) {
      const run = value.slice(start, i);
      // Base64 padding ends a token with "="; an "=" before that separates a name from its value
      // (the last one: in `root=UUID=…` the value is the UUID).
      let unpadded = run.length;
      while (unpadded > 0 && run[unpadded - 1] === "=") unpadded--;
      const valueAt = run.lastIndexOf("=", unpadded - 1) + 1;
      if (looksLikeToken(run.slice(valueAt))) {
        out += value.slice(copied, start + valueAt) + REDACTED_MARK;
        copied = i;
      } else if (valueAt === 0 && looksLikeToken(run)) {
        out += value.slice(copied, start) + REDACTED_MARK;
        copied = i;
      }
    }
    start = i + 1;
  }
  return copied === 0 ? value : out + value.slice(copied);
}

/**
 * Secrets inside free text replaced by REDACTED_MARK: passwords in URLs, values of secret-named
 * `name=value` pairs, issued tokens and private key blocks (the env rules, isSecretValue). Each
 * pass is linear in the text's length.
 */
export function redactSecrets(value: string): string {
  if (hasPrivateKeyBlock(value)) return REDACTED_MARK;
  return redactTokens(redactSecretAssignments(redactUrlPasswords(value)));
}

/** Programs whose `-pSECRET` (attached) is a password, not a port or a path. */
const ATTACHED_PASSWORD_PROGRAMS = ["mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlcheck", "mariadb", "mariadb-dump", "mariadb-admin", "sshpass"];

/** Port specs a `-p` takes in many tools (`-p 8080`, `-p 127.0.0.1:8080:80`, `-p 53/udp`): not secrets. */
const looksLikePortSpec = (value: string) => value.length > 0 && [...value].every((c) => (c >= "0" && c <= "9") || c === ":" || c === "." || c === "/" || c === "-" || c === "[" || c === "]");

const baseName = (file: string) => file.slice(file.lastIndexOf("/") + 1);

/**
 * A process's argv as one redacted line: `--password=x` and `--password x` (any flag whose name
 * is a secret key, isSecretKey), `-p secret` (but not `-p 8080`), `-pSECRET` for the MySQL and
 * sshpass family, then redactSecrets on every argument (URLs, `key=value`, tokens).
 */
export function redactCommandLine(argv: readonly string[]): string {
  const program = argv.length > 0 ? baseName(argv[0]!) : "";
  const attachedPassword = ATTACHED_PASSWORD_PROGRAMS.includes(program);
  const out: string[] = [];
  // The flag before this argument, when its value may be a secret: a secret-named flag, or `-p`.
  let pending: "secretFlag" | "dashP" | undefined;
  for (const arg of argv) {
    const flagValue = pending && !arg.startsWith("-") ? pending : undefined;
    pending = undefined;
    if (flagValue === "secretFlag" || (flagValue === "dashP" && !looksLikePortSpec(arg))) {
      out.push(REDACTED_MARK);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      const dashes = arg.startsWith("--") ? 2 : 1;
      const eq = arg.indexOf("=");
      const name = arg.slice(dashes, eq < 0 ? undefined : eq);
      if (eq > dashes && eq < arg.length - 1 && isSecretKey(name)) {
        out.push(`${arg.slice(0, eq + 1)}${REDACTED_MARK}`);
        continue;
      }
      if (dashes === 1 && attachedPassword && arg.startsWith("-p") && arg.length > 2) {
        out.push(`-p${REDACTED_MARK}`);
        continue;
      }
      if (eq < 0 && (arg === "-p" || isSecretKey(name))) {
        pending = arg === "-p" ? "dashP" : "secretFlag";
        out.push(arg);
        continue;
      }
    }
    out.push(redactSecrets(arg));
  }
  return out.join(" ");
}
