import { open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { makeDir } from "../make-dir";

/**
 * The on-disk queue between collection and delivery: one file per sample, written and fsynced
 * (file and directory) before anyone tries to send it, deleted only after the server said 202.
 * A kill at any moment leaves either a complete sample file or a stray temp file, never a
 * half-written sample; a sample sent but not yet deleted is sent again, which the server counts
 * as a duplicate.
 *
 * Files are named `<epoch ms, 13 digits>-<pid>-<seq>.sample`, so name order is time order.
 * The size bound counts file contents; when it is exceeded the oldest samples go first and
 * are counted in `dropped`, which is kept on disk until a batch reporting it is delivered.
 */
export interface SpoolEntry {
  name: string;
  bytes: number;
}

const SUFFIX = ".sample";
const DROPPED_FILE = "dropped.count";

async function fsyncDir(dir: string) {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeDurably(file: string, data: string) {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, "w", 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

export class Spool {
  private seq = 0;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
    private entries: SpoolEntry[],
    private droppedCount: number,
  ) {}

  static async open(dir: string, maxBytes: number): Promise<Spool> {
    await makeDir(dir);
    const names = await readdir(dir);
    await Promise.all(names.filter((n) => n.endsWith(".tmp")).map((n) => rm(path.join(dir, n), { force: true })));
    const entries = await Promise.all(
      names
        .filter((n) => n.endsWith(SUFFIX))
        .sort()
        .map(async (name) => ({ name, bytes: (await stat(path.join(dir, name)).catch(() => undefined))?.size ?? -1 })),
    );
    const dropped = Number(await readFile(path.join(dir, DROPPED_FILE), "utf8").catch(() => "0")) || 0;
    return new Spool(dir, maxBytes, entries.filter((e) => e.bytes >= 0), dropped);
  }

  get depth(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.entries.reduce((sum, e) => sum + e.bytes, 0);
  }

  /** Samples lost to the size bound (or unreadable) and not yet reported to the server. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Durably stores one sample; returns how many old samples had to go to stay within the bound. */
  async append(sample: { ts: string }): Promise<number> {
    const data = JSON.stringify(sample);
    const name = `${String(Date.parse(sample.ts)).padStart(13, "0")}-${process.pid}-${String(this.seq++).padStart(6, "0")}${SUFFIX}`;
    await writeDurably(path.join(this.dir, name), data);
    this.insert({ name, bytes: Buffer.byteLength(data) });
    return this.enforceBound();
  }

  private insert(entry: SpoolEntry) {
    const last = this.entries.at(-1);
    if (!last || last.name < entry.name) this.entries.push(entry);
    else {
      this.entries.push(entry);
      this.entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    }
  }

  private async enforceBound(): Promise<number> {
    let total = this.bytes;
    const victims: SpoolEntry[] = [];
    while (total > this.maxBytes && this.entries.length - victims.length > 1) {
      const oldest = this.entries[victims.length]!;
      victims.push(oldest);
      total -= oldest.bytes;
    }
    if (victims.length === 0) return 0;
    await this.remove(victims.map((v) => v.name));
    await this.addDropped(victims.length);
    return victims.length;
  }

  /** Removes samples that can never be delivered and counts them as dropped. */
  async discard(names: string[]) {
    await this.remove(names);
    await this.addDropped(names.length);
  }

  private async addDropped(n: number) {
    this.droppedCount += n;
    await writeFile(path.join(this.dir, DROPPED_FILE), String(this.droppedCount), { mode: 0o600 });
  }

  /** The server was told about `n` dropped samples. */
  async acknowledgeDropped(n: number) {
    if (n <= 0) return;
    this.droppedCount = Math.max(0, this.droppedCount - n);
    await writeFile(path.join(this.dir, DROPPED_FILE), String(this.droppedCount), { mode: 0o600 });
  }

  /**
   * The oldest samples, at most `limit` of them and about `maxBytes` of JSON. A file that
   * vanished (another agent process delivered it) is skipped; one that cannot be parsed is
   * deleted and counted as dropped, since it can never be delivered.
   */
  async peek(limit: number, maxBytes: number): Promise<Array<{ name: string; sample: unknown }>> {
    const batch: Array<{ name: string; sample: unknown }> = [];
    const gone: string[] = [];
    const corrupt: string[] = [];
    let bytes = 0;
    for (const entry of this.entries) {
      if (batch.length >= limit || (batch.length > 0 && bytes + entry.bytes > maxBytes)) break;
      const text = await readFile(path.join(this.dir, entry.name), "utf8").catch(() => undefined);
      if (text === undefined) {
        gone.push(entry.name);
        continue;
      }
      try {
        batch.push({ name: entry.name, sample: JSON.parse(text) });
        bytes += entry.bytes + 1;
      } catch {
        corrupt.push(entry.name);
      }
    }
    if (gone.length || corrupt.length) await this.remove([...gone, ...corrupt]);
    if (corrupt.length) await this.addDropped(corrupt.length);
    return batch;
  }

  async remove(names: string[]) {
    const doomed = new Set(names);
    await Promise.all(names.map((n) => rm(path.join(this.dir, n), { force: true })));
    this.entries = this.entries.filter((e) => !doomed.has(e.name));
  }
}
