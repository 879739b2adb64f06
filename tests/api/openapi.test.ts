/** The served OpenAPI document, and the contract check the other API tests rely on (it must be able to fail). */
import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { adminLogin, api } from "../helpers/api";
import { expectMatchesDocument, matchTemplate } from "../helpers/contract";

const a = api();

describe("GET /api/openapi.json", () => {
  it("is public, JSON, and a valid OpenAPI 3.1 document", async () => {
    const r = await a.get("/api/openapi.json");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    const result = await new Validator().validate(r.body);
    expect(result.errors ?? []).toEqual([]);
    expect(r.body.openapi).toBe("3.1.0");
  });
});

describe("the contract check", () => {
  it("prefers literal path segments over parameters", () => {
    const templates = ["/api/alerts/{id}", "/api/alerts/events", "/api/alerts/events/{id}"];
    expect(matchTemplate(templates, "/api/alerts/events")).toBe("/api/alerts/events");
    expect(matchTemplate(templates, "/api/alerts/abc")).toBe("/api/alerts/{id}");
    expect(matchTemplate(templates, "/api/nope")).toBeUndefined();
  });

  it("accepts a real answer and refuses a tampered one or an undocumented status", async () => {
    const admin = (await adminLogin(a)).accessToken;
    const r = await a.get("/api/users", admin);
    await expectMatchesDocument("GET", "/api/users", r);
    const tampered = { ...r, body: { users: [{ ...r.body.users[0], role: "superuser" }] } };
    await expect(expectMatchesDocument("GET", "/api/users", tampered)).rejects.toThrow(/does not match the document's schema: \/users\/0\/role/);
    const noDate = { ...r, body: { users: [{ ...r.body.users[0], createdAt: "yesterday" }] } };
    await expect(expectMatchesDocument("GET", "/api/users", noDate)).rejects.toThrow(/\/users\/0\/createdAt must match/);
    await expect(expectMatchesDocument("GET", "/api/users", { ...r, status: 418 })).rejects.toThrow(/status not documented/);
    await expect(expectMatchesDocument("PUT", "/api/users", r)).rejects.toThrow(/no PUT/);
  });
});
