import { mkdir } from "node:fs/promises";
import path from "node:path";

/**
 * `mkdir -p`. Not fs.mkdir's `recursive`: on Node 20 it spins forever when the kernel answers
 * ENOENT for a parent that exists (e.g. below /proc), and an agent must fail, not hang.
 */
export async function makeDir(dir: string, mode = 0o700): Promise<void> {
  try {
    await mkdir(dir, { mode });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    const parent = path.dirname(dir);
    if (code !== "ENOENT" || parent === dir) throw err;
    await makeDir(parent, mode);
    await mkdir(dir, { mode }).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== "EEXIST") throw again;
    });
  }
}
