import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SampleContainersSchema, SnapshotContainersSchema } from "../../lib/protocol/containers";
import { ContainerWatch, findSocket } from "./containers";

/**
 * The real Engine API of podman (`podman system service`), with an image imported from a tiny
 * rootfs and two containers created from it. Containers cannot start in this sandbox (crun is
 * refused setrlimit), so they stay `created`; stats of running containers are covered by the
 * recorded answers in containers.test.ts.
 */
const run = promisify(execFile);
const PODMAN = ["/usr/bin/podman", "/usr/local/bin/podman"].find((p) => existsSync(p));
const suffix = randomBytes(4).toString("hex");
const names = [`iw-test-a-${suffix}`, `iw-test-b-${suffix}`];
const image = `localhost/iw-test-${suffix}:1`;

if (!PODMAN) console.warn("containers-podman.test.ts: podman is not installed, so the real Engine API tests are skipped");

describe.skipIf(!PODMAN)("containers through podman's Engine API", () => {
  let dir = "";
  let service: ChildProcess | undefined;
  let socket = "";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "iw-podman-"));
    await mkdir(path.join(dir, "rootfs/bin"), { recursive: true });
    await writeFile(path.join(dir, "rootfs/bin/placeholder"), "a file so the layer is not empty\n");
    await run("tar", ["-C", path.join(dir, "rootfs"), "-cf", path.join(dir, "rootfs.tar"), "."]);
    await run(PODMAN!, ["import", path.join(dir, "rootfs.tar"), image]);
    await run(PODMAN!, ["create", "--name", names[0]!, image, "/bin/placeholder"]);
    await run(PODMAN!, ["create", "--name", names[1]!, "--health-cmd", "/bin/placeholder", image, "/bin/placeholder"]);
    socket = path.join(dir, "podman.sock");
    service = spawn(PODMAN!, ["system", "service", "--time=0", `unix://${socket}`], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(await findSocket([socket])); i++) await new Promise((r) => setTimeout(r, 100));
  }, 120_000);

  afterAll(async () => {
    service?.kill();
    if (PODMAN) {
      await run(PODMAN, ["rm", "-f", ...names]).catch(() => undefined);
      await run(PODMAN, ["rmi", "-f", image]).catch(() => undefined);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("lists the created containers with their image and state for the snapshot", async () => {
    const watch = new ContainerWatch({ socket, oneShot: true });
    const ours = (await watch.list()).filter((c) => names.includes(c.name));
    expect(ours.map(({ name, image: i, state, health }) => ({ name, image: i, state, health }))).toEqual([
      { name: names[0], image, state: "created", health: undefined },
      { name: names[1], image, state: "created", health: undefined },
    ]);
    expect(SnapshotContainersSchema.safeParse(ours).success).toBe(true);
  }, 30_000);

  it("samples them: inspect's state and restart count, no stats for containers that are not running", async () => {
    const ours = (await new ContainerWatch({ socket, oneShot: true }).sample()).filter((c) => names.includes(c.name));
    expect(ours).toHaveLength(2);
    for (const c of ours) {
      expect(c).toMatchObject({ state: "created", restartCount: 0, image });
      expect(c.cpuPct).toBeUndefined();
      expect(c.memBytes).toBeUndefined();
    }
    expect(SampleContainersSchema.safeParse(ours).success).toBe(true);
  }, 30_000);
});
