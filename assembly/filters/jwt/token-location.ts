/**
 * Finding tokens in a request: headers (with an optional value prefix),
 * query parameters and cookies, as Envoy's jwt_authn extractor does
 * (source/extensions/filters/http/jwt_authn/extractor.cc). A token found at
 * a place several rules watch is checked once, against the rule whose
 * issuer it names.
 */
import { requestHeaders } from "../../sdk";
import { JwtConfig, LocationKind, TokenLocation } from "./config";

/** A token and the rules that watch where it was found. */
export class FoundToken {
  readonly ruleIndexes: i32[] = [];
  constructor(readonly location: TokenLocation, readonly token: string) {}
}

function isSpace(c: i32): bool {
  return c == 0x20 || c == 0x09;
}

function trim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start == 0 && end == text.length ? text : text.substring(start, end);
}

/** Whether `text` starts with `prefix`, ignoring ASCII case (auth scheme names are case-insensitive, RFC 9110 §11.1). */
function startsWithIgnoringCase(text: string, prefix: string): bool {
  if (text.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    let a = text.charCodeAt(i);
    let b = prefix.charCodeAt(i);
    if (a >= 0x41 && a <= 0x5a) a |= 0x20;
    if (b >= 0x41 && b <= 0x5a) b |= 0x20;
    if (a != b) return false;
  }
  return true;
}

function fromHeader(location: TokenLocation): string | null {
  const value = requestHeaders.get(location.name);
  if (value === null) return null;
  if (location.prefix.length > 0) {
    if (!startsWithIgnoringCase(value, location.prefix)) return null;
    return trim(value.substring(location.prefix.length));
  }
  return trim(value);
}

/** The value of query parameter `name` in `path` (first occurrence), or null. */
export function queryParameter(path: string, name: string): string | null {
  const question = path.indexOf("?");
  if (question < 0) return null;
  let at = question + 1;
  const fragment = path.indexOf("#", at);
  const end = fragment < 0 ? path.length : fragment;
  while (at < end) {
    let next = path.indexOf("&", at);
    if (next < 0 || next > end) next = end;
    const equals = path.indexOf("=", at);
    const keyEnd = equals >= 0 && equals < next ? equals : next;
    if (keyEnd - at == name.length && path.substring(at, keyEnd) == name) {
      return keyEnd == next ? "" : path.substring(keyEnd + 1, next);
    }
    at = next + 1;
  }
  return null;
}

/** The value of cookie `name` in a Cookie header value, or null. */
export function cookieValue(header: string, name: string): string | null {
  const parts = header.split(";");
  for (let i = 0; i < parts.length; i++) {
    const part = trim(unchecked(parts[i]));
    const equals = part.indexOf("=");
    if (equals < 0) continue;
    if (part.substring(0, equals) != name) continue;
    let value = part.substring(equals + 1);
    if (value.length >= 2 && value.charCodeAt(0) == 0x22 && value.charCodeAt(value.length - 1) == 0x22) value = value.substring(1, value.length - 1);
    return value;
  }
  return null;
}

function extract(location: TokenLocation, path: string | null): string | null {
  if (location.kind == LocationKind.Header) return fromHeader(location);
  if (location.kind == LocationKind.Param) return path === null ? null : queryParameter(path, location.name);
  const headers = requestHeaders.getAll("cookie");
  for (let i = 0; i < headers.length; i++) {
    const value = cookieValue(unchecked(headers[i]), location.name);
    if (value !== null) return value;
  }
  return null;
}

function sameLocation(a: TokenLocation, b: TokenLocation): bool {
  return a.kind == b.kind && a.name == b.name;
}

/** Every token the configured rules can see in the current request. */
export function findTokens(config: JwtConfig): FoundToken[] {
  const found = new Array<FoundToken>();
  const path = requestHeaders.get(":path");
  for (let r = 0; r < config.rules.length; r++) {
    const locations = unchecked(config.rules[r]).locations;
    for (let l = 0; l < locations.length; l++) {
      const location = unchecked(locations[l]);
      const token = extract(location, path);
      if (token === null || token.length == 0) continue;
      let entry: FoundToken | null = null;
      for (let i = 0; i < found.length; i++) {
        const candidate = unchecked(found[i]);
        if (sameLocation(candidate.location, location) && candidate.token == token) { entry = candidate; break; }
      }
      if (entry === null) {
        entry = new FoundToken(location, token);
        found.push(entry);
      }
      if (!entry.ruleIndexes.includes(r)) entry.ruleIndexes.push(r);
    }
  }
  return found;
}
