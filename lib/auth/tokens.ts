/**
 * Access tokens: short-lived JWTs (HS256 pinned, issuer and audience checked).
 * Opaque tokens (refresh, agent, enrollment): random, prefixed so they are recognisable in
 * logs and secret scanners, and stored only as SHA-256 hashes.
 */
import { createHash, hkdfSync, randomBytes, randomUUID } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { ROLES, type Role } from "@/lib/protocol";

export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const REFRESH_TOKEN_TTL_S = 30 * 24 * 3600;
export const ISSUER = "infra-watch";
export const AUDIENCE = "infra-watch-api";

/** `api`: a user's API token (lib/auth/api-tokens.ts); never accepted where an agent token is, nor the reverse. */
export const TOKEN_PREFIX = { refresh: "iwr_", agent: "iwa_", enrollment: "iwe_", api: "iwk_" } as const;

/** Separate key material per use, so the access-token key is not the session cookie key. */
export function deriveKey(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, "infra-watch", purpose, 32));
}

export async function signAccessToken(user: { id: string; role: Role }, secret: string, nowS = Math.floor(Date.now() / 1000)) {
  return new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + ACCESS_TOKEN_TTL_S)
    .setJti(randomUUID())
    .sign(deriveKey(secret, "access-token"));
}

export type AccessClaims = { sub: string; role: Role; jti: string; iat: number };

/** Returns the claims, or null for any invalid, forged or expired token. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, deriveKey(secret, "access-token"), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || typeof payload.jti !== "string" || !ROLES.includes(payload.role as Role)) return null;
    if (typeof payload.iat !== "number") return null;
    return { sub: payload.sub, role: payload.role as Role, jti: payload.jti, iat: payload.iat };
  } catch (err) {
    if (err instanceof joseErrors.JOSEError) return null;
    throw err;
  }
}

export const newOpaqueToken = (kind: keyof typeof TOKEN_PREFIX) => TOKEN_PREFIX[kind] + randomBytes(32).toString("base64url");
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
export const looksLikeJwt = (token: string) => token.split(".").length === 3;
