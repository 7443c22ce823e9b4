/**
 * The jwt filter's plugin configuration (docs/auth-contract.md): Istio
 * RequestAuthentication `jwtRules` with Istio's JSON field names, plus the
 * cluster a `jwksUri` is fetched through. Unknown fields are refused, as
 * Istio's API refuses them; a misspelt `fromHeaders` would otherwise make
 * the filter look for tokens in the wrong place.
 */
import { JsonArray, JsonObject, JsonValue, parseJsonBytes } from "../../sdk";
import { asciiLowerCase } from "../../expr/ascii-case";
import { parseDurationMilliseconds } from "../router/duration";
import { JwtKey, parseJwks } from "./jwks";

export const enum LocationKind { Header = 0, Param = 1, Cookie = 2 }

/** Where a rule looks for its token. */
export class TokenLocation {
  /** {@link name} and {@link prefix} as UTF-8, for matching against raw header bytes. */
  readonly nameBytes: ArrayBuffer;
  readonly prefixBytes: ArrayBuffer;
  /** A header this filter strips before looking for tokens, so the location can never hold one. */
  stripped: bool = false;

  constructor(readonly kind: LocationKind, readonly name: string, readonly prefix: string) {
    this.nameBytes = String.UTF8.encode(name);
    this.prefixBytes = String.UTF8.encode(prefix);
  }
}

export class ClaimToHeader {
  readonly headerBytes: ArrayBuffer;

  constructor(readonly header: string, readonly claim: string) {
    this.headerBytes = String.UTF8.encode(header);
  }
}

export class JwtRule {
  issuer: string = "";
  audiences: string[] = [];
  /** Inline keys; null when the keys come from `jwksUri`. */
  inlineKeys: JwtKey[] | null = null;
  jwksUri: string = "";
  jwksCluster: string = "";
  timeoutMs: u32 = 5000;
  locations: TokenLocation[] = [];
  forwardOriginalToken: bool = false;
  outputPayloadToHeader: string = "";
  outputPayloadToHeaderBytes: ArrayBuffer = new ArrayBuffer(0);
  outputClaimToHeaders: ClaimToHeader[] = [];
  /** Bit r set when rule r has the same issuer (only kept for the first 64 rules, see JwtConfig.ruleMasks). */
  sameIssuerRules: u64 = 0;
}

/** Incoming request headers this filter owns: a client must not be able to set them. */
export const OWN_HEADER_PREFIX = "x-wasmixer-jwt-";

/** The bit of JwtConfig.outputHeaderLengths for a name of `length` bytes. */
export function lengthBit(length: usize): u64 {
  return (<u64>1) << <u64>(length < 63 ? length : 63);
}

export class JwtConfig {
  rules: JwtRule[] = [];
  jwksCacheSeconds: i64 = 600;
  /** Whether the rules fit the u64 bit masks the cached-token path relies on (more rules always take the full check). */
  ruleMasks: bool = true;
  /** Whether the `:path` and `cookie` headers are stripped (only a perverse output header name does that). */
  pathStripped: bool = false;
  cookieStripped: bool = false;
  /**
   * Bit n set when some rule's output header name is n bytes long (bit 63: 63 or more), so the per-request strip
   * (own-headers.ts) passes over a header of another length without walking the rules.
   */
  outputHeaderLengths: u64 = 0;

  /** Whether the lower-case header `name` is one only this filter may set. */
  ownsHeader(name: string): bool {
    if (name.startsWith(OWN_HEADER_PREFIX)) return true;
    for (let r = 0; r < this.rules.length; r++) {
      const rule = unchecked(this.rules[r]);
      if (rule.outputPayloadToHeader == name) return true;
      for (let c = 0; c < rule.outputClaimToHeaders.length; c++) {
        if (unchecked(rule.outputClaimToHeaders[c]).header == name) return true;
      }
    }
    return false;
  }

