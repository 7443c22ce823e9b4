/**
 * When garbage is collected.
 *
 * Modules are built with AssemblyScript's `minimal` runtime: no write barriers
 * and no collector running on its own, which makes filters markedly smaller
 * than the incremental runtime (the router: 86 KB -> about 51 KB) and keeps
 * the hot path free of GC work. The price is that `__collect()` may only run
 * when no managed reference lives solely on the Wasm stack, i.e. between host
 * callbacks. Every exported callback calls enterCallback/leaveCallback; a
 * callback the host makes while another is still running (re-entry through
 * proxy_continue_stream, for example) only nests the depth, so collection
 * waits for the outermost one to return.
 */

/** Collect after this many completed outermost callbacks (a stream uses ~5): each collection marks the whole live heap. */
const CALLBACKS_PER_COLLECTION: u32 = 16;

let depth: u32 = 0;
let callbacksSinceCollection: u32 = 0;

// @ts-ignore: decorator
@inline export function enterCallback(): void {
  depth++;
}

// @ts-ignore: decorator
@inline export function leaveCallback(): void {
  depth--;
  if (depth == 0 && ++callbacksSinceCollection >= CALLBACKS_PER_COLLECTION) {
    callbacksSinceCollection = 0;
    __collect();
  }
}
