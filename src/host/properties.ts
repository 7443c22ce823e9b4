/**
 * Properties (proxy_get_property / proxy_set_property) with Envoy's encodings
 * (envoy source/extensions/common/wasm/context.cc `serializeValue`, host byte
 * order = little-endian): strings and bytes raw, ints/uints/doubles 8 bytes,
 * bools 1 byte, timestamps int64 Unix ns, maps as proxy-wasm pairs.
 *
 * A path is the raw bytes the module sends; parts are separated by NUL (the
 * SDKs join path segments with `\0`). Properties given by tests are keyed by
 * dotted paths ("node.metadata.NAMESPACE"), or NUL-separated ones when a
 * segment itself contains dots.
 */
import { serializePairs } from "./memory.js";
import { byteStringFromBytes, byteStringFromText } from "./byte-strings.js";

/** A property value given by a test; numbers are int64 when integral, else double. */
export type PropertyValue = string | Uint8Array | number | boolean | bigint;

// Scratch cells for 8-byte encodings: a fresh DataView per value (with BigInt.asIntN) costs ~1.2 us
// in Node 20, a store into a scratch typed array and a slice ~0.2 us.
const int64Cell = new BigInt64Array(1);
const int64Bytes = new Uint8Array(int64Cell.buffer);
const float64Cell = new Float64Array(1);
const float64Bytes = new Uint8Array(float64Cell.buffer);
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Encodes a value the way Envoy serializes a CEL value. */
export function encodePropertyValue(value: PropertyValue): Uint8Array {
  if (typeof value === "string") return new Uint8Array(Buffer.from(value, "utf8"));
  if (value instanceof Uint8Array) return value;
  if (typeof value === "boolean") return Uint8Array.of(value ? 1 : 0);
  if (typeof value === "number" && Number.isSafeInteger(value)) return encodeSafeInteger(value);
  if (!LITTLE_ENDIAN) return encodeWithDataView(value);
  if (typeof value === "bigint" || Number.isInteger(value)) {
    // A BigInt64Array store wraps to int64 like BigInt.asIntN(64, ...).
    int64Cell[0] = typeof value === "bigint" ? value : BigInt(value);
    return int64Bytes.slice();
  }
  float64Cell[0] = value;
  return float64Bytes.slice();
}

function encodeWithDataView(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  if (typeof value === "bigint") view.setBigInt64(0, BigInt.asIntN(64, value), true);
  else if (Number.isInteger(value)) view.setBigInt64(0, BigInt(value), true);
  else view.setFloat64(0, value, true);
  return out;
}

/** Little-endian int64 of a safe integer, from its two 32-bit halves. */
function encodeSafeInteger(value: number): Uint8Array {
  const out = new Uint8Array(8);
  const low = value >>> 0;
  const high = Math.floor(value / 4294967296) >>> 0;
  out[0] = low; out[1] = low >>> 8; out[2] = low >>> 16; out[3] = low >>> 24;
  out[4] = high; out[5] = high >>> 8; out[6] = high >>> 16; out[7] = high >>> 24;
  return out;
}

/** Splits a property key given by a test into path segments. */
export function splitPropertyKey(key: string): string[] {
  return key.includes("\0") ? key.split("\0") : key.split(".");
}

/** A tree of test-provided properties, navigated segment by segment. */
export class PropertyTree {
  private readonly root: PropertyNode = new Map();

  constructor(properties?: Record<string, PropertyValue>) {
    if (properties) for (const [key, value] of Object.entries(properties)) this.set(key, value);
  }

  set(key: string, value: PropertyValue): void {
    const parts = splitPropertyKey(key).map(byteStringFromText);
    let node = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      let child = node.get(parts[i]!);
      if (!(child instanceof Map)) node.set(parts[i]!, (child = new Map()));
      node = child;
    }
    node.set(parts[parts.length - 1]!, encodePropertyValue(value));
  }

  /** The encoded value at `parts` (byte strings), or undefined. Interior nodes encode as pairs. */
  lookup(parts: readonly string[]): Uint8Array | undefined {
    let node: PropertyNode | Uint8Array = this.root;
    for (let i = 0; i < parts.length; i++) {
      if (!(node instanceof Map)) return undefined;
      const next: PropertyNode | Uint8Array | undefined = node.get(parts[i]!);
      if (next === undefined) return undefined;
      node = next;
    }
    return node instanceof Map ? encodeNode(node) : node;
  }
}

type PropertyNode = Map<string, PropertyNode | Uint8Array>;

function encodeNode(node: PropertyNode): Uint8Array {
  const pairs: [string, string][] = [];
  for (const [k, v] of node) pairs.push([k, byteStringFromBytes(v instanceof Map ? encodeNode(v) : v)]);
  return serializePairs(pairs);
}

/** Splits a module-sent path (byte string) into NUL-separated segments. */
export function splitPropertyPath(path: string): string[] {
  return path.split("\0");
}

/** Envoy's filter state key for a path set by a Wasm module (`CelStateKeyPrefix` + path). */
export function filterStateKey(path: string): string {
  return "wasm." + path;
}
