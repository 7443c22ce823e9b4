// Exposes the SDK's context table (assembly/sdk/context-table.ts) to vitest: each
// stored context carries a tag in its id field, so JS can check what a lookup found.
// context.ts first: through it the SDK's registry builds its own table, which
// needs context-table.ts to be initialized by then, as in every SDK module.
import { Context, ContextKind } from "../../../assembly/sdk/context";
import { ContextTable } from "../../../assembly/sdk/context-table";

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const table = new ContextTable();

/** Stores a new context tagged `tag` under `id`. */
export function set(id: u32, tag: u32): void {
  table.set(id, new Context(tag, ContextKind.Http));
}

/** The tag of the context under `id`, or -1 when there is none. */
export function find(id: u32): i64 {
  const context = table.find(id);
  return context === null ? -1 : <i64>context.id;
}

export function remove(id: u32): bool {
  return table.delete(id);
}

export function size(): i32 { return table.size; }
export function capacity(): i32 { return table.capacity; }
export function overflowSize(): i32 { return table.overflowSize; }

/** Collects garbage and then allocates some, so a context the table failed to keep alive would be overwritten. */
export function collect(): void {
  __collect();
  for (let i = 0; i < 64; i++) new Context(0xdead, ContextKind.Tcp);
}
