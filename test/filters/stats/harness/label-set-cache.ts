// Test harness: drives LabelSetCache directly. Each export returns 0 when its checks pass,
// otherwise the number of the first failed check.
import { LabelSet, LabelSetCache } from "../../../../assembly/filters/stats/label-set-cache";

const LABELS: i32 = 25;
const PLANS: i32 = 12;

/** A fresh label array (fresh strings too) whose label `varying` is `value`. */
function labels(varying: i32, value: i32): string[] {
  const values = new Array<string>(LABELS);
  for (let i = 0; i < LABELS; i++) values[i] = i == varying ? "v" + value.toString() : "label-" + i.toString();
  return values;
}

/** `count` distinct sets (more than the initial buckets, so the table grows), each found again from fresh copies. */
export function distinctSetsStayDistinct(count: i32): i32 {
  const cache = new LabelSetCache(PLANS);
  const entries = new Array<LabelSet>();
  for (let i = 0; i < count; i++) {
    const entry = cache.find(labels(i % LABELS, i), null);
    if (entry.ids.length != PLANS) return 1;
    unchecked(entry.ids[0] = <u32>i + 1);
    entries.push(entry);
  }
  if (cache.size != count) return 2;
  for (let i = count - 1; i >= 0; i--) {
    const entry = cache.find(labels(i % LABELS, i), null);
    if (entry !== entries[i]) return 3;
    if (unchecked(entry.ids[0]) != <u32>i + 1) return 4;
  }
  if (cache.size != count) return 5;
  return 0;
}

/** Expression texts are part of the key; null (no expressions) differs from an empty list. */
export function expressionsArePartOfTheKey(): i32 {
  const cache = new LabelSetCache(PLANS);
  const none = cache.find(labels(0, 0), null);
  const empty = cache.find(labels(0, 0), []);
  const a = cache.find(labels(0, 0), ["GET", "/a"]);
  const b = cache.find(labels(0, 0), ["GET", "/b"]);
  const shorter = cache.find(labels(0, 0), ["GET"]);
  if (none === empty || none === a || a === b || a === shorter || empty === shorter) return 1;
  if (cache.find(labels(0, 0), ["GE" + "T", "/" + "a"]) !== a) return 2;
  if (cache.find(labels(0, 0), null) !== none) return 3;
  if (cache.size != 5) return 4;
  return 0;
}

/** The cache keeps copies: a caller reusing its arrays for the next stream does not change a kept key. */
export function keepsCopiesOfTheArrays(): i32 {
  const cache = new LabelSetCache(PLANS);
  const scratch = labels(3, 1);
  const expressions = ["x"];
  const first = cache.find(scratch, expressions);
  scratch[3] = "v2";
  expressions[0] = "y";
  const second = cache.find(scratch, expressions);
  if (second === first) return 1;
  if (cache.find(labels(3, 1), ["x"]) !== first) return 2;
  if (first.labels === scratch || first.expressions === expressions) return 3;
  return 0;
}

/** Moving one value between labels is a different set, even though the same strings are present. */
export function positionsMatter(): i32 {
  const cache = new LabelSetCache(PLANS);
  const a = labels(-1, 0);
  const b = labels(-1, 0);
  a[1] = "p"; a[2] = "q";
  b[1] = "q"; b[2] = "p";
  const c = labels(-1, 0);
  c[1] = "pq"; c[2] = "";
  const d = labels(-1, 0);
  d[1] = "p"; d[2] = "q";
  if (cache.find(a, null) === cache.find(b, null)) return 1;
  if (cache.find(a, null) === cache.find(c, null)) return 2;
  if (cache.find(d, null) !== cache.find(a, null)) return 3;
  return 0;
}

/** Past its limit the cache starts over: old sets come back as new entries, with no ids resolved. */
export function startsOverAtItsLimit(): i32 {
  const cache = new LabelSetCache(PLANS, 8);
  const first = cache.find(labels(0, 0), null);
  unchecked(first.ids[2] = 42);
  for (let i = 1; i < 8; i++) cache.find(labels(0, i), null);
  if (cache.size != 8) return 1;
  if (cache.find(labels(0, 0), null) !== first) return 2;
  const ninth = cache.find(labels(0, 8), null);
  if (cache.size != 1) return 3;
  if (cache.find(labels(0, 8), null) !== ninth) return 4;
  const again = cache.find(labels(0, 0), null);
  if (again === first || unchecked(again.ids[2]) != 0) return 5;
  if (cache.size != 2) return 6;
  return 0;
}

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
