import type { ContainerView } from "@/lib/client/types";

/** The badge class for a container's state: running is up, stopped or dead is down, the rest in between. */
export function stateTone(state: ContainerView["state"]): "status-up" | "status-down" | "status-new" | "sev-warning" {
  if (state === "running") return "status-up";
  if (state === "exited" || state === "dead") return "status-down";
  if (state === "created") return "status-new";
  return "sev-warning";
}

export function healthTone(health: NonNullable<ContainerView["health"]>): "status-up" | "status-down" | "sev-warning" {
  return health === "healthy" ? "status-up" : health === "unhealthy" ? "status-down" : "sev-warning";
}

/** "3 of 5 running, 1 unhealthy": the panel's one-line summary. */
export function containerSummary(list: readonly ContainerView[]): string {
  const running = list.filter((c) => c.state === "running").length;
  const unhealthy = list.filter((c) => c.health === "unhealthy").length;
  return `${running} of ${list.length} running${unhealthy ? `, ${unhealthy} unhealthy` : ""}`;
}

/** Containers needing a look first (unhealthy, then not running), then by name. */
export function sortContainers(list: readonly ContainerView[]): ContainerView[] {
  const rank = (c: ContainerView) => (c.health === "unhealthy" ? 0 : c.state === "running" ? 2 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
