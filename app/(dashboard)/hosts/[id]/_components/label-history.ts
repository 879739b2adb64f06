/** What a label edit changed, in words: `env: prod → staging`, `+team=ops`, `−gpu`, in key order. */
export function labelChangeText(before: Record<string, string>, after: Record<string, string>): string {
  const show = (k: string, v: string) => (v === "" ? k : `${k}=${v}`);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const parts: string[] = [];
  for (const k of keys) {
    const was = Object.hasOwn(before, k) ? before[k]! : null;
    const now = Object.hasOwn(after, k) ? after[k]! : null;
    if (was === now) continue;
    if (was === null) parts.push(`+${show(k, now!)}`);
    else if (now === null) parts.push(`−${show(k, was)}`);
    else parts.push(`${k}: ${was === "" ? "(empty)" : was} → ${now === "" ? "(empty)" : now}`);
  }
  return parts.length ? parts.join(", ") : "no change to the labels carried";
}
