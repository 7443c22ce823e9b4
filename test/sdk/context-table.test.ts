// assembly/sdk/context-table.ts: the SDK's table of live contexts, driven directly through the
// test/modules/sdk-context-table harness and checked against a JS Map.
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { testModule } from "./module-path.js";

interface TableExports {
  set(id: number, tag: number): void;
  find(id: number): bigint;
  remove(id: number): number;
  size(): number;
  capacity(): number;
  overflowSize(): number;
  collect(): void;
}

const MIN_CAPACITY = 128;
const wasmModule = new WebAssembly.Module(readFileSync(testModule("sdk-context-table")));

function instantiate(): TableExports {
  const env: Record<string, () => number> = {};
  for (const imported of WebAssembly.Module.imports(wasmModule)) env[imported.name] = () => 0;
  const exports = new WebAssembly.Instance(wasmModule, { env }).exports as unknown as TableExports & { _initialize?: () => void };
  exports._initialize?.();
  return exports;
}

/** Deterministic pseudo-random u32s (xorshift32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
  };
}

let table: TableExports;
beforeEach(() => { table = instantiate(); });

function expectMatches(reference: Map<number, number>, probes: Iterable<number>): void {
  for (const id of probes) expect(table.find(id), `id ${id}`).toBe(BigInt(reference.get(id) ?? -1));
  expect(table.size()).toBe(reference.size);
}

describe("context table", () => {
  it("finds, replaces and forgets contexts, any u32 id included", () => {
    for (const id of [0, 1, 2, 127, 128, 0x7fffffff, 0x80000000, 0xffffffff]) table.set(id, id % 1000);
    expect(table.find(0)).toBe(0n);
    expect(table.find(0xffffffff)).toBe(BigInt(0xffffffff % 1000));
    expect(table.find(3)).toBe(-1n);
    expect(table.size()).toBe(8);
    table.set(128, 7);
    expect(table.find(128)).toBe(7n);
    expect(table.find(0)).toBe(0n);
    expect(table.size()).toBe(8);
    expect(table.remove(0)).toBe(1);
    expect(table.remove(0)).toBe(0);
    expect(table.find(0)).toBe(-1n);
    expect(table.find(128)).toBe(7n);
    expect(table.remove(12345)).toBe(0);
    expect(table.size()).toBe(7);
  });

  it("keeps ids that share a slot apart, whichever of them goes first", () => {
    const ids = [5, 5 + MIN_CAPACITY, 5 + 2 * MIN_CAPACITY, 5 + 1024 * MIN_CAPACITY];
    ids.forEach((id, i) => table.set(id, i + 1));
    expect(table.overflowSize()).toBe(3);
    expect(ids.map((id) => table.find(id))).toEqual([1n, 2n, 3n, 4n]);
    table.remove(5);
    expect(ids.map((id) => table.find(id))).toEqual([-1n, 2n, 3n, 4n]);
    // The slot is free now, but the id already in the overflow must not appear twice.
    table.set(5 + MIN_CAPACITY, 20);
    expect(table.find(5 + MIN_CAPACITY)).toBe(20n);
    expect(table.size()).toBe(3);
    table.remove(5 + MIN_CAPACITY);
    expect(table.find(5 + MIN_CAPACITY)).toBe(-1n);
    table.set(5, 10);
    expect(ids.map((id) => table.find(id))).toEqual([10n, -1n, 3n, 4n]);
  });

  it("follows a moving window of consecutive ids past a long-lived context, growing with it", () => {
    const reference = new Map<number, number>([[1, 1]]);
    table.set(1, 1);
    const window = 3000;
    for (let id = 2; id < 20_000; id++) {
      table.set(id, id);
      reference.set(id, id);
      const old = id - window;
      if (old >= 2) {
        expect(table.remove(old)).toBe(1);
        reference.delete(old);
      }
      if (id % 997 === 0) expectMatches(reference, [1, id, old, old + 1, id + 1]);
    }
    expectMatches(reference, [...reference.keys(), 0, 20_000, 16_999]);
    // The array outgrew the window, so only the odd collision is left overflowing.
    expect(table.capacity()).toBe(4096);
    expect(table.overflowSize()).toBeLessThan(64);
    for (const id of [...reference.keys()]) {
      table.remove(id);
      reference.delete(id);
    }
    expect(table.size()).toBe(0);
    expect(table.capacity()).toBe(MIN_CAPACITY);
  });

  it("agrees with a Map under random out-of-order creation and deletion", () => {
    const next = random(0x5eed);
    const reference = new Map<number, number>();
    let sequential = 1;
    const pick = (): number => {
      switch (next() % 5) {
        case 0: return next();
        case 1: return (next() % 64) * MIN_CAPACITY;
        case 2: return (next() % 16) * 0x10000 + 3;
        case 3: return [0, 0xffffffff, 0x80000000][next() % 3]!;
        default: return sequential++;
      }
    };
    const live: number[] = [];
    for (let step = 0; step < 40_000; step++) {
      const op = next() % 10;
      if (op < 5 || live.length === 0) {
        const id = pick();
        const tag = next() % 1_000_000;
        if (!reference.has(id)) live.push(id);
        reference.set(id, tag);
        table.set(id, tag);
      } else if (op < 9) {
        const at = next() % live.length;
        const id = live[at]!;
        live[at] = live[live.length - 1]!;
        live.pop();
        reference.delete(id);
        expect(table.remove(id)).toBe(1);
      } else {
        const id = pick();
        expect(table.remove(id)).toBe(reference.delete(id) ? 1 : 0);
        const at = live.indexOf(id);
        if (at >= 0) { live[at] = live[live.length - 1]!; live.pop(); }
      }
      if (step % 4000 === 0) expectMatches(reference, live.slice(0, 200));
    }
    expectMatches(reference, [...live, 0, 1, 0xffffffff, 12345]);
  });

  it("stays bounded when ids collide by pattern rather than by number", () => {
    const count = 2000;
    for (let i = 0; i < count; i++) table.set(i * 0x100000, i);
    for (let i = 0; i < count; i++) expect(table.find(i * 0x100000)).toBe(BigInt(i));
    expect(table.capacity()).toBeLessThanOrEqual(8 * count);
    for (let i = 0; i < count; i++) table.remove(i * 0x100000);
    expect(table.size()).toBe(0);
    expect(table.capacity()).toBe(MIN_CAPACITY);
  });

  it("keeps its contexts alive through garbage collections", () => {
    const reference = new Map<number, number>();
    for (let id = 1; id <= 3000; id++) {
      const spread = id % 3 === 0 ? id * MIN_CAPACITY : id;
      table.set(spread, id);
      reference.set(spread, id);
      if (id % 500 === 0) table.collect();
    }
    table.collect();
    table.collect();
    expectMatches(reference, reference.keys());
  });
});
