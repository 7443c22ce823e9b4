// Test-only exports over assembly/crypto/: streaming hashing in caller-chosen chunks,
// and the managed (Uint8Array/string) APIs, which the crypto module does not export.
import { base64urlDecodeBytes, base64urlEncode } from "../../../assembly/crypto/base64url";
import { Hasher, Sha256, Sha512, sha256, sha384, sha512 } from "../../../assembly/crypto/sha2";

@global function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const streams: Hasher[] = [new Sha256(), new Sha512(48), new Sha512(64)];

export function alloc(size: usize): usize {
  return heap.alloc(size);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Hashes `length` bytes at `data` with hasher 1..3 (SHA-256/384/512), feeding `chunk` bytes per update. */
export function hashChunked(algorithm: i32, data: usize, length: usize, chunk: usize, out: usize): void {
  const hasher = streams[algorithm - 1];
  hasher.reset();
  let offset: usize = 0;
  while (offset < length) {
    const take = length - offset < chunk ? length - offset : chunk;
    hasher.update(data + offset, take);
    offset += take;
  }
  hasher.finishInto(out);
}

/** The Uint8Array one-shot API (what assembly/crypto/ec/ imports): hash 1..3 of a copy of the bytes, into `out`. */
export function hashOneShot(algorithm: i32, data: usize, length: usize, out: usize): void {
  const bytes = new Uint8Array(<i32>length);
  memory.copy(bytes.dataStart, data, length);
  const digest = algorithm == 1 ? sha256(bytes) : algorithm == 2 ? sha384(bytes) : sha512(bytes);
  memory.copy(out, digest.dataStart, <usize>digest.byteLength);
}

/** base64urlDecodeBytes over a copy of the ASCII at `text`; returns the decoded length or -1, bytes into `out`. */
export function decodeManaged(text: usize, length: usize, out: usize): i32 {
  const ascii = new Uint8Array(<i32>length);
  memory.copy(ascii.dataStart, text, length);
  const decoded = base64urlDecodeBytes(ascii);
  if (decoded === null) return -1;
  memory.copy(out, decoded.dataStart, <usize>decoded.byteLength);
  return decoded.byteLength;
}

/** base64urlEncode (the string API) of the bytes at `data`, written as ASCII to `out`; returns its length. */
export function encodeManaged(data: usize, length: usize, out: usize): i32 {
  const bytes = new Uint8Array(<i32>length);
  memory.copy(bytes.dataStart, data, length);
  const text = base64urlEncode(bytes);
  for (let i = 0; i < text.length; i++) store<u8>(out + <usize>i, <u8>text.charCodeAt(i));
  return text.length;
}

/** Frees what the managed helpers above allocated. */
export function collect(): void {
  __collect();
}
