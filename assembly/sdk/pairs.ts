/**
 * Header pairs and the proxy-wasm map serialization.
 *
 * Wire format (spec, "Serialization of maps"): a u32 count, then a u32 key
 * size and a u32 value size per pair, then every key and value as bytes each
 * followed by a NUL. All integers little-endian.
 */

/** One header (or trailer, or gRPC metadata) entry. Names are lower case on the wire. */
export class Header {
  constructor(public name: string, public value: string) {}
}

/** Serializes `pairs` into the proxy-wasm map format. */
export function encodePairs(pairs: Header[]): ArrayBuffer {
  const count = pairs.length;
  let size = 4 + 8 * count;
  for (let i = 0; i < count; i++) {
    const pair = unchecked(pairs[i]);
    size += String.UTF8.byteLength(pair.name) + String.UTF8.byteLength(pair.value) + 2;
  }
  const buffer = new ArrayBuffer(size);
  const base = changetype<usize>(buffer);
  store<u32>(base, count);
  let sizes = base + 4;
  let data = base + 4 + 8 * count;
  for (let i = 0; i < count; i++) {
    const pair = unchecked(pairs[i]);
    const nameSize = String.UTF8.encodeUnsafe(changetype<usize>(pair.name), pair.name.length, data, true) - 1;
    data += nameSize + 1;
    const valueSize = String.UTF8.encodeUnsafe(changetype<usize>(pair.value), pair.value.length, data, true) - 1;
    data += valueSize + 1;
    store<u32>(sizes, <u32>nameSize);
    store<u32>(sizes, <u32>valueSize, 4);
    sizes += 8;
  }
  return buffer;
}

/** Parses a proxy-wasm map; returns an empty list for an empty or truncated block. */
export function decodePairs(buffer: ArrayBuffer): Header[] {
  const pairs = new Array<Header>();
  const total = <usize>buffer.byteLength;
  if (total < 4) return pairs;
  const base = changetype<usize>(buffer);
  const count = <usize>load<u32>(base);
  if (<usize>4 + 8 * count > total) return pairs;
  let sizes = base + 4;
  let data = base + <usize>4 + 8 * count;
  const end = base + total;
  for (let i: usize = 0; i < count; i++) {
    const nameSize = <usize>load<u32>(sizes);
    const valueSize = <usize>load<u32>(sizes, 4);
    sizes += 8;
    if (data + nameSize + valueSize + 2 > end) break;
    const name = String.UTF8.decodeUnsafe(data, nameSize);
    data += nameSize + 1;
    const value = String.UTF8.decodeUnsafe(data, valueSize);
    data += valueSize + 1;
    pairs.push(new Header(name, value));
  }
  return pairs;
}
