import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http";
import { ARCHES, agentFile, agentSha256, type Arch } from "./agent-file";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Public: the install script downloads the agent before it has any credentials.
 * `?arch=x64&sha256` answers the executable's checksum instead, in sha256sum's format, which
 * the script checks the download against; the download carries it as `x-checksum-sha256` too.
 */
export const GET = route("GET /api/agent/download", async ({ req }) => {
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
    return new Response(`${digest.sha256}  ${name}\n`, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  }
  const file = agentFile(arch as Arch);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw notBuilt();
  const digest = await agentSha256(arch as Arch);
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(info.size),
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "no-store",
      ...(digest ? { "x-checksum-sha256": digest.sha256 } : {}),
    },
  });
});
