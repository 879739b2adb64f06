import { describe, expect, it } from "vitest";
import { fixture } from "../collect/fixtures/fixture";
import { mergeEnvironment, parseEnvironmentFile } from "./environment";

describe("parseEnvironmentFile", () => {
  it("reads quoted values, `export` lines and comments (Alpine's cloud-init file)", () => {
    expect(parseEnvironmentFile(fixture("alpine319", "etc/environment"))).toEqual({
      HTTP_PROXY: "http://proxy.internal:3128",
      NO_PROXY: "localhost,127.0.0.1,.internal",
      REGISTRY_URL: "https://deploy:s3cr3t@registry.internal/v2",
    });
  });
  it("reads Debian's empty file", () => {
    expect(parseEnvironmentFile(fixture("debian12", "etc/environment"))).toEqual({});
  });
});

describe("mergeEnvironment", () => {
  it("lets the process win and drops per-start noise", () => {
    expect(mergeEnvironment({ LANG: "C", TZ: "UTC" }, { LANG: "C.UTF-8", INVOCATION_ID: "abc", PWD: "/", SHLVL: "1" })).toEqual({ LANG: "C.UTF-8", TZ: "UTC" });
  });
});
