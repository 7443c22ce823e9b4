/**
 * Reading Envoy attributes and writing filter state. A path is a list of
 * parts (e.g. ["request", "headers", "x-id"]); the SDK joins them with NUL as
 * Envoy expects. Envoy serializes values by type: strings and bytes raw,
 * int/uint/double as 8 little-endian bytes, bool as 1 byte, durations and
 * timestamps as int64 nanoseconds, maps as proxy-wasm pairs.
 */
import { Status } from "./abi";
import * as host from "./hostcalls";
import { utf8 } from "./memory";

/** Raw value at `path`, or null when absent. */
export function getProperty(path: string[]): ArrayBuffer | null {
  return host.getProperty(path);
}

/** Value at `path` decoded as UTF-8, or null when absent. */
export function getPropertyString(path: string[]): string | null {
  const value = host.getProperty(path);
  if (value === null) return null;
  return String.UTF8.decode(value);
}

/** Value at `path` as a little-endian int64, or `fallback` when absent or not 8 bytes. */
export function getPropertyInt(path: string[], fallback: i64 = 0): i64 {
  const value = host.getProperty(path);
  if (value === null || value.byteLength != 8) return fallback;
  return load<i64>(changetype<usize>(value));
}

/** Value at `path` as a bool (1 byte), or `fallback` when absent. */
export function getPropertyBool(path: string[], fallback: bool = false): bool {
  const value = host.getProperty(path);
  if (value === null || value.byteLength < 1) return fallback;
  return load<u8>(changetype<usize>(value)) != 0;
}

/**
 * Writes filter state: Envoy stores it under `wasm.<path>` for the stream, where
 * later filters (Wasm ones via getProperty([path]), others via filter_state)
 * can read it. Outside a stream Envoy answers NotFound.
 */
export function setProperty(path: string[], value: ArrayBuffer): Status {
  return host.setProperty(path, value);
}

/** {@link setProperty} with a UTF-8 text value. */
export function setPropertyString(path: string[], value: string): Status {
  return host.setProperty(path, utf8(value));
}
