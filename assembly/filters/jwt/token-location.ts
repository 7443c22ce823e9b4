/**
 * Finding tokens in a request: headers (with an optional value prefix),
 * query parameters and cookies, as Envoy's jwt_authn extractor does
 * (source/extensions/filters/http/jwt_authn/extractor.cc). A token found at
 * a place several rules watch is checked once, against the rule whose
 * issuer it names.
 *
 * The search runs on the request headers as the host serialized them
 * (borrowed, see sdk/header-bytes.ts) and records where each token lies in
 * that block, so a request whose tokens are all in the verified-token cache
 * is answered without decoding or copying anything. Headers the filter
 * strips (own-headers.ts) are skipped, as they are gone by then.
 */
import { BorrowedHeaderPairs } from "../../sdk/header-bytes";
import { bytesEqual } from "../../crypto/bytes-equal";
import { bytesAre, isIgnoringAsciiCase, startsWithIgnoringAsciiCase } from "./ascii-bytes";
import { JwtConfig, LocationKind, TokenLocation } from "./config";

const PATH_NAME: ArrayBuffer = String.UTF8.encode(":path");
const COOKIE_NAME: ArrayBuffer = String.UTF8.encode("cookie");

/** A token with its own copy of the bytes, for checks that may outlive the callback (a paused request). */
export class FoundToken {
  readonly ruleIndexes: i32[] = [];
  constructor(readonly location: TokenLocation, readonly token: Uint8Array) {}
}

function isSpace(c: u8): bool {
  return c == 0x20 || c == 0x09;
}

/**
 * The tokens of the current request, as ranges of the borrowed header block.
 * One instance per configuration, reused by every request: its tables are
 * sized for the most tokens the rules can see (one per location).
 */
export class RequestTokens {
  readonly pairs: BorrowedHeaderPairs = new BorrowedHeaderPairs();
  /** Tokens found (distinct location and text), in the order Envoy checks them. */
  count: i32 = 0;
  /** The most tokens a request can have: one per configured location. */
  readonly capacity: i32;
  private readonly locations: StaticArray<TokenLocation | null>;
  private readonly starts: StaticArray<usize>;
  private readonly lengths: StaticArray<usize>;
  /** Per token, bit r set when rule r watches its location (meaningful when JwtConfig.ruleMasks). */
  private readonly masks: StaticArray<u64>;
  /** (token, rule) pairs in the order rules were found watching each token, for any number of rules. */
  private watchCount: i32 = 0;
  private readonly watchToken: StaticArray<i32>;
  private readonly watchRule: StaticArray<i32>;

  // Where the last lookup found its bytes.
  private foundStart: usize = 0;
  private foundLength: usize = 0;

  constructor(readonly config: JwtConfig) {
    let capacity = 0;
    for (let r = 0; r < config.rules.length; r++) capacity += unchecked(config.rules[r]).locations.length;
    this.capacity = capacity;
    this.locations = new StaticArray<TokenLocation | null>(capacity);
    this.starts = new StaticArray<usize>(capacity);
    this.lengths = new StaticArray<usize>(capacity);
    this.masks = new StaticArray<u64>(capacity);
    this.watchToken = new StaticArray<i32>(capacity);
    this.watchRule = new StaticArray<i32>(capacity);
  }

  // @ts-ignore: decorator
  @inline location(index: i32): TokenLocation {
    return changetype<TokenLocation>(unchecked(this.locations[index]));
  }

  // @ts-ignore: decorator
  @inline start(index: i32): usize {
    return unchecked(this.starts[index]);
  }

  // @ts-ignore: decorator
  @inline length(index: i32): usize {
    return unchecked(this.lengths[index]);
  }

  // @ts-ignore: decorator
  @inline ruleMask(index: i32): u64 {
    return unchecked(this.masks[index]);
  }

  /** Every token the configured rules can see in the borrowed request headers. */
  find(): void {
    this.count = 0;
    this.watchCount = 0;
    const config = this.config;
    const rules = config.rules;
    let hasPath = false;
    let pathStart: usize = 0;
    let pathLength: usize = 0;
    if (!config.pathStripped && this.firstValue(PATH_NAME)) {
      hasPath = true;
      pathStart = this.foundStart;
      pathLength = this.foundLength;
    }
    for (let r = 0; r < rules.length; r++) {
      const locations = unchecked(rules[r]).locations;
      for (let l = 0; l < locations.length; l++) {
        const location = unchecked(locations[l]);
        let found = false;
        if (location.kind == LocationKind.Header) found = this.fromHeader(location);
        else if (location.kind == LocationKind.Param) found = hasPath && this.queryParameter(pathStart, pathLength, location.nameBytes);
        else found = this.fromCookies(location.nameBytes);
        if (!found || this.foundLength == 0) continue;
        this.record(location, r);
      }
    }
  }

