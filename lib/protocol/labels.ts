/**
 * The rules a host label must follow, shared by the agent (its `--label` flags and config file)
 * and the server (the telemetry batch, `PATCH /api/hosts/:id`, selectors). Plain code over
 * character codes: no RegExp, no zod, and work bounded by the constants before anything is
 * walked, so the agent bundles it without a schema library and hostile input stays cheap.
 */
import { MAX_LABEL_KEY_LENGTH, MAX_LABEL_VALUE_LENGTH, MAX_LABELS_PER_HOST } from "./constants";

export type Labels = Record<string, string>;

/** A label that breaks a rule: which key (or `""` for the whole set) and why. */
export type LabelProblem = { key: string; message: string };

const isLower = (c: number) => c >= 97 && c <= 122;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isPunct = (c: number) => c === 95 /* _ */ || c === 46 /* . */ || c === 45; /* - */

/** Characters a label key may hold: `a-z 0-9 _ . - /`. */
export const isLabelKeyChar = (c: number): boolean => isLower(c) || isDigit(c) || isPunct(c) || c === 47; /* / */
/** Characters a label value may hold: `A-Z a-z 0-9 _ . -`. */
export const isLabelValueChar = (c: number): boolean => isLower(c) || isUpper(c) || isDigit(c) || isPunct(c);

/** Why `key` is not a label key, or null when it is one. */
export function labelKeyProblem(key: string): string | null {
  if (key.length === 0) return "a label key must not be empty";
  if (key.length > MAX_LABEL_KEY_LENGTH) return `a label key has at most ${MAX_LABEL_KEY_LENGTH} characters`;
  for (let i = 0; i < key.length; i++) {
    if (!isLabelKeyChar(key.charCodeAt(i))) return "a label key holds only a-z, 0-9, _ . - and /";
  }
  const first = key.charCodeAt(0);
  const last = key.charCodeAt(key.length - 1);
  if (!(isLower(first) || isDigit(first)) || !(isLower(last) || isDigit(last))) return "a label key begins and ends with a-z or 0-9";
  return null;
}

/** Why `value` is not a label value, or null when it is one. The empty value is allowed (`gpu=`, as in Kubernetes). */
export function labelValueProblem(value: string): string | null {
  if (value.length > MAX_LABEL_VALUE_LENGTH) return `a label value has at most ${MAX_LABEL_VALUE_LENGTH} characters`;
  if (value.length === 0) return null;
  for (let i = 0; i < value.length; i++) {
    if (!isLabelValueChar(value.charCodeAt(i))) return "a label value holds only A-Z, a-z, 0-9, _ . and -";
  }
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  const alnum = (c: number) => isLower(c) || isUpper(c) || isDigit(c);
  if (!alnum(first) || !alnum(last)) return "a label value begins and ends with a letter or digit";
  return null;
}

/**
 * Checks a whole label set as it arrives (JSON of unknown shape): an object of at most
 * MAX_LABELS_PER_HOST string values, every key and value by the rules above. Stops counting
 * at the bound, so an object with a million keys costs no more than one with 33.
 */
export function labelSetProblems(value: unknown): LabelProblem[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [{ key: "", message: "labels must be an object of key: value strings" }];
  const keys: string[] = [];
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (keys.length === MAX_LABELS_PER_HOST) return [{ key: "", message: `at most ${MAX_LABELS_PER_HOST} labels per host` }];
    keys.push(key);
  }
  const problems: LabelProblem[] = [];
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) problems.push({ key, message: keyProblem });
    else if (typeof v !== "string") problems.push({ key, message: "a label value must be a string" });
    else {
      const valueProblem = labelValueProblem(v);
      if (valueProblem) problems.push({ key, message: valueProblem });
    }
  }
  return problems;
}

/**
 * `env=prod` -> `{key: "env", value: "prod"}`; a bare `gpu` is the label `gpu` with the empty
 * value. Used for the agent's `--label` flag and the install script's, so both take the same form.
 */
export function parseLabelArgument(text: string): { ok: true; key: string; value: string } | { ok: false; message: string } {
  const at = text.indexOf("=");
  const key = (at < 0 ? text : text.slice(0, at)).trim();
  const value = at < 0 ? "" : text.slice(at + 1).trim();
  const problem = labelKeyProblem(key) ?? labelValueProblem(value);
  if (problem) return { ok: false, message: `label "${text.slice(0, 140)}": ${problem}` };
  return { ok: true, key, value };
}

/** Labels in key order, as one line: `env=prod, gpu, team=db` (an empty value shows as the bare key). */
export function formatLabels(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => (labels[k] === "" ? k : `${k}=${labels[k]}`))
    .join(", ");
}
