/**
 * Which channels hear of a rule's event on a host. Pure; the run passes the routes and
 * channels it read once.
 *
 *   1. A rule that names channels (`channelIds`) goes to those.
 *   2. Otherwise the routes, in `position` order: the first whose selector matches the host's
 *      labels (no selector: any host) and whose severities include the rule's (none: any)
 *      goes to that route's channels, and only those.
 *   3. No route matches: the default channels, every enabled channel (as before routes existed).
 *
 * In every case a channel that is disabled, deleted, or whose `minSeverity` is above the
 * rule's severity is left out: a channel's own filter always holds.
 */
import { matches, parseSelectorSyntax, type Selector } from "@/lib/hosts/selector";
import { SEVERITIES, type Severity } from "./types";

export interface RouteDefinition {
  id: string;
  selector: string | null;
  severities: readonly Severity[];
  channelIds: readonly string[];
  position: number;
  createdAt?: Date;
}

export interface ChannelFilter {
  id: string;
  enabled: boolean;
  minSeverity: Severity;
}

export interface CompiledRoute {
  id: string;
  /** null: every host. */
  selector: Selector | null;
  severities: ReadonlySet<Severity>;
  channelIds: readonly string[];
}

export type ChannelChoice = { channelIds: string[] } & ({ via: "rule" } | { via: "route"; routeId: string } | { via: "default" });

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

/** Whether a channel with this minimum hears of a rule with this severity. */
export const channelWants = (minSeverity: Severity, severity: Severity): boolean => rank(severity) >= rank(minSeverity);

/** Orders routes (position, then age) and parses their selectors once; a route whose stored selector no longer parses matches nothing. */
export function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  const sorted = [...routes].sort((a, b) => a.position - b.position || (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || a.id.localeCompare(b.id));
  const out: CompiledRoute[] = [];
  for (const r of sorted) {
    let selector: Selector | null = null;
    if (r.selector) {
      try {
        selector = parseSelectorSyntax(r.selector);
      } catch {
        continue;
      }
    }
    out.push({ id: r.id, selector, severities: new Set(r.severities), channelIds: r.channelIds });
  }
  return out;
}

export function routeMatches(route: CompiledRoute, labels: Readonly<Record<string, string>>, severity: Severity): boolean {
  return (route.severities.size === 0 || route.severities.has(severity)) && (route.selector === null || matches(route.selector, labels));
}

export function chooseChannels(
  rule: { channelIds?: readonly string[] | null; severity: Severity },
  host: { labels?: Readonly<Record<string, string>> | null },
  routes: readonly CompiledRoute[],
  channels: readonly ChannelFilter[],
): ChannelChoice {
  const usable = new Map(channels.filter((c) => c.enabled && channelWants(c.minSeverity, rule.severity)).map((c) => [c.id, c]));
  const pick = (ids: readonly string[]) => [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => usable.has(id));
  if (rule.channelIds && rule.channelIds.length > 0) return { via: "rule", channelIds: pick(rule.channelIds) };
  const labels = host.labels ?? {};
  for (const route of routes) {
    if (routeMatches(route, labels, rule.severity)) return { via: "route", routeId: route.id, channelIds: pick(route.channelIds) };
  }
  return { via: "default", channelIds: [...usable.keys()] };
}
