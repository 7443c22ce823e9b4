/**
 * A sparse set of instruction indices (Briggs & Torczon): O(1) insert,
 * membership and clear, with no allocation after construction.
 */
export class ThreadList {
  readonly dense: StaticArray<i32>;
  private readonly sparse: StaticArray<i32>;
  size: i32 = 0;

  constructor(capacity: i32) {
    this.dense = new StaticArray<i32>(capacity);
    this.sparse = new StaticArray<i32>(capacity);
  }

  // @ts-ignore: decorator
  @inline contains(pc: i32): bool {
    const slot = unchecked(this.sparse[pc]);
    return slot < this.size && unchecked(this.dense[slot]) == pc;
  }

  // @ts-ignore: decorator
  @inline add(pc: i32): void {
    unchecked(this.sparse[pc] = this.size);
    unchecked(this.dense[this.size] = pc);
    this.size++;
  }

  // @ts-ignore: decorator
  @inline clear(): void {
    this.size = 0;
  }
}
