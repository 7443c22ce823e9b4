/**
 * One of the stream's header maps (request/response headers or trailers, or
 * an HTTP call response's headers/trailers), as the host holds it. Every
 * method goes to the host, so reads always see the current state.
 */
import { MapType, Status } from "./abi";
import { Header } from "./pairs";
import * as host from "./hostcalls";

function asciiLowerCase(text: string): string {
  let needsChange = false;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) { needsChange = true; break; }
  }
  if (!needsChange) return text;
  const codes = new Array<i32>(text.length);
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    unchecked(codes[i] = c >= 65 && c <= 90 ? c + 32 : c);
  }
  return String.fromCharCodes(codes);
}

export class HeaderMap {
  constructor(readonly type: MapType) {}

  /** First value of `name`, or null when absent (Envoy returns only the first of repeated headers). */
  get(name: string): string | null {
    return host.getHeaderMapValue(this.type, name);
  }

  /** Every value of `name` in order; names compare ASCII case-insensitively. */
  getAll(name: string): string[] {
    const wanted = asciiLowerCase(name);
    const values = new Array<string>();
    const pairs = this.pairs();
    for (let i = 0, n = pairs.length; i < n; i++) {
      const pair = unchecked(pairs[i]);
      if (asciiLowerCase(pair.name) == wanted) values.push(pair.value);
    }
    return values;
  }

  /** True when `name` is present. */
  has(name: string): bool {
    return this.get(name) !== null;
  }

  /** Appends an entry; an existing `name` keeps its values. */
  add(name: string, value: string): Status {
    return host.addHeaderMapValue(this.type, name, value);
  }

  /** Removes every entry named `name` and adds one with `value`. */
  replace(name: string, value: string): Status {
    return host.replaceHeaderMapValue(this.type, name, value);
  }

  /** Removes every entry named `name`. */
  remove(name: string): Status {
    return host.removeHeaderMapValue(this.type, name);
  }

  /** Every entry, repeated names included, in order. */
  pairs(): Header[] {
    return host.getHeaderMapPairs(this.type);
  }

  /** Replaces the whole map with `pairs`. */
  setPairs(pairs: Header[]): Status {
    return host.setHeaderMapPairs(this.type, pairs);
  }
}

/** Headers of the current HTTP request. */
export const requestHeaders = new HeaderMap(MapType.HttpRequestHeaders);
/** Trailers of the current HTTP request. */
export const requestTrailers = new HeaderMap(MapType.HttpRequestTrailers);
/** Headers of the current HTTP response (`:status` first). */
export const responseHeaders = new HeaderMap(MapType.HttpResponseHeaders);
/** Trailers of the current HTTP response. */
export const responseTrailers = new HeaderMap(MapType.HttpResponseTrailers);
