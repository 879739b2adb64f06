/**
 * Checks real answers of the HTTP tests against the server's own OpenAPI document: the status
 * must be one the document lists for that route and method, and a JSON body must match the
 * listed schema (ajv, JSON Schema 2020-12, formats checked). `withContract(api())` checks every
 * answer a test receives; `expectMatchesDocument` checks one.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { inject } from "vitest";
import type { Api, Reply } from "./api";

type Content = Record<string, { schema?: object }>;
type Operation = { responses: Record<string, { content?: Content }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: object };

const loaded = new Map<string, Promise<{ doc: Document; ajv: Ajv2020 }>>();

function load(baseUrl: string) {
  let entry = loaded.get(baseUrl);
  if (!entry) {
    entry = (async () => {
      const res = await fetch(`${baseUrl}/api/openapi.json`);
      if (res.status !== 200) throw new Error(`GET /api/openapi.json: ${res.status}`);
      const doc = (await res.json()) as Document;
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats.default(ajv);
      ajv.addSchema({ $id: "openapi", components: doc.components });
      return { doc, ajv };
    })();
    loaded.set(baseUrl, entry);
  }
  return entry;
}

/** The document's path template for a concrete path: literal segments win over parameters. */
export function matchTemplate(templates: string[], path: string): string | undefined {
  const parts = path.split("/");
  let best: { template: string; literals: number } | undefined;
  for (const template of templates) {
    const t = template.split("/");
    if (t.length !== parts.length) continue;
    let literals = 0;
    const fits = t.every((seg, i) => {
      if (/^\{\w+\}$/.test(seg)) return parts[i] !== "";
      literals++;
      return seg === parts[i];
    });
    if (fits && (!best || literals > best.literals)) best = { template, literals };
  }
  return best?.template;
}

const validators = new WeakMap<object, ValidateFunction>();

export async function expectMatchesDocument(method: string, url: string, reply: Pick<Reply, "status" | "body" | "headers" | "text">, baseUrl = inject("baseUrl")) {
  const { doc, ajv } = await load(baseUrl);
  const path = new URL(url, "http://x").pathname;
  const where = `${method} ${url} -> ${reply.status}`;
  const template = matchTemplate(Object.keys(doc.paths), path);
  if (!template) throw new Error(`${where}: the OpenAPI document has no path for ${path}`);
  const op = doc.paths[template]![method.toLowerCase()];
  if (!op) throw new Error(`${where}: the OpenAPI document has no ${method} ${template}`);
  const documented = op.responses[String(reply.status)];
  if (!documented) throw new Error(`${where}: status not documented for ${method} ${template} (documented: ${Object.keys(op.responses).join(", ")}); body ${reply.text.slice(0, 200)}`);
  if (!documented.content) {
    if (reply.text !== "") throw new Error(`${where}: the document says no body, got ${reply.text.slice(0, 200)}`);
    return;
  }
  const type = (reply.headers.get("content-type") ?? "").split(";")[0]!.trim();
  const media = documented.content[type];
  if (!media) throw new Error(`${where}: content type ${type} not documented (documented: ${Object.keys(documented.content).join(", ")})`);
  if (type !== "application/json" || !media.schema) return;
  let validate = validators.get(media.schema);
  if (!validate) {
    const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"openapi#/components/'));
    validate = ajv.compile(schema);
    validators.set(media.schema, validate);
  }
  if (!validate(reply.body)) {
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`);
    throw new Error(`${where}: the body does not match the document's schema: ${errors.join("; ")}; body ${reply.text.slice(0, 300)}`);
  }
}

/** The same client, but every answer is checked against the OpenAPI document before the test sees it. */
export function withContract(a: Api): Api {
  const call: Api["call"] = async (method, url, opts) => {
    const reply = await a.call(method, url, opts);
    await expectMatchesDocument(method, url, reply, a.baseUrl);
    return reply;
  };
  return {
    baseUrl: a.baseUrl,
    call,
    get: (url, token) => call("GET", url, { token }),
    post: (url, body, token) => call("POST", url, { body, token }),
    patch: (url, body, token) => call("PATCH", url, { body, token }),
    del: (url, token) => call("DELETE", url, { token }),
  };
}
