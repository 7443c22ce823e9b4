import { requestHeaders } from "../../sdk";
import { asciiLowerCase } from "../../expr/ascii-case";

/** Port in `authority` ("host:port", "[v6]:port"), or 0 when it has none. */
export function authorityPort(authority: string): i32 {
  const colon = authority.lastIndexOf(":");
  if (colon < 0 || authority.indexOf("]", colon) >= 0) return 0;
  let port = 0;
  for (let i = colon + 1; i < authority.length; i++) {
    const c = authority.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return 0;
    port = port * 10 + (c - 0x30);
    if (port > 65535) return 0;
  }
  return port;
}

/** `authority` without its port, lower-cased: the name virtual services list in `hosts`. */
export function authorityHost(authority: string): string {
  let end = authority.length;
  if (authorityPort(authority) > 0 || authority.endsWith(":")) end = authority.lastIndexOf(":");
  return asciiLowerCase(authority.substring(0, end));
}

/**
 * The request as route matching sees it. Pseudo-headers are read once; other
 * headers are read from the host on demand.
 */
export class RequestView {
  readonly authority: string;
  /** `:path` including the query string. */
  readonly fullPath: string;
  /** `:path` up to `?` (what Istio's uri matches). */
  readonly path: string;
  readonly query: string;
  readonly method: string;
  readonly scheme: string;
  readonly port: i32;

  constructor() {
    const authority = requestHeaders.get(":authority");
    this.authority = authority === null ? "" : authority;
    const pathHeader = requestHeaders.get(":path");
    const fullPath: string = pathHeader === null ? "/" : pathHeader;
    this.fullPath = fullPath;
    const question = fullPath.indexOf("?");
    this.path = question < 0 ? fullPath : fullPath.substring(0, question);
    this.query = question < 0 ? "" : fullPath.substring(question + 1);
    const method = requestHeaders.get(":method");
    this.method = method === null ? "" : method;
    const scheme = requestHeaders.get(":scheme");
    this.scheme = scheme === null ? "http" : scheme;
    const port = authorityPort(authority === null ? "" : authority);
    this.port = port > 0 ? port : (scheme !== null && scheme == "https" ? 443 : 80);
  }

  header(name: string): string | null {
    return requestHeaders.get(name);
  }

  /** Value of the first query parameter `name` (raw, not percent-decoded), or null. */
  queryParameter(name: string): string | null {
    const query = this.query;
    let start = 0;
    while (start <= query.length) {
      let end = query.indexOf("&", start);
      if (end < 0) end = query.length;
      const equals = query.indexOf("=", start);
      const keyEnd = equals >= 0 && equals < end ? equals : end;
      if (keyEnd - start == name.length && query.substring(start, keyEnd) == name) {
        return keyEnd == end ? "" : query.substring(keyEnd + 1, end);
      }
      start = end + 1;
    }
    return null;
  }

  /** Value of cookie `name` from the `cookie` header, or null. */
  cookie(name: string): string | null {
    const header = requestHeaders.get("cookie");
    if (header === null) return null;
    let start = 0;
    while (start < header.length) {
      let end = header.indexOf(";", start);
      if (end < 0) end = header.length;
      let keyStart = start;
      while (keyStart < end && header.charCodeAt(keyStart) == 0x20) keyStart++;
      const equals = header.indexOf("=", keyStart);
      if (equals >= 0 && equals < end && header.substring(keyStart, equals) == name) {
        let value = header.substring(equals + 1, end);
        if (value.length >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length - 1);
        return value;
      }
      start = end + 1;
    }
    return null;
  }
}