  /** Derives what the per-request path looks up instead of recomputing. */
  prepare(): void {
    const rules = this.rules;
    this.ruleMasks = rules.length <= 64;
    for (let r = 0; r < rules.length; r++) {
      const rule = unchecked(rules[r]);
      rule.outputPayloadToHeaderBytes = String.UTF8.encode(rule.outputPayloadToHeader);
      this.outputHeaderLengths |= lengthBit(rule.outputPayloadToHeaderBytes.byteLength);
      for (let c = 0; c < rule.outputClaimToHeaders.length; c++) {
        this.outputHeaderLengths |= lengthBit(unchecked(rule.outputClaimToHeaders[c]).headerBytes.byteLength);
      }
      if (this.ruleMasks) {
        for (let other = 0; other < rules.length; other++) {
          if (unchecked(rules[other]).issuer == rule.issuer) rule.sameIssuerRules |= (<u64>1) << <u64>other;
        }
      }
      for (let l = 0; l < rule.locations.length; l++) {
        const location = unchecked(rule.locations[l]);
        location.stripped = location.kind == LocationKind.Header && this.ownsHeader(location.name);
      }
    }
    this.pathStripped = this.ownsHeader(":path");
    this.cookieStripped = this.ownsHeader("cookie");
  }
}

/** Envoy's jwt_authn default token locations, which Istio relies on when a rule names none. */
const DEFAULT_HEADER = "authorization";
const DEFAULT_PREFIX = "Bearer ";
const DEFAULT_PARAM = "access_token";

class ConfigReader {
  error: string = "";

  fail(path: string, message: string): void {
    if (this.error.length == 0) this.error = path + ": " + message;
  }

  knownFields(object: JsonObject, known: string, path: string): bool {
    for (let i = 0; i < object.keys.length; i++) {
      if (!known.includes("," + object.keys[i] + ",")) {
        this.fail(path, "unknown field \"" + object.keys[i] + "\"");
        return false;
      }
    }
    return true;
  }

  string(object: JsonObject, key: string, path: string): string {
    const value = object.get(key);
    if (value === null || value.isNull) return "";
    const text = value.asString();
    if (text === null) { this.fail(path + "." + key, "must be a string"); return ""; }
    return text;
  }

  bool(object: JsonObject, key: string, path: string): bool {
    const value = object.get(key);
    if (value === null || value.isNull) return false;
    if (!value.isBool) { this.fail(path + "." + key, "must be a boolean"); return false; }
    return value.asBool();
  }

  array(object: JsonObject, key: string, path: string): JsonArray | null {
    const value = object.get(key);
    if (value === null || value.isNull) return null;
    const list = value.asArray();
    if (list === null) this.fail(path + "." + key, "must be a list");
    return list;
  }

  strings(object: JsonObject, key: string, path: string): string[] {
    const out = new Array<string>();
    const list = this.array(object, key, path);
    if (list === null) return out;
    for (let i = 0; i < list.items.length; i++) {
      const text = unchecked(list.items[i]).asString();
      if (text === null || text.length == 0) { this.fail(path + "." + key + "[" + i.toString() + "]", "must be a non-empty string"); return out; }
      out.push(text);
    }
    return out;
  }

  object(value: JsonValue, path: string): JsonObject | null {
    const object = value.asObject();
    if (object === null) this.fail(path, "must be an object");
    return object;
  }

