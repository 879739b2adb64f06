import { readFile } from "node:fs/promises";
import { MAX_KERNEL_CMDLINE_CHARS, MAX_SYSCTL_VALUE_CHARS } from "../../lib/protocol/constants";
import { redactSecrets } from "../../lib/protocol/redaction";
import { inProc, type HostPaths } from "../collect/host-paths";
import { truncateText } from "../collect/processes";

/** /proc/cmdline as sent: one line, secrets (a `password=` some initramfs takes) redacted. */
export const kernelCmdline = (text: string) => truncateText(redactSecrets(text.trim()), MAX_KERNEL_CMDLINE_CHARS);

/** `net.ipv4.ip_forward` -> net/ipv4/ip_forward below /proc/sys (the keys were checked: agent/settings.ts). */
export const sysctlFile = (key: string) => `sys/${key.split(".").join("/")}`;

/** A value as `sysctl -n` shows it, tabs between fields (ip_local_port_range) turned into spaces. */
export const sysctlValue = (text: string) => truncateText(text.trim().replace(/\s+/g, " "), MAX_SYSCTL_VALUE_CHARS);

/** Keys the kernel does not have (an IPv6-less host) or the agent may not read are left out. */
export async function collectSysctl(paths: HostPaths, keys: readonly string[]): Promise<Record<string, string>> {
  const values = await Promise.all(keys.map(async (key) => [key, await readFile(inProc(paths, sysctlFile(key)), "utf8").catch(() => undefined)] as const));
  const out: Record<string, string> = {};
  for (const [key, value] of values) if (value !== undefined) out[key] = sysctlValue(value);
  return out;
}

export async function readKernelCmdline(paths: HostPaths): Promise<string | undefined> {
  const text = await readFile(inProc(paths, "cmdline"), "utf8").catch(() => undefined);
  return text === undefined ? undefined : kernelCmdline(text);
}
