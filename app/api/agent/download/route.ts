import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { json, route } from "@/lib/http";
import { ARCHES, agentFile, agentSha256, type Arch } from "@/lib/agent-release/agent-file";
import { agentRelease } from "@/lib/agent-release/releases";
import { signStatement, signingKeyFor } from "@/lib/agent-release/signing-key";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** `Accept-Encoding` lists gzip with a q above 0. */
function acceptsGzip(req: Request): boolean {
  for (const part of (req.headers.get("accept-encoding") ?? "").slice(0, 256).split(",")) {
    const [coding, ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    if (coding !== "gzip") continue;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

const text = (body: string) => new Response(body, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * Public: the install script and self-updating agents download the agent here.
 *   ?arch=x64&sha256     the executable's checksum in sha256sum's format
 *   ?arch=x64&release    the release statement `infra-watch-agent <version> linux-<arch> sha256:<hex>`
 *   ?arch=x64&signature  base64 ed25519 signature of that statement by the server's release key
 * The download carries `x-checksum-sha256` and `x-agent-version` too (of the executable itself),
 * and is sent gzip-compressed (`Content-Encoding: gzip`) to clients that accept it when the build
 * wrote the .gz beside the executable: about a third of the bytes.
 */
export const GET = route("GET /api/agent/download", async ({ req, ctx }) => {
  const params = new URL(req.url).searchParams;
  const arch = params.get("arch") ?? "x64";
  if (!ARCHES.includes(arch as Arch)) {
    return json({ error: `unknown arch "${arch}"`, issues: [{ path: "arch", message: `must be one of ${ARCHES.join(", ")}` }] }, 400);
  }
  const name = `infra-watch-agent-linux-${arch}`;
  const missing = () => json({ error: `the linux-${arch} agent has not been built on this server (npm run build:agent)` }, 404);
  if (params.has("sha256")) {
    const digest = await agentSha256(arch as Arch);
    if (!digest) return missing();
    return text(`${digest.sha256}  ${name}\n`);
  }
  if (params.has("release") || params.has("signature")) {
    const release = await agentRelease(arch as Arch);
    if (!release) return missing();
    if (params.has("release")) return text(release.statement);
    return text(`${signStatement(signingKeyFor({ setting: ctx.env.agentSigningKey, dataDir: ctx.env.dataDir }), release.statement)}\n`);
  }
  const file = agentFile(arch as Arch);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return missing();
  const release = await agentRelease(arch as Arch);
  const digest = release ?? (await agentSha256(arch as Arch));
  const gz = acceptsGzip(req) ? await stat(`${file}.gz`).catch(() => undefined) : undefined;
  // A .gz older than the executable belongs to an earlier build: never serve it.
  const compressed = gz?.isFile() && gz.mtimeMs >= info.mtimeMs ? gz : undefined;
  return new Response(Readable.toWeb(createReadStream(compressed ? `${file}.gz` : file)) as ReadableStream, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(compressed ? compressed.size : info.size),
      ...(compressed ? { "content-encoding": "gzip" } : {}),
      vary: "accept-encoding",
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      ...(digest ? { "x-checksum-sha256": digest.sha256 } : {}),
      ...(release ? { "x-agent-version": release.version } : {}),
    },
  });
});
