import { describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs build script
import { forbiddenInputs } from "../scripts/build-agent.mjs";

const check = forbiddenInputs as (inputs: string[]) => string[];

describe("the agent build's guard against server code", () => {
  it("accepts the agent and lib/protocol", () => {
    expect(check(["agent/main.ts", "agent/collect/cpu.ts", "lib/protocol/constants.ts", "lib/protocol/index.ts"])).toEqual([]);
  });

  it("refuses the server's packages and the rest of lib/", () => {
    const inputs = [
      "node_modules/next/dist/server/next.js",
      "node_modules/drizzle-orm/index.js",
      "node_modules/next-auth/index.js",
      "node_modules/postgres/src/index.js",
      "node_modules/@electric-sql/pglite/dist/index.js",
      "lib/db/schema/index.ts",
      "lib/env.ts",
      "app/api/telemetry/route.ts",
    ];
    expect(check(inputs)).toEqual(inputs);
  });

  it("lets other libraries through (the rule is about server code, not size)", () => {
    expect(check(["node_modules/zod/v4/classic/index.js", "node_modules/systeminformation/lib/index.js"])).toEqual([]);
  });
});
