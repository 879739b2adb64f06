import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { formatSelector, matches, MAX_SELECTOR_LENGTH, MAX_SELECTOR_SET_VALUES, MAX_SELECTOR_TERMS, parseSelector, parseSelectorSyntax, SelectorSchema, SelectorSyntaxError } from "./selector";

/** The 1-based position and message a bad selector is refused with. */
function refusal(text: string): { position: number; message: string } {
  try {
    parseSelectorSyntax(text);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) return { position: error.position, message: error.message };
    throw error;
  }
  throw new Error(`"${text}" parsed`);
}

describe("parseSelector", () => {
  it("reads every operator of the brief's example into terms", () => {
    expect(parseSelector("env=prod,role!=db,team in (a,b),team notin (c),gpu,!gpu").terms).toEqual([
      { op: "eq", key: "env", value: "prod" },
      { op: "neq", key: "role", value: "db" },
      { op: "in", key: "team", values: ["a", "b"] },
      { op: "notin", key: "team", values: ["c"] },
      { op: "exists", key: "gpu" },
      { op: "notExists", key: "gpu" },
    ]);
  });

  it("takes == as equality, spaces around tokens, and in( without a space", () => {
    expect(parseSelector("  env == prod ,  team in(a , b)  , ! gpu ").terms).toEqual([
      { op: "eq", key: "env", value: "prod" },
      { op: "in", key: "team", values: ["a", "b"] },
      { op: "notExists", key: "gpu" },
    ]);
  });

  it("allows the empty value after = and != (labels may have empty values)", () => {
    expect(parseSelector("gpu=,env!=").terms).toEqual([
      { op: "eq", key: "gpu", value: "" },
      { op: "neq", key: "env", value: "" },
    ]);
  });

  it("reads keys with a prefix and punctuation, values with capitals", () => {
    expect(parseSelector("infra-watch.io/team_name=Db-1.a").terms).toEqual([{ op: "eq", key: "infra-watch.io/team_name", value: "Db-1.a" }]);
  });

  it("treats in and notin as keys where no operator is expected", () => {
    expect(parseSelector("in,notin=x,in in (a)").terms).toEqual([
      { op: "exists", key: "in" },
      { op: "eq", key: "notin", value: "x" },
      { op: "in", key: "in", values: ["a"] },
    ]);
  });

  it.each([
    ["", 1, "expected a label key, found the end of the selector"],
    ["   ", 4, "expected a label key, found the end of the selector"],
    ["env=prod,", 10, "expected a label key, found the end of the selector"],
    [",env", 1, 'expected a label key, found ","'],
    ["env=prod,,role=db", 10, 'expected a label key, found ","'],
    ["Env=prod", 1, "label keys are lowercase"],
    ["envX=prod", 4, "label keys are lowercase"],
    ["env=pr od", 8, 'expected "," or the end of the selector'],
    ["env=prod;role=db", 9, 'expected "," or the end of the selector'],
    ["env prod", 5, 'expected "=", "!=", "in", "notin", "," or the end of the selector'],
    ["env>5", 4, 'expected "=", "!=", "in", "notin", "," or the end of the selector'],
    ["env=-prod", 5, "a label value begins and ends with a letter or digit"],
    ["env=pr*d", 7, 'expected "," or the end of the selector'],
    ["-env=prod", 1, "a label key begins and ends with a-z or 0-9"],
    ["env/=prod", 1, "a label key begins and ends with a-z or 0-9"],
    ["!=prod", 1, 'expected a label key, found "!"'],
    ["!", 2, "expected a label key, found the end of the selector"],
    ["team in a,b", 9, 'expected "(" to open the set of values'],
    ["team in", 8, 'expected "(" to open the set of values'],
    ["team in ()", 10, 'expected a label value, found ")"'],
    ["team in (a,)", 12, 'expected a label value, found ")"'],
    ["team in (a b)", 12, 'expected "," or ")" after a value'],
    ["team in (a,b", 13, 'expected "," or ")", found the end of the selector'],
    ["team notin (a) x", 16, 'expected "," or the end of the selector'],
    ["team inx (a)", 6, 'expected "=", "!=", "in", "notin", "," or the end of the selector'],
    // "r" is a key; "ô" after it is no operator.
    ["env=prod,rôle=db", 11, 'expected "=", "!=", "in", "notin", "," or the end of the selector'],
    ["env=prod,ôle=db", 10, 'expected a label key, found "ô"'],
  ])("refuses %j at position %i", (text, position, expected) => {
    const r = refusal(text);
    expect(r.position).toBe(position);
    expect(r.message).toContain(`position ${position}: ${expected}`);
  });

  it("bounds the length, the number of terms and the size of a set", () => {
    expect(refusal(`env=${"a".repeat(MAX_SELECTOR_LENGTH)}`).message).toContain(`at most ${MAX_SELECTOR_LENGTH} characters`);
    const keys = Array.from({ length: MAX_SELECTOR_TERMS + 1 }, (_, i) => `k${i}`);
    expect(parseSelector(keys.slice(0, MAX_SELECTOR_TERMS).join(",")).terms).toHaveLength(MAX_SELECTOR_TERMS);
    const tooMany = keys.join(",");
    expect(refusal(tooMany)).toEqual({ position: tooMany.lastIndexOf(",") + 2, message: expect.stringContaining(`at most ${MAX_SELECTOR_TERMS} terms`) });
    const values = Array.from({ length: MAX_SELECTOR_SET_VALUES + 1 }, (_, i) => `v${i}`);
    expect(parseSelector(`k in (${values.slice(0, MAX_SELECTOR_SET_VALUES).join(",")})`).terms[0]).toMatchObject({ op: "in" });
    expect(refusal(`k in (${values.join(",")})`).message).toContain(`at most ${MAX_SELECTOR_SET_VALUES} values in a set`);
  });

  it("refuses keys and values longer than a label's", () => {
    expect(refusal(`${"k".repeat(64)}=a`)).toEqual({ position: 1, message: expect.stringContaining("a label key has at most 63 characters") });
    expect(refusal(`k=${"v".repeat(64)}`)).toEqual({ position: 3, message: expect.stringContaining("a label value has at most 63 characters") });
  });

  it("throws an invalid AppError naming the position, in the message and in the issue", () => {
    try {
      parseSelector("env=prod,,x", "rule.selector");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const e = error as AppError;
      expect(e.kind).toBe("invalid");
      expect(e.message).toBe('invalid selector at position 10: expected a label key, found ","');
      expect(e.issues).toEqual([{ path: "rule.selector", message: e.message }]);
    }
  });
});

