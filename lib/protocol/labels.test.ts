import { describe, expect, it } from "vitest";
import { HostFactsSchema, LabelsSchema } from "./index";
import { MAX_LABEL_KEY_LENGTH, MAX_LABEL_VALUE_LENGTH, MAX_LABELS_PER_HOST } from "./constants";
import { formatLabels, labelKeyProblem, labelSetProblems, labelValueProblem, parseLabelArgument } from "./labels";

describe("label keys", () => {
  it.each(["env", "a", "0", "team_name", "infra-watch.io/team", "k8s.io/role-1"])("accepts %j", (key) => {
    expect(labelKeyProblem(key)).toBeNull();
  });

  it.each([
    ["", "a label key must not be empty"],
    ["Env", "a label key holds only a-z, 0-9, _ . - and /"],
    ["env=x", "a label key holds only a-z, 0-9, _ . - and /"],
    ["en v", "a label key holds only a-z, 0-9, _ . - and /"],
    ["rôle", "a label key holds only a-z, 0-9, _ . - and /"],
    ["_env", "a label key begins and ends with a-z or 0-9"],
    ["env/", "a label key begins and ends with a-z or 0-9"],
    ["__proto__", "a label key begins and ends with a-z or 0-9"],
    ["k".repeat(MAX_LABEL_KEY_LENGTH + 1), `a label key has at most ${MAX_LABEL_KEY_LENGTH} characters`],
  ])("refuses %j", (key, message) => {
    expect(labelKeyProblem(key)).toBe(message);
  });

  it("accepts a key of exactly the maximum length", () => {
    expect(labelKeyProblem("k".repeat(MAX_LABEL_KEY_LENGTH))).toBeNull();
  });
});

describe("label values", () => {
  it.each(["", "prod", "Prod-1", "v1.2_3", "v".repeat(MAX_LABEL_VALUE_LENGTH)])("accepts %j", (value) => {
    expect(labelValueProblem(value)).toBeNull();
  });

  it.each([
    ["-prod", "a label value begins and ends with a letter or digit"],
    ["prod.", "a label value begins and ends with a letter or digit"],
    ["a/b", "a label value holds only A-Z, a-z, 0-9, _ . and -"],
    ["a b", "a label value holds only A-Z, a-z, 0-9, _ . and -"],
    ["a,b", "a label value holds only A-Z, a-z, 0-9, _ . and -"],
    ["v".repeat(MAX_LABEL_VALUE_LENGTH + 1), `a label value has at most ${MAX_LABEL_VALUE_LENGTH} characters`],
  ])("refuses %j", (value, message) => {
    expect(labelValueProblem(value)).toBe(message);
  });
});

describe("labelSetProblems", () => {
  it("accepts a valid set and the empty set", () => {
    expect(labelSetProblems({ env: "prod", gpu: "" })).toEqual([]);
    expect(labelSetProblems({})).toEqual([]);
  });

  it("names every key at fault", () => {
    expect(labelSetProblems({ Env: "prod", role: "-db", team: 3, ok: "x" })).toEqual([
      { key: "Env", message: "a label key holds only a-z, 0-9, _ . - and /" },
      { key: "role", message: "a label value begins and ends with a letter or digit" },
      { key: "team", message: "a label value must be a string" },
    ]);
  });

  it("refuses what is not an object", () => {
    for (const value of [null, "env=prod", ["env"], 3]) expect(labelSetProblems(value)).toEqual([{ key: "", message: "labels must be an object of key: value strings" }]);
  });

  it("bounds the count, and stops walking keys at the bound", () => {
    const at = Object.fromEntries(Array.from({ length: MAX_LABELS_PER_HOST }, (_, i) => [`k${i}`, "v"]));
    expect(labelSetProblems(at)).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, "-bad"]));
    expect(labelSetProblems(many)).toEqual([{ key: "", message: `at most ${MAX_LABELS_PER_HOST} labels per host` }]);
  });

  it("treats a JSON __proto__ key as an ordinary (invalid) key", () => {
    expect(labelSetProblems(JSON.parse('{"__proto__": "x"}'))).toEqual([{ key: "__proto__", message: "a label key begins and ends with a-z or 0-9" }]);
  });
});

describe("parseLabelArgument", () => {
  it("reads key=value, and a bare key as the empty value", () => {
    expect(parseLabelArgument("env=prod")).toEqual({ ok: true, key: "env", value: "prod" });
    expect(parseLabelArgument(" team = db ")).toEqual({ ok: true, key: "team", value: "db" });
    expect(parseLabelArgument("gpu")).toEqual({ ok: true, key: "gpu", value: "" });
    expect(parseLabelArgument("gpu=")).toEqual({ ok: true, key: "gpu", value: "" });
  });

  it("says which argument is wrong and why", () => {
    expect(parseLabelArgument("Env=prod")).toEqual({ ok: false, message: 'label "Env=prod": a label key holds only a-z, 0-9, _ . - and /' });
    expect(parseLabelArgument("env=a=b")).toEqual({ ok: false, message: 'label "env=a=b": a label value holds only A-Z, a-z, 0-9, _ . and -' });
    expect(parseLabelArgument("=prod")).toEqual({ ok: false, message: 'label "=prod": a label key must not be empty' });
  });
});

describe("formatLabels", () => {
  it("lists labels in key order, an empty value as the bare key", () => {
    expect(formatLabels({ team: "db", env: "prod", gpu: "" })).toBe("env=prod, gpu, team=db");
  });
});

describe("LabelsSchema", () => {
  it("reports each problem at its key, and a host batch carries labels", () => {
    expect(LabelsSchema.parse({ env: "prod" })).toEqual({ env: "prod" });
    const result = LabelsSchema.safeParse({ env: "prod", Role: "db" });
    expect(result.error!.issues).toMatchObject([{ path: ["Role"], message: "a label key holds only a-z, 0-9, _ . - and /" }]);
    expect(HostFactsSchema.safeParse({ hostname: "h", labels: { env: "prod" } }).success).toBe(true);
    expect(HostFactsSchema.safeParse({ hostname: "h", labels: ["env"] }).error!.issues).toMatchObject([{ path: ["labels"], message: "labels must be an object of key: value strings" }]);
  });
});
