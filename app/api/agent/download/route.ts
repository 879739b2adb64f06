import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";
import { ARCHES, agentFile, agentSha256, type Arch } from "@/lib/agent-release/agent-file";
import { agentRelease } from "@/lib/agent-release/releases";
import { signStatement, signingKeyFor } from "@/lib/agent-release/signing-key";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const text = (body: string) => new Response(body, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * Public: the install script and self-updating agents download the agent here.
 *   ?arch=x64&sha256     the executable's checksum in sha256sum's format
 *   ?arch=x64&release    the release statement `infra-watch-agent <version> linux-<arch> sha256:<hex>`
 *   ?arch=x64&signature  base64 ed25519 signature of that statement by the server's release key
 *   ?arch=x64&gz         the executable gzip-compressed (application/gzip, about a third of the
 *                        bytes), 404 when the build wrote no .gz; clients inflate it themselves
 *                        (Next drops a route's own Content-Encoding header, so it cannot be that)
 * The download carries `x-checksum-sha256` and `x-agent-version` too (of the executable itself).
 */
export const GET = route("GET /api/agent/download", async ({ req, ctx }) => {
  const params = new URL(req.url).searchParams;
  const arch = params.get("arch") ?? "x64";
  if (!ARCHES.includes(arch as Arch)) {
    throw new AppError("invalid", `unknown arch "${arch}"`, { issues: [{ path: "arch", message: `must be one of ${ARCHES.join(", ")}` }] });
  }
  const name = `infra-watch-agent-linux-${arch}`;
  const notBuilt = () => new AppError("notFound", `the linux-${arch} agent has not been built on this server (npm run build:agent)`);
  if (params.has("sha256")) {
    const digest = await agentSha256(arch as Arch);
    if (!digest) throw notBuilt();
    return text(`${digest.sha256}  ${name}\n`);
  }
  if (params.has("release") || params.has("signature")) {
    const release = await agentRelease(arch as Arch);
    if (!release) throw notBuilt();
    if (params.has("release")) return text(release.statement);
    return text(`${signStatement(signingKeyFor(ctx.env), release.statement)}\n`);
  }
  const file = agentFile(arch as Arch);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw notBuilt();
  const release = await agentRelease(arch as Arch);
  const digest = release ?? (await agentSha256(arch as Arch));
  const gz = params.has("gz") ? await stat(`${file}.gz`).catch(() => undefined) : undefined;
  // A .gz older than the executable belongs to an earlier build: never serve it.
  const compressed = gz?.isFile() && gz.mtimeMs >= info.mtimeMs ? gz : undefined;
  if (params.has("gz") && !compressed) throw new AppError("notFound", `no compressed linux-${arch} agent on this server; download it without gz`);
  return new Response(Readable.toWeb(createReadStream(compressed ? `${file}.gz` : file)) as ReadableStream, {
    headers: {
      "content-type": compressed ? "application/gzip" : "application/octet-stream",
      "content-length": String(compressed ? compressed.size : info.size),
      "content-disposition": `attachment; filename="${name}${compressed ? ".gz" : ""}"`,
      "cache-control": "no-store",
      ...(digest ? { "x-checksum-sha256": digest.sha256 } : {}),
      ...(release ? { "x-agent-version": release.version } : {}),
    },
  });
});
