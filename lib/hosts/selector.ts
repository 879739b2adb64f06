/**
 * Label selectors, Prometheus/Kubernetes style: `env=prod,role!=db,team in (a,b),team notin (c),gpu,!gpu`.
 * Terms are joined by commas and all must hold. `=` and `==` are equality, `!=` inequality (it
 * also holds when the key is absent), `in (…)` and `notin (…)` set membership (`notin` also holds
 * when the key is absent), a bare key requires the label to exist and `!key` requires it absent.
 *
 * One hand-written scanner over character codes: no RegExp, input bounded before it is walked,
 * and a mistake is an `invalid` AppError naming the 1-based character position and what was
 * expected there. Keys and values follow the label rules in lib/protocol/labels.ts, so a selector
 * can name every label a host can carry and nothing else.
 */
import { z } from "zod";
import { badRequest } from "../errors";
import { isLabelKeyChar, isLabelValueChar, labelKeyProblem, labelValueProblem, type Labels } from "../protocol/labels";

export const MAX_SELECTOR_LENGTH = 1024;
export const MAX_SELECTOR_TERMS = 32;
/** Values in one `in (…)` or `notin (…)`. */
export const MAX_SELECTOR_SET_VALUES = 64;

export type SelectorTerm =
  | { op: "eq" | "neq"; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "notExists"; key: string };

export type Selector = { terms: SelectorTerm[] };

/** Where and why a selector does not parse; `position` is 1-based. */
export class SelectorSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly expected: string,
  ) {
    super(`invalid selector at position ${position}: ${expected}`);
  }
}

// Typed as number: TypeScript would otherwise narrow `this.code` to one literal after a comparison.
const SPACE: number = 32;
const TAB: number = 9;
const COMMA: number = 44;
const BANG: number = 33;
const EQUALS: number = 61;
const OPEN: number = 40;
const CLOSE: number = 41;
const isUpper = (c: number) => c >= 65 && c <= 90;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  get code(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }
  at(offset: number): number {
    const i = this.pos + offset;
    return i < this.text.length ? this.text.charCodeAt(i) : -1;
  }
  skipSpace(): void {
    while (this.code === SPACE || this.code === TAB) this.pos++;
  }
  fail(expected: string, at = this.pos): never {
    throw new SelectorSyntaxError(at + 1, expected);
  }

  key(): string {
    const start = this.pos;
    while (isLabelKeyChar(this.code)) this.pos++;
    if (this.pos === start) {
      if (isUpper(this.code)) this.fail("label keys are lowercase (a-z, 0-9, _ . - /)");
      this.fail(this.done ? "expected a label key, found the end of the selector" : `expected a label key, found "${this.text[this.pos]}"`);
    }
    if (isUpper(this.code)) this.fail("label keys are lowercase (a-z, 0-9, _ . - /)");
    const key = this.text.slice(start, this.pos);
    const problem = labelKeyProblem(key);
    if (problem) this.fail(problem, start);
    return key;
  }

  value(allowEmpty: boolean): string {
    const start = this.pos;
    while (isLabelValueChar(this.code)) this.pos++;
    const value = this.text.slice(start, this.pos);
    if (value === "" && !allowEmpty) {
      this.fail(this.done ? "expected a label value, found the end of the selector" : `expected a label value, found "${this.text[this.pos]}"`);
    }
    const problem = labelValueProblem(value);
    if (problem) this.fail(problem, start);
    return value;
  }

  /** The word `in` or `notin` as an operator: followed by a space, `(` or the end (where "(" is then missing). */
  word(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    const after = this.at(word.length);
    if (after !== SPACE && after !== TAB && after !== OPEN && after !== -1) return false;
    this.pos += word.length;
    return true;
  }

  set(): string[] {
    this.skipSpace();
    if (this.code !== OPEN) this.fail('expected "(" to open the set of values');
    this.pos++;
    const values: string[] = [];
    for (;;) {
      this.skipSpace();
      const start = this.pos;
      values.push(this.value(false));
      if (values.length > MAX_SELECTOR_SET_VALUES) this.fail(`at most ${MAX_SELECTOR_SET_VALUES} values in a set`, start);
      this.skipSpace();
      if (this.code === CLOSE) {
        this.pos++;
        return values;
      }
      if (this.code !== COMMA) this.fail(this.done ? 'expected "," or ")", found the end of the selector' : 'expected "," or ")" after a value');
      this.pos++;
    }
  }

  term(): SelectorTerm {
    if (this.code === BANG && this.at(1) !== EQUALS) {
      this.pos++;
      this.skipSpace();
      return { op: "notExists", key: this.key() };
    }
    const key = this.key();
    this.skipSpace();
    if (this.code === EQUALS) {
      this.pos += this.at(1) === EQUALS ? 2 : 1;
      this.skipSpace();
      return { op: "eq", key, value: this.value(true) };
    }
    if (this.code === BANG && this.at(1) === EQUALS) {
      this.pos += 2;
      this.skipSpace();
      return { op: "neq", key, value: this.value(true) };
    }
    if (this.word("in")) return { op: "in", key, values: this.set() };
    if (this.word("notin")) return { op: "notin", key, values: this.set() };
    if (!this.done && this.code !== COMMA) this.fail('expected "=", "!=", "in", "notin", "," or the end of the selector');
    return { op: "exists", key };
  }
}

