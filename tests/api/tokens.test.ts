/** Forged and stale access tokens are refused with 401, whatever they claim. */
import fs from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { AUDIENCE, ISSUER, deriveKey } from "@/lib/auth/tokens";
import { adminLogin, api, userWithRole } from "../helpers/api";

const a = api();
let viewer: { accessToken: string; id: string };
let secret: string;

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

beforeAll(async () => {
  const admin = (await adminLogin(a)).accessToken;
  viewer = await userWithRole(a, admin, "viewer");
  // The server's signing secret: from the test harness (PostgreSQL) or the embedded data directory.
  secret = inject("databaseUrl") ? "test-auth-secret-0123456789abcdef0123456789" : fs.readFileSync(path.join(inject("dataDir"), "auth-secret"), "utf8").trim();
});

function sign(claims: Record<string, unknown>, opts: { key?: Uint8Array; exp?: number; aud?: string; iss?: string; alg?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: "admin", ...claims })
    .setProtectedHeader({ alg: opts.alg ?? "HS256" })
    .setSubject(viewer.id)
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setIssuedAt(now - 60)
    .setExpirationTime(opts.exp ?? now + 600)
    .setJti("forged")
    .sign(opts.key ?? deriveKey(secret, "access-token"));
}

const usersAs = (token: string) => a.get("/api/users", token);

describe("forged access tokens", () => {
  it("the genuine token works for what the role allows and no more", async () => {
    expect((await a.get("/api/hosts", viewer.accessToken)).status).toBe(200);
    expect((await usersAs(viewer.accessToken)).status).toBe(403);
  });

  it("a payload edited to a higher role keeps the old signature and is refused", async () => {
    const [h, p, s] = viewer.accessToken.split(".") as [string, string, string];
    const edited = `${h}.${b64({ ...decode(p), role: "admin" })}.${s}`;
    expect((await usersAs(edited)).status).toBe(401);
  });

  it("a bad signature is refused", async () => {
    const [h, p] = viewer.accessToken.split(".");
    expect((await usersAs(`${h}.${p}.${Buffer.from("nope").toString("base64url")}`)).status).toBe(401);
  });

  it("alg none is refused", async () => {
    const [, p] = viewer.accessToken.split(".") as [string, string];
    const none = `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...decode(p), role: "admin" })}.`;
    expect((await usersAs(none)).status).toBe(401);
  });

  it("a token signed with another key is refused", async () => {
    expect((await usersAs(await sign({}, { key: deriveKey("some-other-secret-entirely-0123456789", "access-token") }))).status).toBe(401);
    // The right secret but the session cookie's key material, not the access-token key.
    expect((await usersAs(await sign({}, { key: new TextEncoder().encode(secret) }))).status).toBe(401);
  });

  it("another algorithm with the right key is refused (algorithm pinned)", async () => {
    expect((await usersAs(await sign({}, { alg: "HS512" }))).status).toBe(401);
  });

  it("expired, wrong audience and wrong issuer are refused", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await usersAs(await sign({}, { exp: now - 5 }))).status).toBe(401);
    expect((await usersAs(await sign({}, { aud: "someone-else" }))).status).toBe(401);
    expect((await usersAs(await sign({}, { iss: "someone-else" }))).status).toBe(401);
  });

  it("a correctly signed token still only carries the role stored for the user", async () => {
    // Signed with the real key and claiming admin: the guard reads the role from the database.
    const token = await sign({ role: "admin" });
    expect((await usersAs(token)).status).toBe(403);
  });

  it("garbage in the Authorization header is 401, not 500", async () => {
    for (const header of ["Bearer", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "Bearer " + "x".repeat(5000), "Bearer iwr_refresh-not-access"]) {
      const r = await a.call("GET", "/api/users", { headers: { authorization: header } });
      expect(r.status).toBe(401);
    }
  });
});
