import { describe, expect, it } from "vitest";
import { MAX_TOP_PROCESSES } from "./collect/processes";
import { collectionSettings, storedSettings, type AgentConfig } from "./config";
import { DEFAULT_SETTINGS, commandLineSettings, resolveSettings } from "./settings";
import { MAX_PROCESSES_PER_SAMPLE } from "../lib/protocol/constants";

const config: AgentConfig = { server: "http://x", hostId: "h", agentToken: "t", hostKey: "k", machineId: "m" };

describe("collection settings", () => {
  it("defaults, then the config file, then the command line", () => {
    expect(resolveSettings({}, {})).toEqual(DEFAULT_SETTINGS);
    expect(resolveSettings({}, { topProcesses: 3, watchFiles: ["/etc/hosts"], sysctl: ["vm.swappiness"] })).toEqual({ topProcesses: 3, watchFiles: ["/etc/hosts"], sysctlKeys: ["vm.swappiness"] });
    expect(resolveSettings({ topProcesses: 0, sysctlKeys: [] }, { topProcesses: 3, watchFiles: ["/etc/hosts"] })).toEqual({ topProcesses: 0, watchFiles: ["/etc/hosts"], sysctlKeys: [] });
    expect(commandLineSettings({ topProcesses: 4 })).toEqual({ topProcesses: 4 });
  });

  it("names the config file and the bad value", () => {
    expect(() => collectionSettings("/etc/iw.json", { ...config, topProcesses: 100 }, {})).toThrow('config /etc/iw.json: "topProcesses" must be a whole number from 0 (off) to 25');
    expect(() => collectionSettings("/c", { ...config, watchFiles: "/etc/hosts" as unknown as string[] }, {})).toThrow('"watchFiles" must be a list');
    expect(() => collectionSettings("/c", { ...config, watchFiles: ["relative"] }, {})).toThrow('"watchFiles" "relative" must be an absolute path');
    expect(() => collectionSettings("/c", { ...config, sysctl: [42 as unknown as string] }, {})).toThrow('"sysctl" 42 must be 1 to 256 characters');
  });

  it("never asks for more processes than a sample may carry", () => {
    expect(2 * MAX_TOP_PROCESSES).toBe(MAX_PROCESSES_PER_SAMPLE);
  });

  it("carries the operator's settings over a re-enrollment, and nothing else", () => {
    expect(storedSettings({ ...config, topProcesses: 0, watchFiles: ["/etc/x"] })).toEqual({ topProcesses: 0, watchFiles: ["/etc/x"] });
    expect(storedSettings(undefined)).toEqual({});
  });
});
