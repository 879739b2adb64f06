import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { json, route } from "@/lib/http";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const ARCHES = ["x64", "arm64"] as const;

/** `npm run build:agent` writes the executables here; the server only hands them out. */
const agentFile = (arch: string) => path.join(process.cwd(), "dist/agent", `infra-watch-agent-linux-${arch}`);

/** Public: the install script downloads the agent before it has any credentials. */
export const GET = route("GET /api/agent/download", async ({ req }) => {
  const arch = new URL(req.url).searchParams.get("arch") ?? "x64";
  if (!ARCHES.includes(arch as (typeof ARCHES)[number])) {
    return json({ error: `unknown arch "${arch}"`, issues: [{ path: "arch", message: `must be one of ${ARCHES.join(", ")}` }] }, 400);
  }
  const file = agentFile(arch);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return json({ error: `the linux-${arch} agent has not been built on this server (npm run build:agent)` }, 404);
  return new Response(Readable.toWeb(createReadStream(file)) as ReadableStream, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(info.size),
      "content-disposition": `attachment; filename="infra-watch-agent-linux-${arch}"`,
      "cache-control": "no-store",
    },
  });
});
