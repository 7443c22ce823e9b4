/**
 * Header reads with the name encoded once, not on every call, and a way to
 * look at a value in the host's block before deciding to decode it.
 */
import * as abi from "../../sdk/abi";
import { MapType, Status } from "../../sdk/abi";
import { RETURN_POINTER, RETURN_SIZE, resetReturnSlots, takeReturnedString } from "../../sdk/memory";

export class HeaderName {
  readonly bytes: ArrayBuffer;

  constructor(text: string) {
    this.bytes = String.UTF8.encode(text);
  }
}

/**
 * Asks the host for the first value of `name` in `map`. When present (true),
 * the value's block is in the return slots (RETURN_POINTER, RETURN_SIZE) and
 * the caller must take or release it.
 */
export function requestHeader(map: MapType, name: HeaderName): bool {
  const bytes = name.bytes;
  resetReturnSlots();
  return abi.proxy_get_header_map_value(map, changetype<usize>(bytes), bytes.byteLength, RETURN_POINTER, RETURN_SIZE) == Status.Ok;
}

/** The first value of `name` in `map`, or null when absent. */
export function headerValue(map: MapType, name: HeaderName): string | null {
  return requestHeader(map, name) ? takeReturnedString() : null;
}
