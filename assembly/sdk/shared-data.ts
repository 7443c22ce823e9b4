/**
 * Host-wide key/value data shared by every VM and plugin of the host, with
 * compare-and-swap: read a value with its CAS token, write it back passing
 * that token, and the host refuses the write (CasMismatch) if someone wrote
 * in between.
 */
import { Status } from "./abi";
import * as host from "./hostcalls";
import { utf8 } from "./memory";

/** A read of shared data: the value (null when absent), its CAS token and the host status. */
export class SharedDataValue {
  constructor(readonly value: ArrayBuffer | null, readonly cas: u32, readonly status: Status) {}

  /** The value decoded as UTF-8, or null when absent. */
  text(): string | null {
    const value = this.value;
    if (value === null) return null;
    return String.UTF8.decode(value);
  }
}

/** Reads `key`. */
export function getSharedData(key: string): SharedDataValue {
  const value = host.getSharedData(key);
  const cas = value === null ? 0 : host.lastSharedDataCas();
  return new SharedDataValue(value, cas, host.lastHostStatus());
}

/** Writes `key`; `cas` 0 writes unconditionally, otherwise only if the value still has that CAS token. */
export function setSharedData(key: string, value: ArrayBuffer, cas: u32 = 0): Status {
  return host.setSharedData(key, value, cas);
}

/** {@link setSharedData} with a UTF-8 text value. */
export function setSharedDataText(key: string, value: string, cas: u32 = 0): Status {
  return host.setSharedData(key, utf8(value), cas);
}
