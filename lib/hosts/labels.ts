/**
 * Where a host's labels come from and which wins. A host keeps three things: the labels its
 * agent last reported, the labels users set, and the keys users removed. The labels the host
 * carries (what selectors match) are the agent's, minus the removed keys, with the users' on top:
 *
 *   labels = (agent - removed) + user
 *
 * so a user's value for a key wins over the agent's and survives the next agent report, a user's
 * removal of an agent label sticks while the agent keeps sending it, and every other agent label
 * follows the agent. The database derives `hosts.labels` with the same expression
 * (lib/db/schema/hosts.ts); `effectiveLabels` is it in code, for tests and previews.
 */
import { MAX_LABELS_PER_HOST, type Labels } from "../protocol";

export type LabelSource = "agent" | "user";

export type LabelState = { agent: Labels; user: Labels; removed: readonly string[] };

/** Removed keys kept at most: the ones the agent still reports first, then the most recent others. */
export const MAX_REMOVED_LABELS = 2 * MAX_LABELS_PER_HOST;

const has = (labels: Labels, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

export function effectiveLabels(state: LabelState): Labels {
  const out: Labels = {};
  const removed = new Set(state.removed);
  for (const key of Object.keys(state.agent)) if (!removed.has(key)) out[key] = state.agent[key]!;
  for (const key of Object.keys(state.user)) out[key] = state.user[key]!;
  return out;
}

/** Which source each of the host's labels comes from. */
export function labelSources(state: LabelState): Record<string, LabelSource> {
  const out: Record<string, LabelSource> = {};
  for (const key of Object.keys(effectiveLabels(state))) out[key] = has(state.user, key) ? "user" : "agent";
  return out;
}

/**
 * A user's edit: `desired` is the whole label set the user wants the host to carry now, and
 * `reset` names keys to hand back to the agent (drop the user's value or removal of them).
 * Returns the new user values and removed keys such that the host then carries exactly
 * `desired` (minus the reset keys, plus the agent's values for them). A label the user leaves
 * as the agent reports it stays the agent's (it keeps following the agent, and a removed
 * one given back with the agent's value follows the agent again); one the user
 * already owned stays the user's; one the user changes or adds becomes the user's; an agent label
 * left out is removed, and keeps being removed after the next report.
 */
export function editLabels(state: LabelState, desired: Labels, reset: readonly string[] = []): { user: Labels; removed: string[] } {
  const resetKeys = new Set(reset);
  const user: Labels = {};
  for (const key of Object.keys(desired)) {
    if (resetKeys.has(key)) continue;
    const ownedByUser = has(state.user, key);
    const asAgentReports = has(state.agent, key) && state.agent[key] === desired[key];
    if (ownedByUser || !asAgentReports) user[key] = desired[key]!;
  }
  const reported: string[] = [];
  const others: string[] = [];
  const add = (key: string) => {
    if (resetKeys.has(key) || has(desired, key) || reported.includes(key) || others.includes(key)) return;
    (has(state.agent, key) ? reported : others).push(key);
  };
  for (const key of Object.keys(state.agent)) add(key);
  // Earlier removals stay (the agent may send the key again), newest last.
  for (const key of state.removed) add(key);
  const removed = [...reported, ...others.slice(Math.max(0, others.length - (MAX_REMOVED_LABELS - reported.length)))];
  return { user, removed };
}
