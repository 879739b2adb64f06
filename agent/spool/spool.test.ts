import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Spool } from "./spool";

const tempDir = () => mkdtemp(path.join(os.tmpdir(), "iw-spool-"));
const sample = (second: number) => ({ ts: new Date(Date.UTC(2026, 11, 1, 0, 0, second)).toISOString(), cpuPct: second });

describe("Spool", () => {
  it("returns samples oldest first and forgets them only when removed", async () => {
    const spool = await Spool.open(await tempDir(), 1 << 20);
    for (const s of [3, 1, 2]) await spool.append(sample(s));
    const batch = await spool.peek(10, 1 << 20);
    expect(batch.map((b) => (JSON.parse(b.json) as { cpuPct: number }).cpuPct)).toEqual([1, 2, 3]);
    expect(spool.depth).toBe(3);
    await spool.remove(batch.slice(0, 2).map((b) => b.name));
    expect(spool.depth).toBe(1);
  });

  it("survives a restart: what was appended is there when reopened, stray temp files are cleared", async () => {
    const dir = await tempDir();
    const first = await Spool.open(dir, 1 << 20);
    await first.append(sample(1));
    await first.append(sample(2));
    await writeFile(path.join(dir, "0000000000000-1-000000.sample.1.tmp"), "{half");
    const reopened = await Spool.open(dir, 1 << 20);
    expect(reopened.depth).toBe(2);
    expect((await readdir(dir)).some((n) => n.endsWith(".tmp"))).toBe(false);
  });

  it("drops the oldest samples beyond the size bound and keeps the count until acknowledged", async () => {
    const dir = await tempDir();
    const one = Buffer.byteLength(JSON.stringify(sample(10)));
    const spool = await Spool.open(dir, one * 3);
    let dropped = 0;
    for (let s = 10; s < 15; s++) dropped += await spool.append(sample(s));
    expect(dropped).toBe(2);
    expect((await spool.peek(10, 1 << 20)).map((b) => (JSON.parse(b.json) as { cpuPct: number }).cpuPct)).toEqual([12, 13, 14]);
    expect((await Spool.open(dir, one * 3)).dropped).toBe(2);
    await spool.acknowledgeDropped(2);
    expect((await Spool.open(dir, one * 3)).dropped).toBe(0);
  });

  it("limits a batch by count and by bytes", async () => {
    const spool = await Spool.open(await tempDir(), 1 << 20);
    for (let s = 0; s < 10; s++) await spool.append(sample(s));
    expect(await spool.peek(4, 1 << 20)).toHaveLength(4);
    const one = Buffer.byteLength(JSON.stringify(sample(0)));
    expect(await spool.peek(100, one * 2 + 2)).toHaveLength(2);
  });

  it("discards an unreadable sample file as dropped instead of blocking behind it", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "0000000000001-1-000000.sample"), "{not json");
    const spool = await Spool.open(dir, 1 << 20);
    await spool.append(sample(5));
    expect(await spool.peek(10, 1 << 20)).toHaveLength(1);
    expect(spool.dropped).toBe(1);
    expect(spool.depth).toBe(1);
  });

  it("skips a file another agent process already delivered", async () => {
    const dir = await tempDir();
    const a = await Spool.open(dir, 1 << 20);
    await a.append(sample(1));
    await a.append(sample(2));
    const b = await Spool.open(dir, 1 << 20);
    await b.remove([(await b.peek(1, 1 << 20))[0]!.name]);
    expect((await a.peek(10, 1 << 20)).map((x) => (JSON.parse(x.json) as { cpuPct: number }).cpuPct)).toEqual([2]);
    expect(a.dropped).toBe(0);
  });
});
