import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { ROUTE_ACCESS } from "@/lib/auth/routes";
import { buildOpenApiDocument, splitRouteKey } from "./document";

const doc = buildOpenApiDocument({ version: "0.0.0-test" });
type Op = { security: Record<string, string[]>[]; "x-access": string; parameters: { name: string; in: string }[]; requestBody?: unknown; responses: Record<string, { content?: Record<string, { schema: object }> }> };
const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op: op as Op })));

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document (a maintained validator says so)", async () => {
    const result = await new Validator().validate(structuredClone(doc) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("is refused by that validator when it is broken (the check can fail)", async () => {
    const broken = structuredClone(doc) as Record<string, unknown>;
    (broken.paths as Record<string, Record<string, Record<string, unknown>>>)["/api/hosts"]!.get!.responses = "none";
    expect((await new Validator().validate(broken as Record<string, unknown>)).valid).toBe(false);
  });

  it("lists exactly the routes and methods of the route table", () => {
    const fromTable = Object.keys(ROUTE_ACCESS).map((k) => {
      const { method, path } = splitRouteKey(k);
      return `${method.toUpperCase()} ${path}`;
    });
    expect(operations.map((o) => o.key).sort()).toEqual(fromTable.sort());
  });

  it("states each route's auth scheme as the route table has it", () => {
    for (const [key, access] of Object.entries(ROUTE_ACCESS)) {
      const { method, path } = splitRouteKey(key);
      const op = doc.paths[path]![method] as Op;
      expect(op["x-access"], key).toBe(access);
      const schemes = op.security.flatMap((s) => Object.keys(s)).sort();
      if (access === "public") expect(schemes, key).toEqual([]);
      else if (access === "agent") expect(schemes, key).toEqual(["agentToken"]);
      else if (access === "cron") expect(schemes, key).toEqual(["cronSecret"]);
      else {
        expect(schemes, key).toEqual(["apiToken", "bearerAccessToken", "sessionCookie"]);
        expect(Object.keys(op.responses), key).toEqual(expect.arrayContaining(["401", "403"]));
      }
    }
  });

  it("declares every path parameter, and a 404 for it", () => {
    for (const { key, op } of operations) {
      const inPath = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(op.parameters.filter((p) => p.in === "path").map((p) => p.name), key).toEqual(inPath);
      if (inPath.length) expect(op.responses["404"], key).toBeDefined();
    }
  });

  it("describes every success with a response and every error with the error shape", () => {
    for (const { key, op } of operations) {
      const statuses = Object.keys(op.responses).map(Number);
      expect(statuses.some((s) => s < 300), key).toBe(true);
      for (const s of statuses.filter((s) => s >= 400 && s !== 503 && key !== "GET /api/health")) {
        const schema = op.responses[String(s)]!.content?.["application/json"]?.schema as { $ref?: string; properties?: object } | undefined;
        expect(schema?.$ref === "#/components/schemas/Error" || Boolean(schema?.properties && "error" in schema.properties), `${key} ${s}`).toBe(true);
      }
    }
  });

  it("carries request bodies generated from the validating zod schemas", () => {
    const login = doc.paths["/api/auth/login"]!.post as { requestBody: { content: { "application/json": { schema: { required: string[]; properties: object } } } } };
    expect(login.requestBody.content["application/json"].schema.required.sort()).toEqual(["email", "password"]);
    const rule = doc.paths["/api/alerts"]!.post as { requestBody: { content: { "application/json": { schema: { required: string[]; properties: Record<string, { enum?: string[] }> } } } } };
    expect(rule.requestBody.content["application/json"].schema.properties.kind!.enum).toEqual(["threshold", "hostDown", "drift", "serviceFailed", "containerDown", "processMissing"]);
    // forSeconds has a default: a client may leave it out.
    expect(rule.requestBody.content["application/json"].schema.required).not.toContain("forSeconds");
  });

  it("holds only schemas a JSON Schema 2020-12 validator compiles", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: "doc", components: doc.components }, "doc");
    for (const { key, op } of operations) {
      for (const [status, reply] of Object.entries(op.responses)) {
        const schema = reply.content?.["application/json"]?.schema;
        if (schema) expect(() => ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"doc#/components'))), `${key} ${status}`).not.toThrow();
      }
    }
  });
});
