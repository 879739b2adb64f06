import { describe, expect, it } from "vitest";
import type { ContainerView } from "@/lib/client/types";
import { containerSummary, healthTone, sortContainers, stateTone } from "./container-view";

const c = (name: string, state: ContainerView["state"], health?: ContainerView["health"]): ContainerView => ({ id: name, name, state, restartCount: 0, ...(health ? { health } : {}) });

describe("container view", () => {
  it("tones states and health", () => {
    expect(["running", "exited", "dead", "created", "paused", "restarting"].map((s) => stateTone(s as ContainerView["state"]))).toEqual(["status-up", "status-down", "status-down", "status-new", "sev-warning", "sev-warning"]);
    expect(["healthy", "unhealthy", "starting"].map((h) => healthTone(h as "healthy"))).toEqual(["status-up", "status-down", "sev-warning"]);
  });

  it("puts unhealthy, then stopped containers first", () => {
    const list = [c("web", "running", "healthy"), c("api", "running", "unhealthy"), c("job", "exited"), c("db", "running")];
    expect(sortContainers(list).map((x) => x.name)).toEqual(["api", "job", "db", "web"]);
    expect(containerSummary(list)).toBe("3 of 4 running, 1 unhealthy");
    expect(containerSummary([c("job", "exited")])).toBe("0 of 1 running");
  });
});
