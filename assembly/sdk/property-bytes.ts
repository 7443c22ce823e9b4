/**
 * Writing filter state from bytes already in module memory, for per-request
 * hot paths that precompute both the encoded path and the value (see
 * properties.ts for the string-based API and the path encoding).
 */
import * as abi from "./abi";
import { Status } from "./abi";

/** proxy_set_property with a path encoded by hostcalls.encodePropertyPath and a value, both given as memory ranges. */
export function setPropertyBytes(path: usize, pathLength: usize, value: usize, valueLength: usize): Status {
  return <Status>abi.proxy_set_property(path, pathLength, value, valueLength);
}
