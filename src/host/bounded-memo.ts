/**
 * A memo for what the host derives from strings that clients choose (header
 * names, short values): bounded, and when full it starts over, which costs
 * only deriving the values again.
 */
export class BoundedMemo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly limit: number, private readonly derive: (key: string) => V) {}

  /** The value derived from `key`, derived now if not remembered. */
  get(key: string): V {
    let value = this.values.get(key);
    if (value === undefined) {
      if (this.values.size >= this.limit) this.values.clear();
      value = this.derive(key);
      this.values.set(key, value);
    }
    return value;
  }
}
