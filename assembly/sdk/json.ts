/**
 * A small strict JSON parser (RFC 8259) for plugin and VM configuration.
 *
 * It works on UTF-8 bytes, rejects anything the RFC does not allow (trailing
 * commas, comments, leading zeros, control characters in strings, lone
 * surrogates, invalid UTF-8, trailing data) and limits nesting depth. Errors
 * carry the byte offset where parsing stopped. Duplicate object keys: the
 * last value wins, as in JavaScript.
 */

export const enum JsonType { Null = 0, Bool = 1, Number = 2, String = 3, Array = 4, Object = 5 }

/** Nesting depth allowed by default. */
export const DEFAULT_MAX_DEPTH: i32 = 64;

/** A parsed JSON value; check `type` (or the is* getters) and cast, or use the typed accessors. */
export class JsonValue {
  constructor(readonly type: JsonType) {}

  get isNull(): bool { return this.type == JsonType.Null; }
  get isBool(): bool { return this.type == JsonType.Bool; }
  get isNumber(): bool { return this.type == JsonType.Number; }
  get isString(): bool { return this.type == JsonType.String; }
  get isArray(): bool { return this.type == JsonType.Array; }
  get isObject(): bool { return this.type == JsonType.Object; }

  /** The string, or null when this is not a string. */
  asString(): string | null { return this.isString ? changetype<JsonString>(this).value : null; }
  /** The number, or `fallback` when this is not a number. */
  asNumber(fallback: f64 = 0): f64 { return this.isNumber ? changetype<JsonNumber>(this).value : fallback; }
  /** The boolean, or `fallback` when this is not a boolean. */
  asBool(fallback: bool = false): bool { return this.isBool ? changetype<JsonBool>(this).value : fallback; }
  /** This as an array, or null. */
  asArray(): JsonArray | null { return this.isArray ? changetype<JsonArray>(this) : null; }
  /** This as an object, or null. */
  asObject(): JsonObject | null { return this.isObject ? changetype<JsonObject>(this) : null; }
}

export class JsonNull extends JsonValue {
  constructor() { super(JsonType.Null); }
}

export class JsonBool extends JsonValue {
  constructor(readonly value: bool) { super(JsonType.Bool); }
}

export class JsonNumber extends JsonValue {
  constructor(readonly value: f64) { super(JsonType.Number); }
}

export class JsonString extends JsonValue {
  constructor(readonly value: string) { super(JsonType.String); }
}

export class JsonArray extends JsonValue {
  readonly items: JsonValue[] = [];
  constructor() { super(JsonType.Array); }
}

/**
 * An object. Members live in two parallel arrays searched linearly: config
 * objects are small, and leaving out a hash map keeps modules smaller.
 */
export class JsonObject extends JsonValue {
  /** Keys in first-seen order. */
  readonly keys: string[] = [];
  /** Values, parallel to {@link keys}. */
  readonly values: JsonValue[] = [];
  constructor() { super(JsonType.Object); }

  private indexOf(key: string): i32 {
    for (let i = 0, n = this.keys.length; i < n; i++) if (unchecked(this.keys[i]) == key) return i;
    return -1;
  }

  has(key: string): bool { return this.indexOf(key) >= 0; }

  get(key: string): JsonValue | null {
    const index = this.indexOf(key);
    return index < 0 ? null : unchecked(this.values[index]);
  }

  /** Sets member `key`; a repeated key keeps its position and takes the new value. */
  set(key: string, value: JsonValue): void {
    const index = this.indexOf(key);
    if (index >= 0) { unchecked(this.values[index] = value); return; }
    this.keys.push(key);
    this.values.push(value);
  }

  /** String member `key`, or null when missing or not a string. */
  getString(key: string): string | null {
    const value = this.get(key);
    if (value === null) return null;
    return value.asString();
  }

  /** Number member `key`, or `fallback`. */
  getNumber(key: string, fallback: f64 = 0): f64 {
    const value = this.get(key);
    return value === null ? fallback : value.asNumber(fallback);
  }

  /** Boolean member `key`, or `fallback`. */
  getBool(key: string, fallback: bool = false): bool {
    const value = this.get(key);
    return value === null ? fallback : value.asBool(fallback);
  }

  /** Object member `key`, or null. */
  getObject(key: string): JsonObject | null {
    const value = this.get(key);
    if (value === null) return null;
    return value.asObject();
  }

  /** Array member `key`, or null. */
  getArray(key: string): JsonArray | null {
    const value = this.get(key);
    if (value === null) return null;
    return value.asArray();
  }
}

