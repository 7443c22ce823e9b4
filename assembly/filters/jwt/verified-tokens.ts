/**
 * A bounded cache of tokens that passed every check, keyed by the exact token
 * bytes and the rule that accepted them, so a client repeating its token
 * skips parsing and the signature check. An entry also holds everything the
 * filter writes for an accepted token (filter state, output headers), ready
 * to hand to the host, so a hit decodes and allocates nothing. Entries keep
 * the token's exp and nbf and are checked against the clock on every hit;
 * the oldest entry goes first when the cache is full; a new configuration
 * clears it and changed keys invalidate entries (keyGeneration).
 */
import { base64urlEncodedLength, base64urlEncodeInto } from "../../crypto/base64url";
import { bytesEqual } from "../../crypto/bytes-equal";
import { claimHeaderValue } from "./claim-headers";
import { JwtRule } from "./config";
import { ParsedToken } from "./token";

const CAPACITY: i32 = 256;
/** A power of two, twice the capacity, so chains stay short. */
const BUCKETS: u32 = 512;

/** The claim headers of a token: per header present, the u32 index of the rule's output, the u32 value length, the value. */
function encodeClaimHeaders(rule: JwtRule, token: ParsedToken): ArrayBuffer | null {
  const outputs = rule.outputClaimToHeaders;
  if (outputs.length == 0) return null;
  const values = new Array<ArrayBuffer | null>(outputs.length);
  let size = 0;
  for (let c = 0; c < outputs.length; c++) {
    const value = claimHeaderValue(token.payload, unchecked(outputs[c]).claim);
    if (value === null) continue;
    const bytes = String.UTF8.encode(value);
    unchecked(values[c] = bytes);
    size += 8 + bytes.byteLength;
  }
  const encoded = new ArrayBuffer(size);
  let at = changetype<usize>(encoded);
  for (let c = 0; c < outputs.length; c++) {
    const bytes = unchecked(values[c]);
    if (bytes === null) continue;
    store<u32>(at, <u32>c);
    store<u32>(at, <u32>bytes.byteLength, 4);
    memory.copy(at + 8, changetype<usize>(bytes), <usize>bytes.byteLength);
    at += 8 + <usize>bytes.byteLength;
  }
  return encoded;
}

/**
 * What is kept of a verified token: few objects, because every cached entry is
 * traced by each garbage collection (the parsed payload tree is not kept).
 */
export class VerifiedToken {
  /** The token exactly as it came in; with {@link ruleIndex}, the cache key. */
  readonly token: ArrayBuffer;
  readonly hasExp: bool;
  readonly exp: i64;
  readonly hasNbf: bool;
  readonly nbf: i64;
  /** Istio's request.auth.principal, "<iss>/<sub>", as UTF-8. */
  readonly principal: ArrayBuffer;
  /** The decoded payload JSON. */
  readonly payload: ArrayBuffer;
  /** Rules with the token's issuer (bit r for rule r; see JwtConfig.ruleMasks). */
  readonly sameIssuerRules: u64;
  /** The `outputPayloadToHeader` value (the payload, base64url), or null when the rule has none. */
  readonly payloadHeader: ArrayBuffer | null;
  /** The `outputClaimToHeaders` values, or null when the rule has none (layout: encodeClaimHeaders). */
  readonly claimHeaders: ArrayBuffer | null;

  nextInBucket: VerifiedToken | null = null;
  older: VerifiedToken | null = null;
  newer: VerifiedToken | null = null;

  constructor(
    text: usize,
    length: usize,
    readonly hash: u32,
    readonly ruleIndex: i32,
    rule: JwtRule,
    token: ParsedToken,
    /** The key set generation it was verified with (see RemoteJwks.generation). */
    readonly keyGeneration: u32,
  ) {
    const copy = new ArrayBuffer(<i32>length);
    memory.copy(changetype<usize>(copy), text, length);
    this.token = copy;
    this.hasExp = token.hasExp;
    this.exp = token.exp;
    this.hasNbf = token.hasNbf;
    this.nbf = token.nbf;
    this.principal = String.UTF8.encode(token.iss + "/" + token.sub);
    this.payload = token.payloadBytes.buffer;
    this.sameIssuerRules = rule.sameIssuerRules;
    if (rule.outputPayloadToHeader.length > 0) {
      const payloadLength = <usize>token.payloadBytes.byteLength;
      const header = new ArrayBuffer(<i32>base64urlEncodedLength(payloadLength));
      base64urlEncodeInto(token.payloadBytes.dataStart, payloadLength, changetype<usize>(header));
      this.payloadHeader = header;
    } else {
      this.payloadHeader = null;
    }
    this.claimHeaders = encodeClaimHeaders(rule, token);
  }

