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
import { RETURN_POINTER, RETURN_SIZE, resetReturnSlots, takeReturnedBytes, takeReturnedString } from "../../sdk/memory";
import { releaseFromHost } from "../../sdk/host-handoff";
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

/** Marks, in a path's type code, an attribute of the proxy's node (`node.*`, `xds.node.*`). */
const NODE_ATTRIBUTE: i32 = 0x100;

function isNodeAttribute(parts: string[]): bool {
  const top = unchecked(parts[0]);
  return top == "node" || (top == "xds" && parts.length > 1 && unchecked(parts[1]) == "node");
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

/** Takes the value the host left in the return slots, decoded as `type`; scalars and text are read in place. */
function takeValue(type: AttributeType): CelValue {
  if (type == AttributeType.String) return CelValue.ofString(takeReturnedString());
  if (type == AttributeType.Map) return mapValue(takeReturnedBytes());
  const pointer = load<usize>(RETURN_POINTER);
  const size = load<usize>(RETURN_SIZE);
  let value: CelValue;
  if (type == AttributeType.Int) {
    value = pointer != 0 && size == 8 ? CelValue.ofInt(load<i64>(pointer)) : CelValue.error("attribute is not an int");
  } else {
    value = CelValue.ofBool(pointer != 0 && size > 0 && load<u8>(pointer) != 0);
  }
  if (pointer != 0) releaseFromHost(pointer);
  return value;
}

function mapValue(bytes: ArrayBuffer): CelValue {
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

/**
 * Asks the host for the property at `path`. When present (true), the value's
 * block is in the return slots (RETURN_POINTER, RETURN_SIZE) and the caller
 * must take or release it.
 */
export function requestProperty(path: AttributePath): bool {
  let encoded = path.encoded;
  if (encoded === null) {
    encoded = encodePropertyPath(hostPath(path.parts));
    path.encoded = encoded;
    path.typeCode = attributeType(path.parts) | (isNodeAttribute(path.parts) ? NODE_ATTRIBUTE : 0);
  }
  resetReturnSlots();
  return abi.proxy_get_property(changetype<usize>(encoded), encoded.byteLength, RETURN_POINTER, RETURN_SIZE) == Status.Ok;
}

/** Attributes of the current context (the one the host is calling into). */
export class EnvoyPropertySource extends AttributeSource {
  /**
   * `rememberNode`: read each attribute of the proxy's node once and keep it.
   * Envoy's node (bootstrap `node`: id, cluster, metadata) is fixed for the
   * life of the process, as istio_stats.cc assumes when it reads the local
   * node metadata once per configuration.
   */
  constructor(readonly rememberNode: bool = false) {
    super();
  }

  lookup(path: AttributePath): CelValue | null {
    if (path.rememberedSet) return path.remembered;
    const found = requestProperty(path);
    const typeCode = path.typeCode;
    const value = found ? takeValue(<AttributeType>(typeCode & ~NODE_ATTRIBUTE)) : null;
    if (this.rememberNode && (typeCode & NODE_ATTRIBUTE) != 0) {
      path.remembered = value;
      path.rememberedSet = true;
    }
    return value;
  }

  /**
   * The attribute at `path` read as an int (8 bytes, as {@link lookup} gives it
   * for int-typed attributes), or `missing` when absent or of another size.
   * Reads the host's block in place: no copy, no CelValue.
   */
  lookupInt(path: AttributePath, missing: i64): i64 {
    if (!requestProperty(path)) return missing;
    const pointer = load<usize>(RETURN_POINTER);
    if (pointer == 0) return missing;
    const value = load<usize>(RETURN_SIZE) == 8 ? load<i64>(pointer) : missing;
    releaseFromHost(pointer);
    return value;
  }

  /** The attribute at `path` as raw bytes, or null when absent. */
  lookupBytes(path: AttributePath): ArrayBuffer | null {
    if (!requestProperty(path)) return null;
    return takeReturnedBytes();
  }
}
