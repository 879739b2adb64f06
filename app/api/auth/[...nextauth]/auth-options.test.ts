import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppContext } from "@/lib/context";
import { parseEnv } from "@/lib/env";
import { OIDC_PROVIDER_ID, authOptions } from "./auth-options";

const SECRET = "the-client-secret-value";
const ctx = (env: Record<string, string>) => ({ env: parseEnv(env), secret: "s".repeat(40) }) as unknown as AppContext;
const sso = { IW_OIDC_ISSUER: "https://id.example.test/realms/x", IW_OIDC_CLIENT_ID: "infra-watch", IW_OIDC_CLIENT_SECRET: SECRET, IW_OIDC_NAME: "Keycloak" };

afterEach(() => vi.restoreAllMocks());

describe("authOptions", () => {
  it("has only the password provider without SSO settings", () => {
    expect(authOptions(ctx({}), "127.0.0.1").providers.map((p) => p.id)).toEqual(["credentials"]);
  });

  it("adds the OIDC provider from the issuer's discovery document", () => {
    const oidc = authOptions(ctx(sso), "127.0.0.1").providers.find((p) => p.id === OIDC_PROVIDER_ID) as unknown as Record<string, unknown>;
    expect(oidc).toMatchObject({ type: "oauth", name: "Keycloak", wellKnown: "https://id.example.test/realms/x/.well-known/openid-configuration", idToken: true });
    expect((oidc.options as Record<string, unknown>) ?? oidc).toMatchObject({ clientId: "infra-watch" });
  });

  it("never writes the client secret to the log, whatever an error quotes", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const { logger } = authOptions(ctx(sso), "127.0.0.1");
    logger!.error!("OAUTH_CALLBACK_ERROR", { error: new Error(`invalid_client: client_secret ${SECRET} rejected`), providerId: "oidc", message: `client_secret ${SECRET} rejected` } as never);
    logger!.error!("SIGNIN_OAUTH_ERROR", new Error(`fetch failed for ${SECRET}`) as never);
    const written = spy.mock.calls.flat().join(" ");
    expect(written).toContain("[redacted]");
    expect(written).not.toContain(SECRET);
  });
});
