// Exposes assembly/expr/cel to vitest: expressions are compiled into a table and referred to
// by index; attributes come from a table the test fills, keyed by NUL-joined paths.
import { AttributePath, AttributeSource, CelExpression, CelKind, CelValue } from "../../../assembly/expr/cel/index";

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

class TableSource extends AttributeSource {
  keys: string[] = [];
  values: CelValue[] = [];
  lookups: i32 = 0;

  lookup(path: AttributePath): CelValue | null {
    this.lookups++;
    const key = path.parts.join("\0");
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] == key) return this.values[i];
    return null;
  }

  set(key: string, value: CelValue): void {
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] == key) { this.values[i] = value; return; }
    }
    this.keys.push(key);
    this.values.push(value);
  }
}

const source = new TableSource();
const expressions = new Array<CelExpression>();

export function celCompile(text: string): i32 {
  const expression = CelExpression.compile(text);
  if (expression === null) return -1;
  expressions.push(expression);
  return expressions.length - 1;
}

export function celLastError(): string {
  return CelExpression.lastError;
}

export function setStringAttribute(path: string, value: string): void { source.set(path, CelValue.ofString(value)); }
export function setIntAttribute(path: string, value: i64): void { source.set(path, CelValue.ofInt(value)); }
export function setBoolAttribute(path: string, value: bool): void { source.set(path, CelValue.ofBool(value)); }

/** A string map from "key=value" lines. */
export function setMapAttribute(path: string, entries: string): void {
  const keys = new Array<string>();
  const values = new Array<CelValue>();
  const lines = entries.length == 0 ? new Array<string>() : entries.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const eq = line.indexOf("=");
    keys.push(line.substring(0, eq));
    values.push(CelValue.ofString(line.substring(eq + 1)));
  }
  source.set(path, CelValue.ofMap(keys, values));
}

export function clearAttributes(): void {
  source.keys = [];
  source.values = [];
}

export function lookupCount(): i32 { return source.lookups; }

function describe(value: CelValue): string {
  switch (value.kind) {
    case CelKind.Null: return "null";
    case CelKind.Bool: return "bool:" + value.print()!;
    case CelKind.Int: return "int:" + value.print()!;
    case CelKind.String: return "string:" + value.text;
    case CelKind.Map: return "map:" + value.size().toString();
    case CelKind.List: {
      let text = "list:[";
      const items = value.items!;
      for (let i = 0; i < items.length; i++) text += (i > 0 ? "," : "") + describe(items[i]);
      return text + "]";
    }
  }
  return "error:" + value.text;
}

/** "kind:value" of the expression's result, e.g. "string:GET", "int:200", "error:no such attribute: x". */
export function celEvaluate(handle: i32): string {
  return describe(expressions[handle].evaluate(source));
}
