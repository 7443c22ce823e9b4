/**
 * The Merkle–Damgård framing shared by SHA-256 and SHA-512: block buffering,
 * the 0x80 pad byte and the big-endian bit-length trailer. Subclasses supply
 * the compression function and the digest serialization.
 *
 * Instances keep all their state in buffers allocated once, so a long-lived
 * hasher that is `reset()` between messages allocates nothing per message.
 */
export abstract class Hasher {
  /** Partial block carried between `update` calls (sized for the largest block, 128 bytes). */
  private readonly pending: StaticArray<u8> = new StaticArray<u8>(128);
  private pendingLength: i32 = 0;
  private totalBytes: u64 = 0;

  constructor(
    /** Bytes per compression block: 64 (SHA-256) or 128 (SHA-384/512). */
    readonly blockSize: i32,
    /** Bytes `finishInto` writes. */
    readonly digestLength: i32,
    /** Bytes of the length trailer: 8 (SHA-256) or 16 (SHA-384/512). */
    private readonly lengthFieldSize: i32,
  ) {}

  /** Loads the initial hash value. */
  protected abstract initState(): void;
  /** Runs the compression function over `count` consecutive blocks at `blocks`. */
  protected abstract compressBlocks(blocks: usize, count: i32): void;
  /** Writes the first `digestLength` bytes of the big-endian state to `out`. */
  protected abstract writeDigest(out: usize): void;

  /** Starts a new message. */
  reset(): this {
    this.initState();
    this.pendingLength = 0;
    this.totalBytes = 0;
    return this;
  }

  /** Absorbs `length` bytes at `data`. */
  update(data: usize, length: usize): this {
    const blockSize = <usize>this.blockSize;
    const pending = changetype<usize>(this.pending);
    this.totalBytes += <u64>length;
    let remaining = length;
    if (this.pendingLength > 0) {
      const space = blockSize - <usize>this.pendingLength;
      const take = remaining < space ? remaining : space;
      memory.copy(pending + <usize>this.pendingLength, data, take);
      this.pendingLength += <i32>take;
      data += take;
      remaining -= take;
      if (<usize>this.pendingLength < blockSize) return this;
      this.compressBlocks(pending, 1);
      this.pendingLength = 0;
    }
    const fullBlocks = remaining / blockSize;
    if (fullBlocks > 0) {
      // Whole blocks are compressed straight from the caller's memory, without a copy.
      this.compressBlocks(data, <i32>fullBlocks);
      data += fullBlocks * blockSize;
      remaining -= fullBlocks * blockSize;
    }
    if (remaining > 0) {
      memory.copy(pending, data, remaining);
      this.pendingLength = <i32>remaining;
    }
    return this;
  }

  /** Absorbs the bytes of `data`. */
  updateBytes(data: Uint8Array): this {
    return this.update(data.dataStart, <usize>data.byteLength);
  }

  /** Pads, writes the digest to `out` (`digestLength` bytes) and resets for the next message. */
  finishInto(out: usize): void {
    const blockSize = this.blockSize;
    const pending = changetype<usize>(this.pending);
    let used = this.pendingLength;
    store<u8>(pending + <usize>used, 0x80);
    used++;
    if (used > blockSize - this.lengthFieldSize) {
      memory.fill(pending + <usize>used, 0, <usize>(blockSize - used));
      this.compressBlocks(pending, 1);
      used = 0;
    }
    memory.fill(pending + <usize>used, 0, <usize>(blockSize - 8 - used));
    if (this.lengthFieldSize == 16) store<u64>(pending + <usize>(blockSize - 16), bswap<u64>(this.totalBytes >> 61));
    store<u64>(pending + <usize>(blockSize - 8), bswap<u64>(this.totalBytes << 3));
    this.compressBlocks(pending, 1);
    this.writeDigest(out);
    this.reset();
  }

  /** Pads and returns the digest as a new array; resets for the next message. */
  digest(): Uint8Array {
    const out = new Uint8Array(this.digestLength);
    this.finishInto(out.dataStart);
    return out;
  }
}