  rule(value: JsonValue, path: string): JwtRule | null {
    const object = this.object(value, path);
    if (object === null) return null;
    if (!this.knownFields(object, ",issuer,audiences,jwks,jwksUri,jwks_uri,jwksCluster,fromHeaders,fromParams,fromCookies,forwardOriginalToken,outputPayloadToHeader,outputClaimToHeaders,timeout,", path)) return null;
    const rule = new JwtRule();
    rule.issuer = this.string(object, "issuer", path);
    if (rule.issuer.length == 0) { this.fail(path + ".issuer", "is required"); return null; }
    rule.audiences = this.strings(object, "audiences", path);
    const jwks = this.string(object, "jwks", path);
    rule.jwksUri = this.string(object, "jwksUri", path);
    if (rule.jwksUri.length == 0) rule.jwksUri = this.string(object, "jwks_uri", path);
    rule.jwksCluster = this.string(object, "jwksCluster", path);
    if (jwks.length > 0) {
      const parsed = parseJwks(String.UTF8.encode(jwks));
      if (parsed.keys === null) { this.fail(path + ".jwks", parsed.error); return null; }
      rule.inlineKeys = parsed.keys;
    } else if (rule.jwksUri.length > 0) {
      if (rule.jwksCluster.length == 0) { this.fail(path + ".jwksCluster", "is required with jwksUri"); return null; }
    } else {
      this.fail(path, "one of jwks or jwksUri is required");
      return null;
    }
    const timeout = this.string(object, "timeout", path);
    if (timeout.length > 0) {
      const ms = parseDurationMilliseconds(timeout);
      if (ms <= 0 || ms > 3_600_000) { this.fail(path + ".timeout", "must be a positive duration such as \"5s\""); return null; }
      rule.timeoutMs = <u32>ms;
    }
    const headers = this.array(object, "fromHeaders", path);
    if (headers !== null) {
      for (let i = 0; i < headers.items.length; i++) {
        const where = path + ".fromHeaders[" + i.toString() + "]";
        const header = this.object(unchecked(headers.items[i]), where);
        if (header === null || !this.knownFields(header, ",name,prefix,", where)) return null;
        const name = this.string(header, "name", where);
        if (name.length == 0) { this.fail(where + ".name", "is required"); return null; }
        rule.locations.push(new TokenLocation(LocationKind.Header, asciiLowerCase(name), this.string(header, "prefix", where)));
      }
    }
    const params = this.strings(object, "fromParams", path);
    for (let i = 0; i < params.length; i++) rule.locations.push(new TokenLocation(LocationKind.Param, params[i], ""));
    const cookies = this.strings(object, "fromCookies", path);
    for (let i = 0; i < cookies.length; i++) rule.locations.push(new TokenLocation(LocationKind.Cookie, cookies[i], ""));
    if (rule.locations.length == 0) {
      rule.locations.push(new TokenLocation(LocationKind.Header, DEFAULT_HEADER, DEFAULT_PREFIX));
      rule.locations.push(new TokenLocation(LocationKind.Param, DEFAULT_PARAM, ""));
    }
    rule.forwardOriginalToken = this.bool(object, "forwardOriginalToken", path);
    rule.outputPayloadToHeader = asciiLowerCase(this.string(object, "outputPayloadToHeader", path));
    const claims = this.array(object, "outputClaimToHeaders", path);
    if (claims !== null) {
      for (let i = 0; i < claims.items.length; i++) {
        const where = path + ".outputClaimToHeaders[" + i.toString() + "]";
        const entry = this.object(unchecked(claims.items[i]), where);
        if (entry === null || !this.knownFields(entry, ",header,claim,", where)) return null;
        const header = this.string(entry, "header", where);
        const claim = this.string(entry, "claim", where);
        if (header.length == 0 || claim.length == 0) { this.fail(where, "header and claim are required"); return null; }
        rule.outputClaimToHeaders.push(new ClaimToHeader(asciiLowerCase(header), claim));
      }
    }
    return this.error.length == 0 ? rule : null;
  }
}

/** The parsed configuration, or null with the reason in `error`. */
export class JwtConfigResult {
  constructor(readonly config: JwtConfig | null, readonly error: string) {}
}

export function parseJwtConfig(bytes: ArrayBuffer): JwtConfigResult {
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) return new JwtConfigResult(null, "invalid JSON: " + parsed.error);
  const reader = new ConfigReader();
  const root = reader.object(parsed.value!, "config");
  if (root === null) return new JwtConfigResult(null, reader.error);
  if (!reader.knownFields(root, ",rules,jwksCacheSeconds,", "config")) return new JwtConfigResult(null, reader.error);
  const config = new JwtConfig();
  const cache = root.get("jwksCacheSeconds");
  if (cache !== null) {
    const seconds = cache.asNumber(-1);
    if (!cache.isNumber || seconds <= 0 || seconds != Math.floor(seconds) || seconds > 31_536_000) {
      return new JwtConfigResult(null, "config.jwksCacheSeconds: must be a positive integer");
    }
    config.jwksCacheSeconds = <i64>seconds;
  }
  const rules = reader.array(root, "rules", "config");
  if (rules !== null) {
    for (let i = 0; i < rules.items.length; i++) {
      const rule = reader.rule(unchecked(rules.items[i]), "config.rules[" + i.toString() + "]");
      if (rule === null) return new JwtConfigResult(null, reader.error);
      config.rules.push(rule);
    }
  }
  if (reader.error.length > 0) return new JwtConfigResult(null, reader.error);
  config.prepare();
  return new JwtConfigResult(config, "");
}