  /** Copies the tokens out of the borrowed block, for the full check. */
  materialize(): FoundToken[] {
    const found = new Array<FoundToken>(this.count);
    for (let i = 0; i < this.count; i++) {
      const length = this.length(i);
      const bytes = new Uint8Array(<i32>length);
      memory.copy(bytes.dataStart, this.start(i), length);
      unchecked(found[i] = new FoundToken(this.location(i), bytes));
    }
    for (let w = 0; w < this.watchCount; w++) {
      unchecked(found[unchecked(this.watchToken[w])]).ruleIndexes.push(unchecked(this.watchRule[w]));
    }
    return found;
  }

  private record(location: TokenLocation, rule: i32): void {
    const start = this.foundStart;
    const length = this.foundLength;
    let index = -1;
    for (let i = 0; i < this.count; i++) {
      const other = this.location(i);
      if (other.kind == location.kind && other.name == location.name && this.length(i) == length && bytesEqual(this.start(i), start, length)) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      index = this.count++;
      unchecked(this.locations[index] = location);
      unchecked(this.starts[index] = start);
      unchecked(this.lengths[index] = length);
      unchecked(this.masks[index] = 0);
    }
    for (let w = 0; w < this.watchCount; w++) {
      if (unchecked(this.watchToken[w]) == index && unchecked(this.watchRule[w]) == rule) return;
    }
    const w = this.watchCount++;
    unchecked(this.watchToken[w] = index);
    unchecked(this.watchRule[w] = rule);
    if (rule < 64) unchecked(this.masks[index] |= (<u64>1) << <u64>rule);
  }

  /** First value of header `name` (Envoy hands a filter only the first of repeated headers). */
  private firstValue(name: ArrayBuffer): bool {
    const pairs = this.pairs;
    pairs.rewind();
    while (pairs.next()) {
      if (isIgnoringAsciiCase(pairs.namePointer, pairs.nameLength, name)) {
        this.foundStart = pairs.valuePointer;
        this.foundLength = pairs.valueLength;
        return true;
      }
    }
    return false;
  }

  /** Leaves the found range without its leading and trailing spaces and tabs. */
  private trimFound(): void {
    let start = this.foundStart;
    let end = start + this.foundLength;
    while (start < end && isSpace(load<u8>(start))) start++;
    while (end > start && isSpace(load<u8>(end - 1))) end--;
    this.foundStart = start;
    this.foundLength = end - start;
  }

  private fromHeader(location: TokenLocation): bool {
    if (location.stripped || !this.firstValue(location.nameBytes)) return false;
    const prefix = location.prefixBytes;
    const prefixLength = <usize>prefix.byteLength;
    if (prefixLength > 0) {
      // Auth scheme names are case-insensitive (RFC 9110 §11.1).
      if (!startsWithIgnoringAsciiCase(this.foundStart, this.foundLength, prefix)) return false;
      this.foundStart += prefixLength;
      this.foundLength -= prefixLength;
    }
    this.trimFound();
    return true;
  }

  /** The value of query parameter `name` in the path (first occurrence). */
  private queryParameter(path: usize, length: usize, name: ArrayBuffer): bool {
    const end = path + length;
    let at = path;
    while (at < end && load<u8>(at) != 0x3f) at++;
    if (at == end) return false;
    at++;
    let stop = at;
    while (stop < end && load<u8>(stop) != 0x23) stop++;
    while (at < stop) {
      let next = at;
      while (next < stop && load<u8>(next) != 0x26) next++;
      let keyEnd = at;
      while (keyEnd < next && load<u8>(keyEnd) != 0x3d) keyEnd++;
      if (bytesAre(at, keyEnd - at, name)) {
        this.foundStart = keyEnd == next ? next : keyEnd + 1;
        this.foundLength = next - this.foundStart;
        return true;
      }
      at = next + 1;
    }
    return false;
  }

  /** The value of cookie `name` in the first Cookie header that has it. */
  private fromCookies(name: ArrayBuffer): bool {
    if (this.config.cookieStripped) return false;
    const pairs = this.pairs;
    pairs.rewind();
    while (pairs.next()) {
      if (!isIgnoringAsciiCase(pairs.namePointer, pairs.nameLength, COOKIE_NAME)) continue;
      if (this.cookieValue(pairs.valuePointer, pairs.valueLength, name)) return true;
    }
    return false;
  }

  private cookieValue(header: usize, length: usize, name: ArrayBuffer): bool {
    const end = header + length;
    let at = header;
    while (at <= end) {
      let next = at;
      while (next < end && load<u8>(next) != 0x3b) next++;
      this.foundStart = at;
      this.foundLength = next - at;
      this.trimFound();
      const part = this.foundStart;
      const partEnd = part + this.foundLength;
      let equals = part;
      while (equals < partEnd && load<u8>(equals) != 0x3d) equals++;
      if (equals < partEnd && bytesAre(part, equals - part, name)) {
        let valueStart = equals + 1;
        let valueEnd = partEnd;
        if (valueEnd - valueStart >= 2 && load<u8>(valueStart) == 0x22 && load<u8>(valueEnd - 1) == 0x22) {
          valueStart++;
          valueEnd--;
        }
        this.foundStart = valueStart;
        this.foundLength = valueEnd - valueStart;
        return true;
      }
      at = next + 1;
    }
    return false;
  }
}
