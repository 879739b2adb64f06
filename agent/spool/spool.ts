import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { open, rename, writeFile } from "node:fs/promises";
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

export async function fsyncDir(dir: string) {
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

/** Name order is time order; pid and sequence keep two agent processes from colliding. */
export const sampleFileName = (ts: string, pid: number, seq: number) =>
  `${String(Date.parse(ts)).padStart(13, "0")}-${pid}-${String(seq).padStart(6, "0")}${SUFFIX}`;

/**
 * Reads, stats and deletes of spool files are synchronous: they are small local files, and
 * after a long outage there are ~100k of them; the promise API's per-call objects would cost
 * the agent more memory and CPU during a replay than the samples themselves.
 */
const readIfThere = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};
const sizeIfThere = (file: string) => statSync(file, { throwIfNoEntry: false })?.size;

export class Spool {
  private seq = 0;
  private totalBytes: number;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
    private entries: SpoolEntry[],
    private droppedCount: number,
  ) {
    this.totalBytes = entries.reduce((sum, e) => sum + e.bytes, 0);
  }

  static async open(dir: string, maxBytes: number): Promise<Spool> {
    await makeDir(dir);
    const names = readdirSync(dir);
    for (const n of names) if (n.endsWith(".tmp")) rmSync(path.join(dir, n), { force: true });
    const entries: SpoolEntry[] = [];
    for (const name of names.filter((n) => n.endsWith(SUFFIX)).sort()) {
      const bytes = sizeIfThere(path.join(dir, name));
      if (bytes !== undefined) entries.push({ name, bytes });
    }
    const dropped = Number(readIfThere(path.join(dir, DROPPED_FILE)) ?? "0") || 0;
    return new Spool(dir, maxBytes, entries, dropped);
  }

  get depth(): number {
    return this.entries.length;
  }

  /** When the oldest waiting sample was taken (file names start with its epoch milliseconds). */
  get oldestAt(): Date | undefined {
    const first = this.entries[0];
    return first ? new Date(Number(first.name.slice(0, 13))) : undefined;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Samples lost to the size bound (or unreadable) and not yet reported to the server. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Durably stores one sample; returns how many old samples had to go to stay within the bound. */
  async append(sample: { ts: string }): Promise<number> {
    const data = JSON.stringify(sample);
    const name = sampleFileName(sample.ts, process.pid, this.seq++);
    await writeDurably(path.join(this.dir, name), data);
    this.insert({ name, bytes: Buffer.byteLength(data) });
    return this.enforceBound();
  }

  private insert(entry: SpoolEntry) {
    this.totalBytes += entry.bytes;
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
   * The oldest samples as the JSON text they were stored as (sending them on unparsed keeps
   * a replay of thousands of samples from filling the heap), at most `limit` of them and
   * about `maxBytes`. A file that vanished (another agent process delivered it) is skipped;
   * one that is not a JSON object is deleted and counted as dropped, since it can never be
   * delivered. Subtler damage makes the server refuse the batch, which the sender narrows down.
   */
  async peek(limit: number, maxBytes: number): Promise<Array<{ name: string; json: string }>> {
    const batch: Array<{ name: string; json: string }> = [];
    const gone: string[] = [];
    const corrupt: string[] = [];
    let bytes = 0;
    for (const entry of this.entries) {
      if (batch.length >= limit || (batch.length > 0 && bytes + entry.bytes > maxBytes)) break;
      const text = readIfThere(path.join(this.dir, entry.name))?.trim();
      if (text === undefined) gone.push(entry.name);
      else if (!text.startsWith("{") || !text.endsWith("}")) corrupt.push(entry.name);
      else {
        batch.push({ name: entry.name, json: text });
        bytes += entry.bytes + 1;
      }
    }
    if (gone.length || corrupt.length) await this.remove([...gone, ...corrupt]);
    if (corrupt.length) await this.addDropped(corrupt.length);
    return batch;
  }

  async remove(names: string[]) {
    const doomed = new Set(names);
    for (const n of names) rmSync(path.join(this.dir, n), { force: true });
    this.entries = this.entries.filter((e) => {
      if (!doomed.has(e.name)) return true;
      this.totalBytes -= e.bytes;
      return false;
    });
  }
}