describe("matches", () => {
  const labels = { env: "prod", role: "web", team: "a", gpu: "" };
  const m = (text: string, l: Record<string, string> = labels) => matches(parseSelector(text), l);

  it("equality and inequality (inequality also holds for an absent key)", () => {
    expect(m("env=prod")).toBe(true);
    expect(m("env==staging")).toBe(false);
    expect(m("env=prod,role=db")).toBe(false);
    expect(m("role!=db")).toBe(true);
    expect(m("role!=web")).toBe(false);
    expect(m("zone!=eu")).toBe(true);
    expect(m("zone=eu")).toBe(false);
  });

  it("sets (notin also holds for an absent key)", () => {
    expect(m("team in (a,b)")).toBe(true);
    expect(m("team in (b,c)")).toBe(false);
    expect(m("team notin (c)")).toBe(true);
    expect(m("team notin (a)")).toBe(false);
    expect(m("zone in (eu)")).toBe(false);
    expect(m("zone notin (eu)")).toBe(true);
  });

  it("existence, including a label with the empty value", () => {
    expect(m("gpu")).toBe(true);
    expect(m("!gpu")).toBe(false);
    expect(m("gpu=")).toBe(true);
    expect(m("zone")).toBe(false);
    expect(m("!zone")).toBe(true);
    expect(m("gpu", {})).toBe(false);
  });

  it("does not see properties an object inherits", () => {
    expect(m("constructor", {})).toBe(false);
    expect(m("!constructor", {})).toBe(true);
    expect(m("tostring notin (x)", {})).toBe(true);
  });

  it("the brief's example: every term must hold", () => {
    const s = "env=prod,role!=db,team in (a,b),team notin (c),gpu";
    expect(m(s)).toBe(true);
    expect(m(s, { ...labels, role: "db" })).toBe(false);
    expect(m(s, { env: "prod", team: "a" })).toBe(false);
  });
});

describe("formatSelector", () => {
  it("spells a selector one way, and that spelling parses to the same terms", () => {
    const text = " env == prod ,role!=db, team in ( a , b ),team notin(c), gpu, ! x ";
    const canonical = formatSelector(parseSelector(text));
    expect(canonical).toBe("env=prod,role!=db,team in (a,b),team notin (c),gpu,!x");
    expect(parseSelector(canonical)).toEqual(parseSelector(text));
  });
});

describe("SelectorSchema", () => {
  it("passes a good selector through and names the position in the issue", () => {
    expect(SelectorSchema.parse("env=prod")).toBe("env=prod");
    const result = SelectorSchema.safeParse("env=prod,team in (a");
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toBe('invalid selector at position 20: expected "," or ")", found the end of the selector');
    expect(SelectorSchema.safeParse(42).error!.issues[0]!.message).toBe("a selector must be a string");
  });

  it("works inside an object schema, with the field's path", () => {
    const result = z.object({ selector: SelectorSchema }).safeParse({ selector: "env=" + "x".repeat(2000) });
    expect(result.error!.issues[0]).toMatchObject({ path: ["selector"], message: `a selector has at most ${MAX_SELECTOR_LENGTH} characters` });
  });
});
