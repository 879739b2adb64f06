import { setFlagsFromString } from "node:v8";

declare const __AGENT_V8_FLAGS__: string | undefined;

/**
 * V8 flags chosen at build time (scripts/build-agent.mjs --v8-flags; see BENCHMARKS.md for what
 * each gave), set from inside the executable before anything else runs: a single executable has
 * no command line for them, and NODE_OPTIONS refuses most. Imported first by main.ts.
 */
const flags = typeof __AGENT_V8_FLAGS__ === "string" ? __AGENT_V8_FLAGS__.split(" ").filter(Boolean) : [];
for (const flag of flags) setFlagsFromString(flag);
