// google.protobuf.Struct in wire format, as Istio's metadata exchange sends peer metadata
// (x-envoy-peer-metadata, filter state): string values and nested Structs.

function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) { out.push((value & 0x7f) | 0x80); value >>>= 7; }
  out.push(value);
  return out;
}

function lengthDelimited(field: number, bytes: number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(bytes.length), ...bytes];
}

const utf8 = (text: string) => [...Buffer.from(text, "utf8")];

export type StructValue = string | { [key: string]: StructValue };

/** Struct.fields entries (field 1), each a key and a Value with string_value (3) or struct_value (5). */
export function encodeStruct(fields: Record<string, StructValue>): number[] {
  const out: number[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const encodedValue = typeof value === "string" ? lengthDelimited(3, utf8(value)) : lengthDelimited(5, encodeStruct(value));
    out.push(...lengthDelimited(1, [...lengthDelimited(1, utf8(key)), ...lengthDelimited(2, encodedValue)]));
  }
  return out;
}