/** Parses a selector, or throws SelectorSyntaxError. The empty selector is refused: say what to match. */
export function parseSelectorSyntax(text: string): Selector {
  if (text.length > MAX_SELECTOR_LENGTH) throw new SelectorSyntaxError(MAX_SELECTOR_LENGTH + 1, `a selector has at most ${MAX_SELECTOR_LENGTH} characters`);
  const s = new Scanner(text);
  const terms: SelectorTerm[] = [];
  s.skipSpace();
  for (;;) {
    const start = s.pos;
    terms.push(s.term());
    if (terms.length > MAX_SELECTOR_TERMS) s.fail(`a selector has at most ${MAX_SELECTOR_TERMS} terms`, start);
    s.skipSpace();
    if (s.done) return { terms };
    if (s.code !== COMMA) s.fail('expected "," or the end of the selector');
    s.pos++;
    s.skipSpace();
  }
}

/**
 * Parses a selector; a mistake is an `invalid` AppError whose message and issue (at `path`)
 * name the 1-based position, as the API answers it (400).
 */
export function parseSelector(text: string, path = "selector"): Selector {
  try {
    return parseSelectorSyntax(text);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw badRequest(error.message, [{ path, message: error.message }]);
    throw error;
  }
}

const has = (labels: Labels, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

function termMatches(term: SelectorTerm, labels: Labels): boolean {
  const present = has(labels, term.key);
  switch (term.op) {
    case "eq":
      return present && labels[term.key] === term.value;
    case "neq":
      return !present || labels[term.key] !== term.value;
    case "in":
      return present && term.values.includes(labels[term.key]!);
    case "notin":
      return !present || !term.values.includes(labels[term.key]!);
    case "exists":
      return present;
    case "notExists":
      return !present;
  }
}

/** Whether a host with these labels is selected: every term holds. */
export function matches(selector: Selector, labels: Labels): boolean {
  return selector.terms.every((t) => termMatches(t, labels));
}

/** The selector in its one canonical spelling (`=` for `==`, `, ` between terms), for storing and showing. */
export function formatSelector(selector: Selector): string {
  return selector.terms
    .map((t) => {
      switch (t.op) {
        case "eq":
          return `${t.key}=${t.value}`;
        case "neq":
          return `${t.key}!=${t.value}`;
        case "in":
          return `${t.key} in (${t.values.join(",")})`;
        case "notin":
          return `${t.key} notin (${t.values.join(",")})`;
        case "exists":
          return t.key;
        case "notExists":
          return `!${t.key}`;
      }
    })
    .join(",");
}

/**
 * A selector string in a request body or query: valid by the grammar above, with the position
 * in the issue's message. The output is the string as given (parse it with parseSelector where
 * it is used; parsing is linear and bounded).
 */
export const SelectorSchema = z
  .string({ message: "a selector must be a string" })
  .max(MAX_SELECTOR_LENGTH, { message: `a selector has at most ${MAX_SELECTOR_LENGTH} characters` })
  .superRefine((text, ctx) => {
    try {
      parseSelectorSyntax(text);
    } catch (error) {
      if (!(error instanceof SelectorSyntaxError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
    }
  });
