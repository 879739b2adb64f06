/**
 * Cross-site request forgery: a page elsewhere can make the browser send the dashboard cookie
 * with a simple POST (text/plain, no preflight). A cookie-authenticated request with an unsafe
 * method must therefore come from the app's own pages: its Origin (or, when a browser sends no
 * Origin, its Sec-Fetch-Site) must say so. Bearer-token calls carry no ambient credential and
 * are not checked; neither is a request with neither header (not a browser).
 */
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const isUnsafeMethod = (method: string) => UNSAFE_METHODS.has(method.toUpperCase());

/**
 * Why the request is not from the app's own origin, or null when it is (or is no browser's).
 * `appOrigin`: the configured public origin; without one, the Host the request was sent to.
 */
export function crossSiteReason(headers: Headers, appOrigin: string | undefined): string | null {
  const origin = headers.get("origin");
  if (origin !== null) {
    if (origin === "null") return "opaque Origin";
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return "unreadable Origin";
    }
    if (parsed.origin === "null") return "opaque Origin";
    if (appOrigin) return parsed.origin === appOrigin ? null : "foreign Origin";
    const host = headers.get("host");
    return host && parsed.host === hostOf(host) ? null : "foreign Origin";
  }
  const site = headers.get("sec-fetch-site");
  if (site !== null) return site === "same-origin" ? null : `Sec-Fetch-Site ${site}`;
  return null;
}

/** A Host header as URL.host writes it (lower case, default port dropped for http). */
function hostOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).host;
  } catch {
    return undefined;
  }
}