/** Outcome of parsing: a value, or an error message and the byte offset it refers to. */
export class JsonParseResult {
  constructor(readonly value: JsonValue | null, readonly error: string, readonly position: i32) {}

  get ok(): bool { return this.value !== null; }
}

/** Parses `text` (encoded as UTF-8; error positions are UTF-8 byte offsets). */
export function parseJson(text: string, maxDepth: i32 = DEFAULT_MAX_DEPTH): JsonParseResult {
  return parseJsonBytes(String.UTF8.encode(text), maxDepth);
}

/** Parses UTF-8 `bytes`. */
export function parseJsonBytes(bytes: ArrayBuffer, maxDepth: i32 = DEFAULT_MAX_DEPTH): JsonParseResult {
  const parser = new JsonParser(bytes, maxDepth);
  parser.skipWhitespace();
  let value = parser.parseValue(0);
  if (value !== null) {
    parser.skipWhitespace();
    if (parser.position < parser.length) value = parser.fail("unexpected data after the JSON value");
  }
  if (value === null) return new JsonParseResult(null, parser.error + " at byte " + parser.position.toString(), parser.position);
  return new JsonParseResult(value, "", -1);
}

function isDigit(c: u32): bool { return c - 48 < 10; }

/** 10^exponent by squaring; exact for |exponent| <= 22. */
function powerOfTen(exponent: i32): f64 {
  let result = 1.0;
  let base = 10.0;
  let e = exponent < 0 ? -exponent : exponent;
  while (e != 0) {
    if (e & 1) result *= base;
    base *= base;
    e >>= 1;
  }
  return result;
}

/**
 * Converts an already validated JSON number. Mantissas up to 2^53 with decimal
 * exponents within +-22 (every integer config value, most decimals) convert
 * exactly rounded with one multiplication or division; others may be off by
 * an ulp. Kept instead of the standard library's strtod for module size.
 */
function decimalToF64(at: usize, length: i32): f64 {
  const end = at + length;
  let negative = false;
  if (load<u8>(at) == 0x2d) { negative = true; at++; }
  let mantissa: u64 = 0;
  let exponent: i32 = 0;
  let fraction = false;
  while (at < end) {
    const c = <u32>load<u8>(at);
    if (c == 0x2e) { fraction = true; at++; continue; }
    if (!isDigit(c)) break;
    if (mantissa < 1_000_000_000_000_000_000) {
      mantissa = mantissa * 10 + (c - 48);
      if (fraction) exponent--;
    } else if (!fraction) {
      exponent++;
    }
    at++;
  }
  if (at < end) {
    at++;
    let exponentNegative = false;
    const sign = load<u8>(at);
    if (sign == 0x2d || sign == 0x2b) { exponentNegative = sign == 0x2d; at++; }
    let written: i32 = 0;
    while (at < end) {
      if (written < 100000) written = written * 10 + <i32>(load<u8>(at) - 48);
      at++;
    }
    exponent += exponentNegative ? -written : written;
  }
  let value = <f64>mantissa;
  if (exponent > 400) value = mantissa == 0 ? 0 : Infinity;
  else if (exponent < -400) value = 0;
  else if (exponent < 0) value = exponent < -300 ? value / powerOfTen(-exponent - 300) / powerOfTen(300) : value / powerOfTen(-exponent);
  else value *= powerOfTen(exponent);
  return negative ? -value : value;
}

function hexValue(c: u32): i32 {
  if (c - 48 < 10) return <i32>(c - 48);
  const lower = c | 0x20;
  if (lower - 97 < 6) return <i32>(lower - 87);
  return -1;
}

