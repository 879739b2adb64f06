/**
 * Glob matching for drift rules without RegExp: `*` matches any run of characters (also
 * none), `?` exactly one, everything else is literal. Patterns come from users, so a
 * backtracking regex (`a*a*a*…b` became `^a.*a.*a.*…b$`, exponential in the stars) is out.
 *
 * Iterative two pointers with one saved star: on a mismatch only the most recent `*` is
 * widened by one character. Earlier stars never need revisiting, because whatever an
 * earlier star could absorb, the later one can absorb as well. Each widening restarts the
 * comparison at most once per text position, so the worst case is O(n·m) steps and usually
 * close to O(n + m).
 */

export interface GlobStats {
  /** Characters compared, for the worst-case test. */
  steps: number;
}

export function matchGlob(pattern: string, text: string, stats?: GlobStats): boolean {
  // Code points, so `?` matches one character even outside the BMP.
  const p = Array.from(pattern);
  const t = Array.from(text);
  let pi = 0;
  let ti = 0;
  let star = -1;
  let starText = 0;
  let steps = 0;
  while (ti < t.length) {
    steps++;
    if (pi < p.length && (p[pi] === "?" || (p[pi] !== "*" && p[pi] === t[ti]))) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      starText = ti;
    } else if (star >= 0) {
      pi = star + 1;
      ti = ++starText;
    } else {
      if (stats) stats.steps = steps;
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  if (stats) stats.steps = steps;
  return pi === p.length;
}
