/** The benchmarks' one JSON client for the server under test. */
import type { TestServer } from "../../tests/helpers/server";

export async function json(server: Pick<TestServer, "baseUrl">, method: string, url: string, body?: unknown, token?: string) {
  const res = await fetch(server.baseUrl + url, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
