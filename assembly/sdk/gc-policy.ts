/**
 * When garbage is collected.
 *
 * Modules are built with AssemblyScript's `minimal` runtime: no write barriers
 * and no collector running on its own, which makes filters markedly smaller
 * than the incremental runtime (the router: 86 KB -> about 54 KB) and keeps
 * the hot path free of GC work. The price is that `__collect()` may only run
 * when no managed reference lives solely on the Wasm stack, i.e. between host
 * callbacks. Every exported callback calls enterCallback/leaveCallback; a
 * callback the host makes while another is still running (re-entry through
 * proxy_continue_stream, for example) only nests the depth, so collection
 * waits for the outermost one to return.
 *
 * A collection marks everything live, configuration included (an RBAC filter
 * with 100 policies holds ~12,000 objects), so it runs rarely: after the heap
 * had to grow since the last collection (the allocator ran out of free blocks),
 * or at the latest every CALLBACKS_PER_COLLECTION outermost callbacks.
 */

/**
 * Upper bound on callbacks between collections (a stream uses ~5). A
 * collection of a configured stats filter costs ~19 us on the CI machines,
 * most of it marking configuration and globals; every 1024 callbacks that is
 * ~0.1 us per stream. Garbage between collections stays bounded by the heap
 * growth rule above.
 */
const CALLBACKS_PER_COLLECTION: u32 = 1024;

let depth: u32 = 0;
let callbacksSinceCollection: u32 = 0;
let pagesAtLastCollection: i32 = 0;

// @ts-ignore: decorator
@inline export function enterCallback(): void {
  depth++;
}

// @ts-ignore: decorator
@inline export function leaveCallback(): void {
  depth--;
  if (depth != 0) return;
  if (++callbacksSinceCollection >= CALLBACKS_PER_COLLECTION || memory.size() > pagesAtLastCollection) {
    callbacksSinceCollection = 0;
    __collect();
    pagesAtLastCollection = memory.size();
  }
}
