/**
 * Evaluates a compiled tree against an {@link AttributeSource}. Follows CEL
 * semantics where the subset reaches: `&&`/`||` absorb an error when the
 * other side decides the result, mixed-type comparisons are errors,
 * integer overflow and division by zero are errors. Nothing here traps.
 */
import { AttributeSource } from "./attribute-source";
import { CelNode, Op } from "./node";
import { CelKind, CelValue, FALSE, NULL, TRUE } from "./value";

function noOverload(name: string, a: CelValue): CelValue {
  return a.isError ? a : CelValue.error("no matching overload for " + name);
}

function equals(a: CelValue, b: CelValue): bool {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case CelKind.Null: return true;
    case CelKind.Bool:
    case CelKind.Int: return a.int == b.int;
    case CelKind.String: return a.text == b.text;
    case CelKind.List: {
      const x = a.items!;
      const y = b.items!;
      if (x.length != y.length) return false;
      for (let i = 0, n = x.length; i < n; i++) if (!equals(unchecked(x[i]), unchecked(y[i]))) return false;
      return true;
    }
    case CelKind.Map: {
      const keys = a.keys!;
      if (keys.length != b.keys!.length) return false;
      for (let i = 0, n = keys.length; i < n; i++) {
        const other = b.get(unchecked(keys[i]));
        if (other === null || !equals(unchecked(a.items![i]), other)) return false;
      }
      return true;
    }
  }
  return false;
}

/** -1, 0 or 1; 2 when the kinds cannot be ordered. */
function compare(a: CelValue, b: CelValue): i32 {
  if (a.kind != b.kind) return 2;
  if (a.kind == CelKind.Int || a.kind == CelKind.Bool) return a.int < b.int ? -1 : a.int > b.int ? 1 : 0;
  if (a.kind == CelKind.String) {
    const x = a.text;
    const y = b.text;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return 2;
}

function parseDecimal(text: string): CelValue {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && (text.charCodeAt(0) == 0x2D || text.charCodeAt(0) == 0x2B)) { negative = text.charCodeAt(0) == 0x2D; i = 1; }
  if (i == n) return CelValue.error("cannot convert '" + text + "' to int");
  let value: u64 = 0;
  for (; i < n; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return CelValue.error("cannot convert '" + text + "' to int");
    if (value > (<u64>i64.MAX_VALUE + 1 - <u64>digit) / 10) return CelValue.error("int overflow converting '" + text + "'");
    value = value * 10 + <u64>digit;
  }
  if (!negative && value > <u64>i64.MAX_VALUE) return CelValue.error("int overflow converting '" + text + "'");
  return CelValue.ofInt(negative ? -(<i64>value) : <i64>value);
}

function arithmetic(op: Op, a: CelValue, b: CelValue): CelValue {
  if (a.isError) return a;
  if (b.isError) return b;
  if (op == Op.Add && a.kind == CelKind.String && b.kind == CelKind.String) return CelValue.ofString(a.text + b.text);
  if (op == Op.Add && a.kind == CelKind.List && b.kind == CelKind.List) return CelValue.ofList(a.items!.concat(b.items!));
  if (a.kind != CelKind.Int || b.kind != CelKind.Int) return CelValue.error("no matching overload for arithmetic on these types");
  const x = a.int;
  const y = b.int;
  switch (op) {
    case Op.Add: {
      const sum = x + y;
      if (((x ^ sum) & (y ^ sum)) < 0) return CelValue.error("int overflow");
      return CelValue.ofInt(sum);
    }
    case Op.Subtract: {
      const difference = x - y;
      if (((x ^ y) & (x ^ difference)) < 0) return CelValue.error("int overflow");
      return CelValue.ofInt(difference);
    }
    case Op.Multiply: {
      const product = x * y;
      if (x != 0 && (product / x != y || (x == -1 && y == i64.MIN_VALUE))) return CelValue.error("int overflow");
      return CelValue.ofInt(product);
    }
    case Op.Divide:
    case Op.Modulo: {
      if (y == 0) return CelValue.error(op == Op.Divide ? "division by zero" : "modulus by zero");
      if (x == i64.MIN_VALUE && y == -1) return op == Op.Divide ? CelValue.error("int overflow") : CelValue.ofInt(0);
      return CelValue.ofInt(op == Op.Divide ? x / y : x % y);
    }
  }
  return CelValue.error("unknown operator");
}

function stringTest(op: Op, a: CelValue, b: CelValue): CelValue {
  if (a.kind != CelKind.String || b.kind != CelKind.String) return noOverload("string function", a.isError ? a : b);
  const text = a.text;
  const part = b.text;
  if (op == Op.StartsWith) return CelValue.ofBool(text.startsWith(part));
  if (op == Op.EndsWith) return CelValue.ofBool(text.endsWith(part));
  return CelValue.ofBool(text.indexOf(part) >= 0);
}

function index(base: CelValue, key: CelValue): CelValue {
  if (base.isError) return base;
  if (key.isError) return key;
  if (base.kind == CelKind.Map) {
    if (key.kind != CelKind.String) return CelValue.error("map keys are strings");
    const found = base.get(key.text);
    return found !== null ? found : CelValue.error("no such key: " + key.text);
  }
  if (base.kind == CelKind.List) {
    if (key.kind != CelKind.Int) return CelValue.error("list index must be an int");
    const items = base.items!;
    if (key.int < 0 || key.int >= <i64>items.length) return CelValue.error("index out of range: " + key.int.toString());
    return unchecked(items[<i32>key.int]);
  }
  return CelValue.error("no matching overload for index");
}

