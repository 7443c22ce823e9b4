/**
 * An {@link AttributeSource} reading Envoy attributes with proxy_get_property
 * (envoy docs/root/intro/arch_overview/advanced/attributes.rst). Envoy sends
 * values without their type (source/extensions/common/wasm/context.cc
 * `serializeValue`: strings raw, ints 8 bytes little-endian, bools 1 byte,
 * maps as proxy-wasm pairs), so the type of each known attribute comes from
 * the table below; anything else (node metadata fields, filter state) reads
 * as a string. `node.*` is served from `xds.node.*`: Istio's stats
 * expressions use the old top-level alias Envoy removed in 1.33.
 */
import * as abi from "../../sdk/abi";
import { Status } from "../../sdk/abi";
import { RETURN_POINTER, RETURN_SIZE, resetReturnSlots, takeReturnedBytes } from "../../sdk/memory";
import { decodePairs } from "../../sdk/pairs";
import { encodePropertyPath } from "../../sdk/hostcalls";
import { AttributePath, AttributeSource } from "./attribute-source";
import { CelValue } from "./value";

const enum AttributeType { String = 0, Int = 1, Bool = 2, Map = 3 }

function isOneOf(name: string, a: string, b: string, c: string = "", d: string = "", e: string = "", f: string = ""): bool {
  return name == a || name == b || name == c || name == d || name == e || name == f;
}

function attributeType(parts: string[]): AttributeType {
  const count = parts.length;
  const top = unchecked(parts[0]);
  if (count == 1) return top == "connection_id" ? AttributeType.Int : AttributeType.String;
  const field = unchecked(parts[1]);
  if (count == 2) {
    if (top == "request") {
      if (isOneOf(field, "headers", "trailers")) return AttributeType.Map;
      if (isOneOf(field, "size", "total_size", "duration", "time")) return AttributeType.Int;
    } else if (top == "response") {
      if (isOneOf(field, "headers", "trailers")) return AttributeType.Map;
      if (isOneOf(field, "code", "size", "total_size", "flags", "grpc_status", "backend_latency")) return AttributeType.Int;
    } else if (isOneOf(top, "source", "destination", "upstream")) {
      if (isOneOf(field, "port", "request_attempt_count")) return AttributeType.Int;
    } else if (top == "connection") {
      if (field == "mtls") return AttributeType.Bool;
      if (field == "id") return AttributeType.Int;
    } else if (top == "xds" && field == "listener_direction") {
      return AttributeType.Int;
    }
    return AttributeType.String;
  }
  // xds.node.metadata and its LABELS struct hold string maps under Istio.
  if (top == "xds" && field == "node" && unchecked(parts[2]) == "metadata") {
    if (count == 3 || (count == 4 && unchecked(parts[3]) == "LABELS")) return AttributeType.Map;
  }
  return AttributeType.String;
}

/** The path Envoy knows: `node.x` becomes `xds.node.x`. */
function hostPath(parts: string[]): string[] {
  if (unchecked(parts[0]) != "node") return parts;
  const mapped = new Array<string>();
  mapped.push("xds");
  for (let i = 0, n = parts.length; i < n; i++) mapped.push(unchecked(parts[i]));
  return mapped;
}

/** Raw bytes of the property at an already encoded path, or null. */
export function readProperty(encodedPath: ArrayBuffer): ArrayBuffer | null {
  resetReturnSlots();
  const status = abi.proxy_get_property(changetype<usize>(encodedPath), encodedPath.byteLength, RETURN_POINTER, RETURN_SIZE);
  if (status != Status.Ok) return null;
  return takeReturnedBytes();
}

function decode(bytes: ArrayBuffer, type: AttributeType): CelValue {
  switch (type) {
    case AttributeType.Int:
      if (bytes.byteLength != 8) return CelValue.error("attribute is not an int");
      return CelValue.ofInt(load<i64>(changetype<usize>(bytes)));
    case AttributeType.Bool:
      return CelValue.ofBool(bytes.byteLength > 0 && load<u8>(changetype<usize>(bytes)) != 0);
    case AttributeType.Map: {
      const pairs = decodePairs(bytes);
      const keys = new Array<string>(pairs.length);
      const values = new Array<CelValue>(pairs.length);
      for (let i = 0, n = pairs.length; i < n; i++) {
        const pair = unchecked(pairs[i]);
        unchecked(keys[i] = pair.name);
        unchecked(values[i] = CelValue.ofString(pair.value));
      }
      return CelValue.ofMap(keys, values);
    }
  }
  return CelValue.ofString(String.UTF8.decode(bytes));
}

/** Attributes of the current context (the one the host is calling into). */
export class EnvoyPropertySource extends AttributeSource {
  lookup(path: AttributePath): CelValue | null {
    let encoded = path.encoded;
    if (encoded === null) {
      encoded = encodePropertyPath(hostPath(path.parts));
      path.encoded = encoded;
      path.typeCode = attributeType(path.parts);
    }
    const bytes = readProperty(encoded);
    if (bytes === null) return null;
    return decode(bytes, <AttributeType>path.typeCode);
  }
}
