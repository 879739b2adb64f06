/**
 * A real OpenID Provider for tests: the certified `oidc-provider` package on a free port, with
 * one confidential client and a few accounts. Its login page (the "interaction") is a plain
 * form: type an account's username and press "Continue"; consent is granted for the
 * first-party client, as a company IdP does for its own apps.
 */
import http from "node:http";
import Provider, { type Configuration } from "oidc-provider";
import { freePort } from "./server";

export type TestAccount = { sub: string; email: string; email_verified: boolean; name: string; groups: string[] };

export type TestProvider = { issuer: string; port: number; clientId: string; clientSecret: string; stop(): Promise<void> };

const SCOPES = "openid email profile";

function page(body: string) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test IdP</title>
<style>body{font-family:sans-serif;background:#eef1f6;display:flex;justify-content:center;padding-top:80px}
form{background:#fff;padding:24px 28px;border-radius:8px;box-shadow:0 4px 16px #0002;width:320px}
h1{font-size:18px;margin:0 0 16px}label{display:block;margin-bottom:12px}input{width:100%;padding:6px;box-sizing:border-box}
button{padding:8px 14px;background:#334;color:#fff;border:0;border-radius:4px}</style></head><body>${body}</body></html>`;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startTestProvider(opts: { accounts: TestAccount[]; redirectUri: string; port?: number }): Promise<TestProvider> {
  const port = opts.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "infra-watch-test";
  const clientSecret = "test-client-secret-" + Math.random().toString(36).slice(2);
  const byUsername = new Map(opts.accounts.map((a) => [a.sub, a]));

  const configuration: Configuration = {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [opts.redirectUri], grant_types: ["authorization_code"], response_types: ["code"] }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    // The claims go into the ID token (as Keycloak and Google put email there): next-auth reads the ID token.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["test-cookie-key-0123456789abcdef"] },
    async findAccount(_ctx, sub) {
      const account = byUsername.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ ...account }) };
    },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const handleProvider = provider.callback();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    // Browsers ask every origin for one; a 404 would be a console error in the page tests.
    if (url.pathname === "/favicon.ico") return void res.writeHead(204).end();
    const match = url.pathname.match(/^\/interaction\/([\w-]+)(\/login)?$/);
    if (!match) return handleProvider(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === "POST" && match[2]) {
        let body = "";
        for await (const chunk of req) body += chunk;
        const username = new URLSearchParams(body).get("username") ?? "";
        if (!byUsername.has(username)) {
          res.writeHead(200, { "content-type": "text/html" }).end(page(`<form method="post" action="/interaction/${details.uid}/login"><h1>Test IdP</h1><p>Unknown user.</p><label>Username <input name="username" autofocus></label><button>Continue</button></form>`));
          return;
        }
        await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
        return;
      }
      const client = escape(String(details.params.client_id ?? ""));
      res.writeHead(200, { "content-type": "text/html" }).end(
        page(`<form method="post" action="/interaction/${details.uid}/login"><h1>Test IdP</h1><p>Sign in to continue to ${client}.</p><label>Username <input name="username" autofocus></label><button>Continue</button></form>`),
      );
    } catch (err) {
      res.writeHead(400, { "content-type": "text/plain" }).end(`interaction failed: ${(err as Error).message}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer,
    port,
    clientId,
    clientSecret,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