/** Evaluates `node`; the result may be an Error value. */
export function evaluate(node: CelNode, source: AttributeSource): CelValue {
  switch (node.op) {
    case Op.Literal: return node.value!;
    case Op.Attribute: {
      const path = node.path!;
      const found = source.lookup(path);
      return found !== null ? found : CelValue.error("no such attribute: " + path.toString());
    }
    case Op.Index: return index(evaluate(node.a!, source), evaluate(node.b!, source));
    case Op.List: {
      const nodes = node.items!;
      const items = new Array<CelValue>(nodes.length);
      for (let i = 0, n = nodes.length; i < n; i++) {
        const item = evaluate(unchecked(nodes[i]), source);
        if (item.isError) return item;
        unchecked(items[i] = item);
      }
      return CelValue.ofList(items);
    }
    case Op.Not: {
      const a = evaluate(node.a!, source);
      return a.kind == CelKind.Bool ? CelValue.ofBool(a.int == 0) : noOverload("!", a);
    }
    case Op.Negate: {
      const a = evaluate(node.a!, source);
      if (a.kind != CelKind.Int) return noOverload("-", a);
      return a.int == i64.MIN_VALUE ? CelValue.error("int overflow") : CelValue.ofInt(-a.int);
    }
    case Op.And:
    case Op.Or: {
      // The deciding value: false for &&, true for ||.
      const decisive: i64 = node.op == Op.Or ? 1 : 0;
      const a = evaluate(node.a!, source);
      if (a.kind == CelKind.Bool && a.int == decisive) return a;
      const b = evaluate(node.b!, source);
      if (b.kind == CelKind.Bool && b.int == decisive) return b;
      if (a.kind == CelKind.Bool && b.kind == CelKind.Bool) return b;
      if (a.isError) return a;
      if (b.isError) return b;
      return CelValue.error("no matching overload for " + (node.op == Op.Or ? "||" : "&&"));
    }
    case Op.Conditional: {
      const condition = evaluate(node.a!, source);
      if (condition.kind != CelKind.Bool) return noOverload("?:", condition);
      return evaluate(condition.int != 0 ? node.b! : node.c!, source);
    }
    case Op.Equal:
    case Op.NotEqual: {
      const a = evaluate(node.a!, source);
      if (a.isError) return a;
      const b = evaluate(node.b!, source);
      if (b.isError) return b;
      return CelValue.ofBool(equals(a, b) == (node.op == Op.Equal));
    }
    case Op.Less:
    case Op.LessEqual:
    case Op.Greater:
    case Op.GreaterEqual: {
      const a = evaluate(node.a!, source);
      if (a.isError) return a;
      const b = evaluate(node.b!, source);
      if (b.isError) return b;
      const order = compare(a, b);
      if (order == 2) return CelValue.error("no matching overload for comparison");
      switch (node.op) {
        case Op.Less: return CelValue.ofBool(order < 0);
        case Op.LessEqual: return CelValue.ofBool(order <= 0);
        case Op.Greater: return CelValue.ofBool(order > 0);
      }
      return CelValue.ofBool(order >= 0);
    }
    case Op.In: {
      const a = evaluate(node.a!, source);
      if (a.isError) return a;
      const b = evaluate(node.b!, source);
      if (b.isError) return b;
      if (b.kind == CelKind.Map) return a.kind == CelKind.String ? CelValue.ofBool(b.get(a.text) !== null) : FALSE;
      if (b.kind != CelKind.List) return CelValue.error("no matching overload for in");
      const items = b.items!;
      for (let i = 0, n = items.length; i < n; i++) if (equals(a, unchecked(items[i]))) return TRUE;
      return FALSE;
    }
    case Op.Add:
    case Op.Subtract:
    case Op.Multiply:
    case Op.Divide:
    case Op.Modulo:
      return arithmetic(node.op, evaluate(node.a!, source), evaluate(node.b!, source));
    case Op.Has: {
      const target = node.a!;
      if (target.op == Op.Attribute) return CelValue.ofBool(source.lookup(target.path!) !== null);
      const base = evaluate(target.a!, source);
      if (base.isError) return base;
      const key = evaluate(target.b!, source);
      if (key.isError) return key;
      if (base.kind == CelKind.Map && key.kind == CelKind.String) return CelValue.ofBool(base.get(key.text) !== null);
      return CelValue.error("has() needs a map field");
    }
    case Op.Size: {
      const a = evaluate(node.a!, source);
      const size = a.size();
      return size >= 0 ? CelValue.ofInt(size) : noOverload("size", a);
    }
    case Op.ToInt: {
      const a = evaluate(node.a!, source);
      if (a.kind == CelKind.Int) return a;
      if (a.kind == CelKind.String) return parseDecimal(a.text);
      return noOverload("int", a);
    }
    case Op.ToString: {
      const a = evaluate(node.a!, source);
      if (a.kind == CelKind.String) return a;
      if (a.kind == CelKind.Int || a.kind == CelKind.Bool) return CelValue.ofString(a.print()!);
      return noOverload("string", a);
    }
    case Op.StartsWith:
    case Op.EndsWith:
    case Op.Contains:
      return stringTest(node.op, evaluate(node.a!, source), evaluate(node.b!, source));
  }
  return NULL;
}
