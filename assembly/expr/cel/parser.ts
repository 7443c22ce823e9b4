/**
 * A recursive-descent parser for the CEL subset Istio's attribute
 * expressions use (grammar: google/cel-spec doc/langdef.md). It builds the
 * {@link CelNode} tree directly and folds attribute chains into paths.
 * Errors carry the UTF-8 byte offset where parsing stopped.
 */
import { CelNode, Op } from "./node";
import { CelKind, CelValue, NULL } from "./value";

const QUOTE_SINGLE: i32 = 0x27;
const QUOTE_DOUBLE: i32 = 0x22;

function isIdentStart(c: i32): bool { return (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F; }
function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }
function isIdentPart(c: i32): bool { return isIdentStart(c) || isDigit(c); }

function hexDigit(c: i32): i32 {
  if (isDigit(c)) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Parses expressions; after a failed {@link parse}, `error` and `errorAt` (UTF-16 index) say why. */
export class CelParser {
  private at: i32 = 0;
  private readonly length: i32;
  error: string = "";
  errorAt: i32 = 0;

  constructor(readonly text: string) {
    this.length = text.length;
  }

  /** The whole expression, or null on a syntax error. */
  parse(): CelNode | null {
    const node = this.expression(0);
    if (node === null) return null;
    this.skipSpace();
    if (this.at < this.length) return this.fail("unexpected '" + this.text.charAt(this.at) + "'");
    return node;
  }

  private fail(message: string): CelNode | null {
    if (this.error.length == 0) {
      this.error = message;
      this.errorAt = this.at;
    }
    return null;
  }

  private skipSpace(): void {
    while (this.at < this.length) {
      const c = this.text.charCodeAt(this.at);
      if (c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) { this.at++; continue; }
      // Line comments, as the CEL grammar allows.
      if (c == 0x2F && this.peekAt(1) == 0x2F) {
        while (this.at < this.length && this.text.charCodeAt(this.at) != 0x0A) this.at++;
        continue;
      }
      return;
    }
  }

  private peekAt(offset: i32): i32 {
    const index = this.at + offset;
    return index < this.length ? this.text.charCodeAt(index) : -1;
  }

  /** Skips spaces, then consumes `token` if it comes next. */
  private accept(token: string): bool {
    this.skipSpace();
    const n = token.length;
    if (this.at + n > this.length) return false;
    for (let i = 0; i < n; i++) if (this.text.charCodeAt(this.at + i) != token.charCodeAt(i)) return false;
    this.at += n;
    return true;
  }

  private expect(token: string): bool {
    if (this.accept(token)) return true;
    this.fail(this.at >= this.length ? "expected '" + token + "' before the end" : "expected '" + token + "'");
    return false;
  }

  private expression(depth: i32): CelNode | null {
    if (depth > 64) return this.fail("expression nested too deeply");
    const condition = this.logicalOr(depth);
    if (condition === null) return null;
    if (!this.accept("?")) return condition;
    const whenTrue = this.logicalOr(depth);
    if (whenTrue === null || !this.expect(":")) return null;
    const whenFalse = this.expression(depth + 1);
    if (whenFalse === null) return null;
    const node = new CelNode(Op.Conditional);
    node.a = condition;
    node.b = whenTrue;
    node.c = whenFalse;
    return node;
  }

  private logicalOr(depth: i32): CelNode | null {
    let left = this.logicalAnd(depth);
    while (left !== null && this.accept("||")) {
      const right = this.logicalAnd(depth);
      if (right === null) return null;
      left = CelNode.binary(Op.Or, left, right);
    }
    return left;
  }

  private logicalAnd(depth: i32): CelNode | null {
    let left = this.relation(depth);
    while (left !== null && this.accept("&&")) {
      const right = this.relation(depth);
      if (right === null) return null;
      left = CelNode.binary(Op.And, left, right);
    }
    return left;
  }

  private relationOp(): i32 {
    this.skipSpace();
    const c = this.peekAt(0);
    const next = this.peekAt(1);
    if (c == 0x3D && next == 0x3D) { this.at += 2; return Op.Equal; }
    if (c == 0x21 && next == 0x3D) { this.at += 2; return Op.NotEqual; }
    if (c == 0x3C) { this.at += next == 0x3D ? 2 : 1; return next == 0x3D ? Op.LessEqual : Op.Less; }
    if (c == 0x3E) { this.at += next == 0x3D ? 2 : 1; return next == 0x3D ? Op.GreaterEqual : Op.Greater; }
    if (c == 0x69 && next == 0x6E && !isIdentPart(this.peekAt(2))) { this.at += 2; return Op.In; }
    return -1;
  }

  private relation(depth: i32): CelNode | null {
    let left = this.addition(depth);
    while (left !== null) {
      const op = this.relationOp();
      if (op < 0) break;
      const right = this.addition(depth);
      if (right === null) return null;
      left = CelNode.binary(<Op>op, left, right);
    }
    return left;
  }

  private addition(depth: i32): CelNode | null {
    let left = this.multiplication(depth);
    while (left !== null) {
      this.skipSpace();
      const c = this.peekAt(0);
      if (c != 0x2B && c != 0x2D) break;
      this.at++;
      const right = this.multiplication(depth);
      if (right === null) return null;
      left = CelNode.binary(c == 0x2B ? Op.Add : Op.Subtract, left, right);
    }
    return left;
  }

  private multiplication(depth: i32): CelNode | null {
    let left = this.unary(depth);
    while (left !== null) {
      this.skipSpace();
      const c = this.peekAt(0);
      // `//` starts a comment, not a division.
      if (c != 0x2A && c != 0x25 && !(c == 0x2F && this.peekAt(1) != 0x2F)) break;
      this.at++;
      const right = this.unary(depth);
      if (right === null) return null;
      left = CelNode.binary(c == 0x2A ? Op.Multiply : c == 0x2F ? Op.Divide : Op.Modulo, left, right);
    }
    return left;
  }

  private unary(depth: i32): CelNode | null {
    this.skipSpace();
    const c = this.peekAt(0);
    if (c == 0x21) {
      this.at++;
      const operand = this.unary(depth + 1);
      return operand === null ? null : CelNode.unary(Op.Not, operand);
    }
    if (c == 0x2D) {
      this.at++;
      const operand = this.unary(depth + 1);
      if (operand === null) return null;
      // Fold negative literals so `-9223372036854775808` and `-1` stay constants.
      if (operand.op == Op.Literal && operand.value!.kind == CelKind.Int) return CelNode.literal(CelValue.ofInt(-operand.value!.int));
      return CelNode.unary(Op.Negate, operand);
    }
    return this.member(depth);
  }

  private member(depth: i32): CelNode | null {
    let node = this.primary(depth);
    while (node !== null) {
      if (this.accept(".")) {
        this.skipSpace();
        const name = this.identifier();
        if (name === null) return this.fail("expected a field name after '.'");
        if (this.accept("(")) {
          node = this.method(node, name, depth);
        } else if (node.op == Op.Attribute) {
          node = CelNode.attribute(appended(node.path!.parts, name));
        } else {
          node = CelNode.binary(Op.Index, node, CelNode.literal(CelValue.ofString(name)));
        }
      } else if (this.accept("[")) {
        const key = this.expression(depth + 1);
        if (key === null || !this.expect("]")) return null;
        if (node.op == Op.Attribute && key.op == Op.Literal && key.value!.kind == CelKind.String) {
          node = CelNode.attribute(appended(node.path!.parts, key.value!.text));
        } else {
          node = CelNode.binary(Op.Index, node, key);
        }
      } else {
        break;
      }
    }
    return node;
  }

  private identifier(): string | null {
    const start = this.at;
    if (!isIdentStart(this.peekAt(0))) return null;
    while (isIdentPart(this.peekAt(0))) this.at++;
    return this.text.substring(start, this.at);
  }

  /** Arguments after an opening parenthesis, through the closing one. */
  private arguments(depth: i32): CelNode[] | null {
    const list = new Array<CelNode>();
    if (this.accept(")")) return list;
    while (true) {
      const argument = this.expression(depth + 1);
      if (argument === null) return null;
      list.push(argument);
      if (this.accept(")")) return list;
      if (!this.expect(",")) return null;
    }
  }

  private method(target: CelNode, name: string, depth: i32): CelNode | null {
    const start = this.at;
    const args = this.arguments(depth);
    if (args === null) return null;
    let op: i32 = -1;
    if (name == "startsWith") op = Op.StartsWith;
    else if (name == "endsWith") op = Op.EndsWith;
    else if (name == "contains") op = Op.Contains;
    else if (name == "size") op = Op.Size;
    if (op < 0) { this.at = start; return this.fail("unsupported method '" + name + "'"); }
    const wanted = op == Op.Size ? 0 : 1;
    if (args.length != wanted) { this.at = start; return this.fail(name + "() takes " + wanted.toString() + " argument(s)"); }
    return op == Op.Size ? CelNode.unary(Op.Size, target) : CelNode.binary(<Op>op, target, unchecked(args[0]));
  }

  private call(name: string, depth: i32): CelNode | null {
    const start = this.at;
    const args = this.arguments(depth);
    if (args === null) return null;
    let op: i32 = -1;
    if (name == "has") op = Op.Has;
    else if (name == "size") op = Op.Size;
    else if (name == "int" || name == "uint") op = Op.ToInt;
    else if (name == "string") op = Op.ToString;
    if (op < 0) { this.at = start; return this.fail("unsupported function '" + name + "'"); }
    if (args.length != 1) { this.at = start; return this.fail(name + "() takes 1 argument"); }
    const argument = unchecked(args[0]);
    if (op == Op.Has && argument.op != Op.Attribute && argument.op != Op.Index) {
      this.at = start;
      return this.fail("has() needs a field selection such as has(request.headers.x)");
    }
    return CelNode.unary(<Op>op, argument);
  }

  private primary(depth: i32): CelNode | null {
    this.skipSpace();
    const c = this.peekAt(0);
    if (c < 0) return this.fail("unexpected end of expression");
    if (c == 0x28) {
      this.at++;
      const inner = this.expression(depth + 1);
      if (inner === null || !this.expect(")")) return null;
      return inner;
    }
    if (c == 0x5B) {
      this.at++;
      const node = new CelNode(Op.List);
      const items = new Array<CelNode>();
      node.items = items;
      if (this.accept("]")) return node;
      while (true) {
        const item = this.expression(depth + 1);
        if (item === null) return null;
        items.push(item);
        if (this.accept("]")) return node;
        if (!this.expect(",")) return null;
        if (this.accept("]")) return node;
      }
    }
    if (isDigit(c)) return this.number();
    if (c == QUOTE_SINGLE || c == QUOTE_DOUBLE) return this.stringLiteral(false);
    const next = this.peekAt(1);
    if ((c == 0x72 || c == 0x52) && (next == QUOTE_SINGLE || next == QUOTE_DOUBLE)) { this.at++; return this.stringLiteral(true); }
    if ((c == 0x62 || c == 0x42) && (next == QUOTE_SINGLE || next == QUOTE_DOUBLE)) { this.at++; return this.stringLiteral(false); }
    if (c == 0x2E) this.at++; // a leading dot names the root scope; same thing here
    const start = this.at;
    const name = this.identifier();
    if (name === null) return this.fail("unexpected '" + this.text.charAt(this.at) + "'");
    if (name == "true") return CelNode.literal(CelValue.ofBool(true));
    if (name == "false") return CelNode.literal(CelValue.ofBool(false));
    if (name == "null") return CelNode.literal(NULL);
    if (name == "in") { this.at = start; return this.fail("unexpected 'in'"); }
    if (this.accept("(")) return this.call(name, depth);
    return CelNode.attribute([name]);
  }

  private number(): CelNode | null {
    const start = this.at;
    let value: u64 = 0;
    let overflow = false;
    if (this.peekAt(0) == 0x30 && (this.peekAt(1) | 0x20) == 0x78) {
      this.at += 2;
      if (hexDigit(this.peekAt(0)) < 0) return this.fail("expected hex digits");
      while (hexDigit(this.peekAt(0)) >= 0) {
        if (value >> 60 != 0) overflow = true;
        value = (value << 4) | <u64>hexDigit(this.peekAt(0));
        this.at++;
      }
    } else {
      while (isDigit(this.peekAt(0))) {
        const digit = <u64>(this.peekAt(0) - 0x30);
        if (value > (u64.MAX_VALUE - digit) / 10) overflow = true;
        value = value * 10 + digit;
        this.at++;
      }
    }
    const c = this.peekAt(0);
    if (c == 0x2E || c == 0x65 || c == 0x45) return this.fail("floating-point literals are not supported");
    const unsigned = c == 0x75 || c == 0x55;
    if (unsigned) this.at++;
    // 9223372036854775808 is allowed only so that a leading minus can make it the smallest int64.
    if (overflow || (!unsigned && value > <u64>i64.MAX_VALUE + 1)) { this.at = start; return this.fail("integer literal out of range"); }
    return CelNode.literal(CelValue.ofInt(<i64>value));
  }

  private stringLiteral(raw: bool): CelNode | null {
    const quote = this.peekAt(0);
    const triple = this.peekAt(1) == quote && this.peekAt(2) == quote;
    this.at += triple ? 3 : 1;
    let out = "";
    let chunkStart = this.at;
    while (true) {
      if (this.at >= this.length) return this.fail("unterminated string");
      const c = this.text.charCodeAt(this.at);
      if (c == quote && (!triple || (this.peekAt(1) == quote && this.peekAt(2) == quote))) {
        out += this.text.substring(chunkStart, this.at);
        this.at += triple ? 3 : 1;
        return CelNode.literal(CelValue.ofString(out));
      }
      if (!triple && (c == 0x0A || c == 0x0D)) return this.fail("newline in string");
      if (c != 0x5C || raw) { this.at++; continue; }
      out += this.text.substring(chunkStart, this.at);
      const escaped = this.escape();
      if (escaped === null) return null;
      out += escaped;
      chunkStart = this.at;
    }
  }

  /** Decodes the escape at the backslash; null (with the error set) when malformed. */
  private escape(): string | null {
    this.at++;
    const e = this.peekAt(0);
    this.at++;
    switch (e) {
      case 0x5C: return "\\";
      case QUOTE_SINGLE: return "'";
      case QUOTE_DOUBLE: return "\"";
      case 0x60: return "`";
      case 0x3F: return "?";
      case 0x6E: return "\n";
      case 0x72: return "\r";
      case 0x74: return "\t";
      case 0x61: return "\x07";
      case 0x62: return "\b";
      case 0x66: return "\f";
      case 0x76: return "\v";
    }
    let digits = 0;
    if (e == 0x78 || e == 0x58) digits = 2;
    else if (e == 0x75) digits = 4;
    else if (e == 0x55) digits = 8;
    if (digits == 0) { this.at--; this.fail("invalid escape sequence"); return null; }
    let code: u32 = 0;
    for (let i = 0; i < digits; i++) {
      const digit = hexDigit(this.peekAt(0));
      if (digit < 0) { this.fail("invalid hex digit in escape"); return null; }
      code = (code << 4) | <u32>digit;
      this.at++;
    }
    if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) { this.fail("invalid code point in escape"); return null; }
    return String.fromCodePoint(code);
  }
}

function appended(parts: string[], part: string): string[] {
  const result = parts.slice(0);
  result.push(part);
  return result;
}