  /** Whether this entry is for the `length` token bytes at `text` with hash `hash`. */
  isFor(text: usize, length: usize, hash: u32): bool {
    return this.hash == hash && <usize>this.token.byteLength == length && bytesEqual(changetype<usize>(this.token), text, length);
  }
}

export class VerifiedTokenCache {
  private readonly buckets: StaticArray<VerifiedToken | null> = new StaticArray<VerifiedToken | null>(<i32>BUCKETS);
  private oldest: VerifiedToken | null = null;
  private newest: VerifiedToken | null = null;
  private count: i32 = 0;

  private first(hash: u32): VerifiedToken | null {
    return unchecked(this.buckets[<i32>(hash & (BUCKETS - 1))]);
  }

  /** The entry for the `length` token bytes at `text` (hash `hash`) verified under rule `ruleIndex`. */
  find(text: usize, length: usize, hash: u32, ruleIndex: i32): VerifiedToken | null {
    let entry: VerifiedToken | null = this.first(hash);
    while (entry !== null) {
      if (entry.ruleIndex == ruleIndex && entry.isFor(text, length, hash)) return entry;
      entry = entry.nextInBucket;
    }
    return null;
  }

  /**
   * The entry a token watched by the rules in `watchers` is checked against:
   * the lowest watching rule with the token's issuer, as JwtRoot.check picks it.
   * Null when that rule has no entry (or no watching rule has the issuer).
   */
  findForWatchers(text: usize, length: usize, hash: u32, watchers: u64): VerifiedToken | null {
    let entry: VerifiedToken | null = this.first(hash);
    while (entry !== null) {
      if (entry.isFor(text, length, hash)) {
        // Every entry of one token has the same issuer, so the first one tells which rule applies.
        const candidates = watchers & entry.sameIssuerRules;
        if (candidates == 0) return null;
        return this.find(text, length, hash, <i32>ctz(candidates));
      }
      entry = entry.nextInBucket;
    }
    return null;
  }

  /** Adds `entry`, replacing one with the same key and evicting the oldest when full. */
  add(entry: VerifiedToken): void {
    const token = changetype<usize>(entry.token);
    const length = <usize>entry.token.byteLength;
    const existing = this.find(token, length, entry.hash, entry.ruleIndex);
    if (existing !== null) this.remove(existing);
    if (this.count >= CAPACITY) this.remove(changetype<VerifiedToken>(this.oldest));
    const slot = <i32>(entry.hash & (BUCKETS - 1));
    entry.nextInBucket = unchecked(this.buckets[slot]);
    unchecked(this.buckets[slot] = entry);
    entry.older = this.newest;
    entry.newer = null;
    const newest = this.newest;
    if (newest !== null) newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
    this.count++;
  }

  remove(entry: VerifiedToken): void {
    const slot = <i32>(entry.hash & (BUCKETS - 1));
    let previous: VerifiedToken | null = null;
    let at: VerifiedToken | null = unchecked(this.buckets[slot]);
    while (at !== null) {
      if (at !== entry) {
        previous = at;
        at = at.nextInBucket;
        continue;
      }
      if (previous === null) unchecked(this.buckets[slot] = entry.nextInBucket);
      else previous.nextInBucket = entry.nextInBucket;
      const older = entry.older;
      const newer = entry.newer;
      if (older !== null) older.newer = newer;
      else this.oldest = newer;
      if (newer !== null) newer.older = older;
      else this.newest = older;
      entry.nextInBucket = entry.older = entry.newer = null;
      this.count--;
      return;
    }
  }

  clear(): void {
    for (let i = 0; i < <i32>BUCKETS; i++) unchecked(this.buckets[i] = null);
    this.oldest = this.newest = null;
    this.count = 0;
  }

  get size(): i32 {
    return this.count;
  }
}
