import { describe, expect, it } from "vitest";
import { MAX_WORKERS, workersFromEnv } from "./workers.mjs";

const pg = { DATABASE_URL: "postgres://db/iw" };

describe("workersFromEnv", () => {
  it("defaults to the cores on PostgreSQL and to one process on the embedded database", () => {
    expect(workersFromEnv(pg, 4)).toEqual({ count: 4 });
    expect(workersFromEnv({}, 4)).toEqual({ count: 1 });
    expect(workersFromEnv({ ...pg, IW_WORKERS: "" }, 2)).toEqual({ count: 2 });
    expect(workersFromEnv(pg, 1000)).toEqual({ count: MAX_WORKERS });
  });

  it("takes a whole number from 1 to the maximum", () => {
    expect(workersFromEnv({ ...pg, IW_WORKERS: "1" }, 8)).toEqual({ count: 1 });
    expect(workersFromEnv({ ...pg, IW_WORKERS: " 3 " }, 8)).toEqual({ count: 3 });
    expect(workersFromEnv({ IW_WORKERS: "1" }, 8)).toEqual({ count: 1 });
  });

  it("refuses what is not a worker count, naming the value", () => {
    for (const bad of ["0", "-1", "1.5", "two", "65", "1e2", "0x2"]) {
      const r = workersFromEnv({ ...pg, IW_WORKERS: bad }, 8);
      expect(r).toHaveProperty("error");
      expect((r as { error: string }).error).toContain(`"${bad}"`);
    }
  });

  it("refuses more than one process on the embedded database, saying why", () => {
    const r = workersFromEnv({ IW_WORKERS: "2" }, 8) as { error: string };
    expect(r.error).toMatch(/needs DATABASE_URL/);
    expect(r.error).toMatch(/single owner/);
  });
});
