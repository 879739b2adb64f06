import path from "node:path";

/**
 * Where the host's files are. On a VM both are the real ones; in a container the host's root
 * is mounted somewhere (e.g. /host) and /proc below it, and the mount table is read from PID 1
 * of the host (the container's own /proc/self/mounts would describe the container).
 */
export interface HostPaths {
  root: string;
  proc: string;
}

export function hostPaths(root = "/", proc?: string): HostPaths {
  return { root, proc: proc ?? path.join(root, "proc") };
}

export const inRoot = (paths: HostPaths, file: string) => path.join(paths.root, file);
export const inProc = (paths: HostPaths, file: string) => path.join(paths.proc, file);
export const isContainerMode = (paths: HostPaths) => path.resolve(paths.root) !== "/" || path.resolve(paths.proc) !== "/proc";
