/**
 * IPv4 and IPv6 addresses and CIDR ranges as Envoy's RBAC `CidrRange`
 * compares them: an address only falls in a range of its own family, and
 * the range's host bits are ignored (Istio accepts `10.1.2.3/16`).
 */

/** An address as 4 (IPv4) or 16 (IPv6) bytes. */
export class IpAddress {
  constructor(readonly bytes: Uint8Array) {}

  get isV6(): bool { return this.bytes.length == 16; }
}

function parseDecimalOctet(text: string, start: i32, end: i32): i32 {
  const length = end - start;
  if (length < 1 || length > 3) return -1;
  // Leading zeros are rejected, as Go's netip (Istio's validator) does: "010" is ambiguous.
  if (length > 1 && text.charCodeAt(start) == 0x30) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value > 255 ? -1 : value;
}

/** Writes the dotted quad `text[start, end)` into `out` at `offset`; false when malformed. */
function parseIpv4Into(text: string, start: i32, end: i32, out: Uint8Array, offset: i32): bool {
  let part = 0;
  let partStart = start;
  for (let i = start; i <= end; i++) {
    if (i == end || text.charCodeAt(i) == 0x2E) {
      if (part > 3) return false;
      const octet = parseDecimalOctet(text, partStart, i);
      if (octet < 0) return false;
      out[offset + part] = <u8>octet;
      part++;
      partStart = i + 1;
    }
  }
  return part == 4;
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** RFC 4291 text form, with `::` and an optional dotted-quad tail; zones are rejected. */
function parseIpv6(text: string, start: i32, end: i32): Uint8Array | null {
  const out = new Uint8Array(16);
  let groups = 0;
  let gapAt = -1;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) == 0x3A && text.charCodeAt(i + 1) == 0x3A) {
    gapAt = 0;
    i += 2;
  }
  while (i < end) {
    if (groups == 8) return null;
    // A dotted quad may end the address when room for two groups is left.
    let dot = -1;
    let j = i;
    while (j < end && text.charCodeAt(j) != 0x3A) {
      if (text.charCodeAt(j) == 0x2E) dot = j;
      j++;
    }
    if (dot >= 0) {
      if (j != end || groups > 6) return null;
      if (!parseIpv4Into(text, i, end, out, groups * 2)) return null;
      groups += 2;
      i = end;
      break;
    }
    const digits = j - i;
    if (digits < 1 || digits > 4) return null;
    let value = 0;
    for (let k = i; k < j; k++) {
      const digit = hexDigit(text.charCodeAt(k));
      if (digit < 0) return null;
      value = (value << 4) | digit;
    }
    out[groups * 2] = <u8>(value >> 8);
    out[groups * 2 + 1] = <u8>value;
    groups++;
    i = j;
    if (i < end) {
      i++; // the ':'
      if (i < end && text.charCodeAt(i) == 0x3A) {
        if (gapAt >= 0) return null;
        gapAt = groups;
        i++;
      } else if (i == end) {
        return null; // a trailing single ':'
      }
    }
  }
  if (gapAt < 0) return groups == 8 ? out : null;
  if (groups == 8) return null;
  // Move the groups after the gap to the end.
  const tail = (groups - gapAt) * 2;
  const result = new Uint8Array(16);
  for (let k = 0; k < gapAt * 2; k++) result[k] = out[k];
  for (let k = 0; k < tail; k++) result[16 - tail + k] = out[gapAt * 2 + k];
  return result;
}

/** Parses `text[start, end)` as an IPv4 or IPv6 address; null when it is neither. */
export function parseIpAddressRange(text: string, start: i32, end: i32): IpAddress | null {
  if (end <= start) return null;
  let colon = false;
  for (let i = start; i < end; i++) if (text.charCodeAt(i) == 0x3A) { colon = true; break; }
  if (!colon) {
    const v4 = new Uint8Array(4);
    return parseIpv4Into(text, start, end, v4, 0) ? new IpAddress(v4) : null;
  }
  const v6 = parseIpv6(text, start, end);
  return v6 === null ? null : new IpAddress(v6);
}

/** Parses a whole string as an address. */
export function parseIpAddress(text: string): IpAddress | null {
  return parseIpAddressRange(text, 0, text.length);
}

/**
 * The address part of an Envoy `source.address`/`destination.address`:
 * "10.0.0.1:5555" -> 10.0.0.1, "[::1]:80" -> ::1; a bare address is accepted.
 */
export function addressWithoutPort(text: string): IpAddress | null {
  const length = text.length;
  if (length > 0 && text.charCodeAt(0) == 0x5B) {
    const close = text.indexOf("]");
    if (close < 0) return null;
    return parseIpAddressRange(text, 1, close);
  }
  const firstColon = text.indexOf(":");
  if (firstColon >= 0 && text.lastIndexOf(":") == firstColon) return parseIpAddressRange(text, 0, firstColon);
  return parseIpAddressRange(text, 0, length);
}

/** A CIDR range; a bare address is a /32 or /128. */
export class CidrRange {
  constructor(readonly network: IpAddress, readonly prefixLength: i32) {}

  /** Parses "10.0.0.0/8", "2001:db8::/32" or a single address; null when malformed. */
  static parse(text: string): CidrRange | null {
    const slash = text.indexOf("/");
    const address = parseIpAddressRange(text, 0, slash < 0 ? text.length : slash);
    if (address === null) return null;
    const bits = address.bytes.length * 8;
    if (slash < 0) return new CidrRange(address, bits);
    const digits = text.length - slash - 1;
    if (digits < 1 || digits > 3) return null;
    let length = 0;
    for (let i = slash + 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
      length = length * 10 + (c - 0x30);
    }
    if (digits > 1 && text.charCodeAt(slash + 1) == 0x30) return null;
    if (length > bits) return null;
    return new CidrRange(address, length);
  }

  contains(address: IpAddress): bool {
    const network = this.network.bytes;
    const candidate = address.bytes;
    if (network.length != candidate.length) return false;
    let remaining = this.prefixLength;
    for (let i = 0; remaining > 0; i++) {
      const mask: i32 = remaining >= 8 ? 0xFF : (0xFF << (8 - remaining)) & 0xFF;
      if ((<i32>network[i] & mask) != (<i32>candidate[i] & mask)) return false;
      remaining -= 8;
    }
    return true;
  }
}
