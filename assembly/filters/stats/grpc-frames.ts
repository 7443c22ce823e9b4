/**
 * Counts gRPC messages in a body that arrives in chunks. Each message is a
 * 5-byte prefix (1 flag byte, 4-byte big-endian length) and its payload
 * (gRPC over HTTP/2, "Length-Prefixed-Message"); a message counts when its
 * prefix starts, as Envoy's `Grpc::FrameInspector` does for grpc_stats.
 * Only the prefixes are copied out of the host: payload bytes are skipped.
 */
import { BufferType } from "../../sdk";
import * as host from "../../sdk/hostcalls";

const PREFIX_SIZE: u32 = 5;

export class GrpcFrameCounter {
  count: u64 = 0;
  /** Payload bytes of the current message still to skip. */
  private remaining: u64 = 0;
  /** Prefix bytes of the current message seen so far (0 = between messages). */
  private prefixSeen: u32 = 0;
  private length: u32 = 0;

  /** Feeds the `size` bytes the body buffer `type` holds now. */
  feed(type: BufferType, size: u32): void {
    let at: u32 = 0;
    while (at < size) {
      if (this.remaining > 0) {
        const skip = <u64>(size - at) < this.remaining ? size - at : <u32>this.remaining;
        at += skip;
        this.remaining -= skip;
        continue;
      }
      if (this.prefixSeen == 0) this.count++;
      const wanted = min(PREFIX_SIZE - this.prefixSeen, size - at);
      const bytes = host.getBufferBytes(type, at, wanted);
      if (bytes === null || bytes.byteLength == 0) return;
      const base = changetype<usize>(bytes);
      for (let i = 0, n = bytes.byteLength; i < n; i++) {
        // Byte 0 is the compression flag; bytes 1-4 the length.
        if (this.prefixSeen > 0) this.length = (this.length << 8) | <u32>load<u8>(base + i);
        this.prefixSeen++;
      }
      at += <u32>bytes.byteLength;
      if (this.prefixSeen == PREFIX_SIZE) {
        this.remaining = this.length;
        this.prefixSeen = 0;
        this.length = 0;
      }
    }
  }
}