/** Writes code point `cp` as UTF-8 at `at`; returns the byte count. */
function writeUtf8(at: usize, cp: u32): usize {
  if (cp < 0x80) { store<u8>(at, cp); return 1; }
  if (cp < 0x800) {
    store<u8>(at, 0xc0 | (cp >> 6));
    store<u8>(at + 1, 0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(at, 0xe0 | (cp >> 12));
    store<u8>(at + 1, 0x80 | ((cp >> 6) & 0x3f));
    store<u8>(at + 2, 0x80 | (cp & 0x3f));
    return 3;
  }
  store<u8>(at, 0xf0 | (cp >> 18));
  store<u8>(at + 1, 0x80 | ((cp >> 12) & 0x3f));
  store<u8>(at + 2, 0x80 | ((cp >> 6) & 0x3f));
  store<u8>(at + 3, 0x80 | (cp & 0x3f));
  return 4;
}

class JsonParser {
  position: i32 = 0;
  readonly length: i32;
  readonly base: usize;
  error: string = "";

  constructor(readonly input: ArrayBuffer, readonly maxDepth: i32) {
    this.length = input.byteLength;
    this.base = changetype<usize>(input);
  }

  /** Records `message` at the current position; returns null for the caller to propagate. */
  fail(message: string): JsonValue | null {
    if (this.error.length == 0) this.error = message;
    return null;
  }

  peek(): u32 {
    return this.position < this.length ? <u32>load<u8>(this.base + this.position) : 0xffffffff;
  }

  skipWhitespace(): void {
    while (this.position < this.length) {
      const c = load<u8>(this.base + this.position);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) return;
      this.position++;
    }
  }

  parseValue(depth: i32): JsonValue | null {
    const c = this.peek();
    if (c == 0x7b) return this.parseObject(depth + 1);
    if (c == 0x5b) return this.parseArray(depth + 1);
    if (c == 0x22) {
      const text = this.parseString();
      if (text === null) return null;
      return new JsonString(text);
    }
    if (c == 0x2d || isDigit(c)) return this.parseNumber();
    if (c == 0x74) return this.parseLiteral("true", new JsonBool(true));
    if (c == 0x66) return this.parseLiteral("false", new JsonBool(false));
    if (c == 0x6e) return this.parseLiteral("null", new JsonNull());
    return this.fail(c == 0xffffffff ? "unexpected end of input" : "unexpected character");
  }

  parseLiteral(word: string, value: JsonValue): JsonValue | null {
    const n = word.length;
    for (let i = 0; i < n; i++) {
      if (this.peek() != <u32>word.charCodeAt(i)) return this.fail("invalid literal, expected " + word);
      this.position++;
    }
    return value;
  }

  parseNumber(): JsonValue | null {
    const start = this.position;
    if (this.peek() == 0x2d) this.position++;
    const first = this.peek();
    if (first == 0x30) {
      this.position++;
      if (isDigit(this.peek())) return this.fail("leading zero in number");
    } else if (isDigit(first)) {
      while (isDigit(this.peek())) this.position++;
    } else {
      return this.fail("expected digit");
    }
    if (this.peek() == 0x2e) {
      this.position++;
      if (!isDigit(this.peek())) return this.fail("expected digit after decimal point");
      while (isDigit(this.peek())) this.position++;
    }
    const e = this.peek();
    if (e == 0x65 || e == 0x45) {
      this.position++;
      const sign = this.peek();
      if (sign == 0x2b || sign == 0x2d) this.position++;
      if (!isDigit(this.peek())) return this.fail("expected digit in exponent");
      while (isDigit(this.peek())) this.position++;
    }
    return new JsonNumber(decimalToF64(this.base + start, this.position - start));
  }

  /** Reads four hex digits after `\u`; -1 (with the error set) when malformed. */
  parseHex4(): i32 {
    if (this.position + 4 > this.length) { this.fail("truncated \\u escape"); return -1; }
    let value = 0;
    for (let i = 0; i < 4; i++) {
      const digit = hexValue(load<u8>(this.base + this.position));
      if (digit < 0) { this.fail("invalid hex digit in \\u escape"); return -1; }
      value = (value << 4) | digit;
      this.position++;
    }
    return value;
  }

  /** Checks one UTF-8 sequence starting at the current position (a byte >= 0x80) and skips it. */
  skipUtf8Sequence(): bool {
    const lead = <u32>load<u8>(this.base + this.position);
    let size = 0;
    let min: u32 = 0;
    let cp: u32 = 0;
    if (lead >= 0xc2 && lead <= 0xdf) { size = 2; min = 0x80; cp = lead & 0x1f; }
    else if (lead >= 0xe0 && lead <= 0xef) { size = 3; min = 0x800; cp = lead & 0x0f; }
    else if (lead >= 0xf0 && lead <= 0xf4) { size = 4; min = 0x10000; cp = lead & 0x07; }
    else { this.fail("invalid UTF-8"); return false; }
    if (this.position + size > this.length) { this.fail("truncated UTF-8 sequence"); return false; }
    for (let i = 1; i < size; i++) {
      const next = <u32>load<u8>(this.base + this.position + i);
      if ((next & 0xc0) != 0x80) { this.fail("invalid UTF-8"); return false; }
      cp = (cp << 6) | (next & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) { this.fail("invalid UTF-8"); return false; }
    this.position += size;
    return true;
  }

  /** Parses a string at the opening quote; null (with the error set) when malformed. */
  parseString(): string | null {
    this.position++;
    const start = this.position;
    let escaped = false;
    // First pass: validate and find the closing quote.
    while (true) {
      if (this.position >= this.length) { this.fail("unterminated string"); return null; }
      const c = <u32>load<u8>(this.base + this.position);
      if (c == 0x22) break;
      if (c < 0x20) { this.fail("control character in string"); return null; }
      if (c == 0x5c) {
        escaped = true;
        this.position++;
        const e = this.peek();
        if (e == 0x75) {
          this.position++;
          const unit = this.parseHex4();
          if (unit < 0) return null;
          if (unit >= 0xdc00 && unit <= 0xdfff) { this.position -= 6; this.fail("lone low surrogate"); return null; }
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (this.peek() != 0x5c || this.position + 1 >= this.length || load<u8>(this.base + this.position + 1) != 0x75) {
              this.fail("high surrogate not followed by a low surrogate");
              return null;
            }
            this.position += 2;
            const low = this.parseHex4();
            if (low < 0) return null;
            if (low < 0xdc00 || low > 0xdfff) { this.position -= 6; this.fail("high surrogate not followed by a low surrogate"); return null; }
          }
        } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
          this.position++;
        } else {
          this.fail(e == 0xffffffff ? "unterminated string" : "invalid escape");
          return null;
        }
      } else if (c >= 0x80) {
        if (!this.skipUtf8Sequence()) return null;
      } else {
        this.position++;
      }
    }
    const end = this.position;
    this.position++;
    if (!escaped) return String.UTF8.decodeUnsafe(this.base + start, end - start);
    // Second pass: every escape decodes to no more bytes than it spans, so the span size is enough.
    const out = new ArrayBuffer(end - start);
    const outBase = changetype<usize>(out);
    let written: usize = 0;
    let at = start;
    while (at < end) {
      const c = <u32>load<u8>(this.base + at);
      if (c != 0x5c) {
        store<u8>(outBase + written++, c);
        at++;
        continue;
      }
      const e = <u32>load<u8>(this.base + at + 1);
      at += 2;
      let cp: u32 = e;
      if (e == 0x62) cp = 0x08;
      else if (e == 0x66) cp = 0x0c;
      else if (e == 0x6e) cp = 0x0a;
      else if (e == 0x72) cp = 0x0d;
      else if (e == 0x74) cp = 0x09;
      else if (e == 0x75) {
        cp = this.hex4At(at);
        at += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          const low = this.hex4At(at + 2);
          at += 6;
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
      }
      written += writeUtf8(outBase + written, cp);
    }
    return String.UTF8.decodeUnsafe(outBase, written);
  }

  /** Four hex digits already validated by the first pass. */
  hex4At(at: i32): u32 {
    let value: u32 = 0;
    for (let i = 0; i < 4; i++) value = (value << 4) | <u32>hexValue(load<u8>(this.base + at + i));
    return value;
  }

  parseArray(depth: i32): JsonValue | null {
    if (depth > this.maxDepth) return this.fail("nesting deeper than " + this.maxDepth.toString());
    this.position++;
    const array = new JsonArray();
    this.skipWhitespace();
    if (this.peek() == 0x5d) { this.position++; return array; }
    while (true) {
      this.skipWhitespace();
      const item = this.parseValue(depth);
      if (item === null) return null;
      array.items.push(item);
      this.skipWhitespace();
      const c = this.peek();
      this.position++;
      if (c == 0x5d) return array;
      if (c != 0x2c) { this.position--; return this.fail("expected ',' or ']'"); }
    }
  }

  parseObject(depth: i32): JsonValue | null {
    if (depth > this.maxDepth) return this.fail("nesting deeper than " + this.maxDepth.toString());
    this.position++;
    const object = new JsonObject();
    this.skipWhitespace();
    if (this.peek() == 0x7d) { this.position++; return object; }
    while (true) {
      this.skipWhitespace();
      if (this.peek() != 0x22) return this.fail("expected string key");
      const key = this.parseString();
      if (key === null) return null;
      this.skipWhitespace();
      if (this.peek() != 0x3a) return this.fail("expected ':'");
      this.position++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      if (value === null) return null;
      object.set(key, value);
      this.skipWhitespace();
      const c = this.peek();
      this.position++;
      if (c == 0x7d) return object;
      if (c != 0x2c) { this.position--; return this.fail("expected ',' or '}'"); }
    }
  }
}
