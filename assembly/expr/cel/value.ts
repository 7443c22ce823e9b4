/**
 * CEL values as the engine evaluates them. The subset keeps what attribute
 * expressions need: null, bool, int (CEL int and uint, and Envoy's durations
 * and timestamps, which arrive as int64 nanoseconds), string (also bytes),
 * maps with string keys (header maps, metadata) and lists. An evaluation
 * problem is a value too (kind Error), so it propagates instead of trapping.
 */
export const enum CelKind { Null = 0, Bool = 1, Int = 2, String = 3, Map = 4, List = 5, Error = 6 }

export class CelValue {
  constructor(
    readonly kind: CelKind,
    readonly int: i64 = 0,
    /** String value, or the message of an Error. */
    readonly text: string = "",
    /** Map keys (maps only). */
    readonly keys: string[] | null = null,
    /** Map values parallel to keys, or list items. */
    readonly items: CelValue[] | null = null,
  ) {}

  get isError(): bool { return this.kind == CelKind.Error; }

  static ofBool(value: bool): CelValue { return value ? TRUE : FALSE; }
  static ofInt(value: i64): CelValue { return new CelValue(CelKind.Int, value); }
  static ofString(value: string): CelValue { return new CelValue(CelKind.String, 0, value); }
  static ofMap(keys: string[], values: CelValue[]): CelValue { return new CelValue(CelKind.Map, 0, "", keys, values); }
  static ofList(items: CelValue[]): CelValue { return new CelValue(CelKind.List, 0, "", null, items); }
  static error(message: string): CelValue { return new CelValue(CelKind.Error, 0, message); }

  /** Number of entries of a map or list, characters (code points) of a string; -1 otherwise. */
  size(): i64 {
    if (this.kind == CelKind.Map || this.kind == CelKind.List) return this.items!.length;
    if (this.kind != CelKind.String) return -1;
    const text = this.text;
    let count: i64 = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const unit = text.charCodeAt(i);
      // A low surrogate completes a pair already counted.
      if (unit < 0xDC00 || unit > 0xDFFF) count++;
    }
    return count;
  }

  /** Map value for `key`, or null when absent (or not a map). */
  get(key: string): CelValue | null {
    const keys = this.keys;
    if (keys === null) return null;
    for (let i = 0, n = keys.length; i < n; i++) if (unchecked(keys[i]) == key) return unchecked(this.items![i]);
    return null;
  }

  /**
   * Text form used for metric dimensions, like Envoy's `Expr::print`: strings
   * as is, ints in decimal, bools as true/false; null for maps, lists and errors.
   */
  print(): string | null {
    switch (this.kind) {
      case CelKind.String: return this.text;
      case CelKind.Int: return this.int.toString();
      case CelKind.Bool: return this.int != 0 ? "true" : "false";
      case CelKind.Null: return "null";
    }
    return null;
  }
}

export const NULL = new CelValue(CelKind.Null);
export const TRUE = new CelValue(CelKind.Bool, 1);
export const FALSE = new CelValue(CelKind.Bool, 0);
