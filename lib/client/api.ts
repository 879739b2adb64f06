/** The browser's side of the contract: same-origin fetch (the session cookie goes along), JSON errors as ApiError. */
export type ApiIssue = { path: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

export async function apiFetch<T>(url: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiError(0, "the server could not be reached");
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = (body ?? {}) as { error?: string; issues?: ApiIssue[] };
    throw new ApiError(res.status, b.error ?? `request failed (${res.status})`, b.issues ?? []);
  }
  return body as T;
}

/** A readable sentence for an error, with the API's validation messages. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return "Your session has ended. Sign in again.";
    if (err.status === 403) return "Your role does not allow this.";
    const issues = err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
    return issues.length ? `${err.message} — ${issues.join("; ")}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export const qs = (params: Record<string, string | number | undefined | null>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
};
