/** Types for workers.mjs (plain JavaScript, shared by the launchers and the tests). */
export declare const MAX_WORKERS: number;
export declare function workersFromEnv(env: Record<string, string | undefined>, cores?: number): { count: number } | { error: string };
export declare function runServers(opts: { count: number; exec: string; args: string[]; cwd: string }): void;
