import type { DiskUsage } from "../../lib/protocol";

export interface Mount {
  device: string;
  mount: string;
  fstype: string;
}

/** /proc/mounts escapes space, tab, newline and backslash in paths as octal (`\040`). */
const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

export function parseMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split("\n")) {
    const [device, mount, fstype] = line.split(" ");
    if (device && mount && fstype) mounts.push({ device: unescape(device), mount: unescape(mount), fstype });
  }
  return mounts;
}

/**
 * Pseudo, memory-backed and read-only image filesystems say nothing about disk space, and
 * network filesystems are left out because statfs on an unreachable server blocks.
 */
const IGNORED_FSTYPES = new Set([
  "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts", "devtmpfs",
  "efivarfs", "fusectl", "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc", "pstore",
  "ramfs", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tmpfs", "tracefs", "udf",
  "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "ceph", "glusterfs", "fuse.sshfs", "fuse.lxcfs",
  "fuse.gvfsd-fuse", "fuse.portal", "fuse.snapfuse", "zram",
]);

/** Real filesystems, one mount per device (bind mounts repeat a device; keep the shortest path). */
export function realFilesystems(mounts: Mount[]): Mount[] {
  const byDevice = new Map<string, Mount>();
  for (const m of mounts) {
    if (IGNORED_FSTYPES.has(m.fstype)) continue;
    const seen = byDevice.get(m.device);
    if (!seen || m.mount.length < seen.mount.length) byDevice.set(m.device, m);
  }
  return [...byDevice.values()].sort((a, b) => a.mount.localeCompare(b.mount));
}

export interface StatFs {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

/**
 * Percentages as `df` reports them: used over what a normal user could have, so the blocks
 * reserved for root make a full disk read 100 % rather than 95 %.
 */
export function diskUsage(mount: string, s: StatFs): DiskUsage {
  const totalBytes = s.blocks * s.bsize;
  const usedBytes = (s.blocks - s.bfree) * s.bsize;
  const usable = usedBytes + s.bavail * s.bsize;
  const pct = usable > 0 ? Math.min(100, Math.round((usedBytes / usable) * 10_000) / 100) : 0;
  return { mount, pct, usedBytes, totalBytes };
}

/** The headline disk figure: the root filesystem, else the largest one, else 0. */
export function primaryDiskPct(disks: DiskUsage[]): number {
  const root = disks.find((d) => d.mount === "/");
  if (root) return root.pct;
  const largest = disks.reduce<DiskUsage | undefined>((best, d) => (!best || d.totalBytes > best.totalBytes ? d : best), undefined);
  return largest?.pct ?? 0;
}
