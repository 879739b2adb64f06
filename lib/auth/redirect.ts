/**
 * Where a sign-in may send the browser: only paths of this app. A callbackUrl is parsed the way
 * the browser will parse it (WHATWG URL: tabs and newlines dropped, backslashes read as slashes,
 * dot segments resolved) against a placeholder origin, and accepted only if it stays on that
 * origin and its path cannot be read as a protocol-relative address (`//evil.example`).
 */
const PLACEHOLDER = "http://infra-watch.invalid";

/** A same-origin path (with query and fragment), or "/" for anything else. */
export function safeCallbackPath(value: string | undefined | null): string {
  // A path, not a relative reference or a scheme ("evil.example", "http:evil.example").
  if (!value || value.length > 2048 || !value.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER);
  } catch {
    return "/";
  }
  if (url.origin !== PLACEHOLDER) return "/";
  const path = url.pathname;
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) return "/";
  // The login page itself and API answers are no place to land after signing in.
  if (path === "/login" || path.startsWith("/login/") || path.startsWith("/api/")) return "/";
  return path + url.search + url.hash;
}

/** next-auth's redirect callback: an absolute URL on `baseUrl`'s origin, else `baseUrl`. */
export function safeRedirect(url: string, baseUrl: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return "/";
  }
  let target: URL;
  try {
    target = new URL(url, base);
  } catch {
    return base.origin;
  }
  if (target.origin !== base.origin) return base.origin;
  const path = safeCallbackPath(target.pathname + target.search + target.hash);
  return base.origin + path;
}
