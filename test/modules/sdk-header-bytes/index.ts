// Exercises the byte-level SDK helpers (header-bytes.ts, property-bytes.ts): on request headers it walks the
// borrowed pairs, removes every `x-drop-*` header by the name bytes it found, copies the value of `x-copy`
// into `x-copied` with replaceHeaderBytes, and stores the value of `x-state` in filter state `sdk.bytes`.
export * from "../../../assembly/sdk/exports";
import { Action, HttpContext, MapType, RootContext, registerRootContext } from "../../../assembly/sdk";
import { BorrowedHeaderPairs, removeHeaderBytes, replaceHeaderBytes } from "../../../assembly/sdk/header-bytes";
import { setPropertyBytes } from "../../../assembly/sdk/property-bytes";

const DROP_PREFIX = String.UTF8.encode("x-drop-");
const COPY = String.UTF8.encode("x-copy");
const COPIED = String.UTF8.encode("x-copied");
const STATE = String.UTF8.encode("x-state");
const STATE_PATH = String.UTF8.encode("sdk.bytes");

function startsWith(pointer: usize, length: usize, prefix: ArrayBuffer): bool {
  const prefixLength = <usize>prefix.byteLength;
  return length >= prefixLength && memory.compare(pointer, changetype<usize>(prefix), prefixLength) == 0;
}

function equals(pointer: usize, length: usize, other: ArrayBuffer): bool {
  return length == <usize>other.byteLength && memory.compare(pointer, changetype<usize>(other), length) == 0;
}

class Root extends RootContext {
  createHttpContext(id: u32): HttpContext | null { return new Stream(id, this); }
}

class Stream extends HttpContext {
  onRequestHeaders(count: u32, endOfStream: bool): Action {
    const pairs = new BorrowedHeaderPairs();
    if (!pairs.borrow(MapType.HttpRequestHeaders)) return Action.Continue;
    // Removing while borrowed is safe: the block is the host's snapshot, not the live map.
    while (pairs.next()) {
      if (startsWith(pairs.namePointer, pairs.nameLength, DROP_PREFIX)) removeHeaderBytes(MapType.HttpRequestHeaders, pairs.namePointer, pairs.nameLength);
      else if (equals(pairs.namePointer, pairs.nameLength, COPY)) replaceHeaderBytes(MapType.HttpRequestHeaders, changetype<usize>(COPIED), <usize>COPIED.byteLength, pairs.valuePointer, pairs.valueLength);
      else if (equals(pairs.namePointer, pairs.nameLength, STATE)) setPropertyBytes(changetype<usize>(STATE_PATH), <usize>STATE_PATH.byteLength, pairs.valuePointer, pairs.valueLength);
    }
    pairs.release();
    return Action.Continue;
  }
}

registerRootContext((id: u32): RootContext => new Root(id));
