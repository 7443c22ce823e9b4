/**
 * A bounded cache of tokens that passed every check, keyed by the SHA-256 of
 * the token text and the rule that accepted it, so a client repeating its
 * token skips the signature check. Entries keep the token's exp and nbf and
 * are checked against the clock on every hit; the oldest entry goes first
 * when the cache is full. A changed key set clears it.
 */
import { sha256Into } from "../../crypto/sha2";
import { ParsedToken } from "./token";

const CAPACITY: i32 = 256;

/**
 * What is kept of a verified token: few objects, because every cached entry is
 * traced by each garbage collection (the parsed payload tree is not kept; the
 * claim-to-header output re-parses the payload bytes when it needs them).
 */
export class VerifiedToken {
  readonly hasExp: bool;
  readonly exp: i64;
  readonly hasNbf: bool;
  readonly nbf: i64;
  /** Istio's request.auth.principal: "<iss>/<sub>". */
  readonly principal: string;
  readonly payloadBytes: Uint8Array;

  constructor(
    readonly digest: Uint8Array,
    readonly ruleIndex: i32,
    token: ParsedToken,
    /** The key set generation it was verified with (see RemoteJwks.generation). */
    readonly keyGeneration: u32,
  ) {
    this.hasExp = token.hasExp;
    this.exp = token.exp;
    this.hasNbf = token.hasNbf;
    this.nbf = token.nbf;
    this.principal = token.iss + "/" + token.sub;
    this.payloadBytes = token.payloadBytes;
  }
}

function keyOf(digest: Uint8Array, ruleIndex: i32): u64 {
  return load<u64>(digest.dataStart) ^ <u64>ruleIndex;
}

export class VerifiedTokenCache {
  private readonly entries: Map<u64, VerifiedToken> = new Map<u64, VerifiedToken>();
  private order: u64[] = [];

  /** SHA-256 of `length` bytes at `text`. */
  digestOf(text: usize, length: usize): Uint8Array {
    const digest = new Uint8Array(32);
    sha256Into(text, length, digest.dataStart);
    return digest;
  }

  find(digest: Uint8Array, ruleIndex: i32): VerifiedToken | null {
    const key = keyOf(digest, ruleIndex);
    if (!this.entries.has(key)) return null;
    const entry = this.entries.get(key);
    if (entry.ruleIndex != ruleIndex || memory.compare(entry.digest.dataStart, digest.dataStart, 32) != 0) return null;
    return entry;
  }

  add(entry: VerifiedToken): void {
    const key = keyOf(entry.digest, entry.ruleIndex);
    if (this.entries.has(key)) {
      this.entries.set(key, entry);
      return;
    }
    if (this.order.length >= CAPACITY) {
      const oldest = this.order.shift();
      this.entries.delete(oldest);
    }
    this.entries.set(key, entry);
    this.order.push(key);
  }

  remove(digest: Uint8Array, ruleIndex: i32): void {
    const key = keyOf(digest, ruleIndex);
    if (!this.entries.has(key)) return;
    this.entries.delete(key);
    const at = this.order.indexOf(key);
    if (at >= 0) this.order.splice(at, 1);
  }

  clear(): void {
    this.entries.clear();
    this.order = [];
  }

  get size(): i32 {
    return this.entries.size;
  }
}
