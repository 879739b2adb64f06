declare const __AGENT_VERSION__: string | undefined;

/** Set by scripts/build-agent.mjs from package.json; "dev" when run from source. */
export const AGENT_VERSION = typeof __AGENT_VERSION__ === "string" ? __AGENT_VERSION__ : "0.0.0-dev";
