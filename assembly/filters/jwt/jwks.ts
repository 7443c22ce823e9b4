/**
 * JSON Web Key Sets (RFC 7517) as the jwt filter uses them: public keys for
 * the JWS algorithms it verifies. Messages follow Envoy's
 * (source/common/jwt/status.cc); unlike Envoy, a key that cannot be used
 * rejects the whole set, so a typo in an inline JWKS is reported when the
 * configuration is applied instead of surfacing as 401s later.
 */
import { JsonObject, parseJsonBytes } from "../../sdk";
import { decodeSegment } from "./segment-decoding";

export const enum KeyType { Rsa = 0, Ec = 1, Oct = 2, Okp = 3 }

/** Named curves of EC and OKP keys. */
export const enum Curve { None = 0, P256 = 1, P384 = 2, Ed25519 = 3 }

/** One usable verification key. Unused fields are empty arrays. */
export class JwtKey {
  /** RSA modulus, EC/OKP x, or the oct secret. */
  primary: Uint8Array = new Uint8Array(0);
  /** RSA exponent or EC y. */
  secondary: Uint8Array = new Uint8Array(0);
  constructor(readonly type: KeyType, readonly kid: string, readonly alg: string, readonly curve: Curve) {}
}

/** A parsed set: the keys, or (with `keys` null) why it was refused. */
export class JwksParseResult {
  constructor(readonly keys: JwtKey[] | null, readonly error: string) {}
}

function refuse(error: string): JwksParseResult {
  return new JwksParseResult(null, error);
}

/** Smallest and largest RSA moduli the crypto library verifies with (RFC 7518 §3.3 sets the minimum). */
const MIN_RSA_BITS: i32 = 2048;
const MAX_RSA_BITS: i32 = 4096;

function bitLength(bytes: Uint8Array): i32 {
  let at = 0;
  while (at < bytes.length && unchecked(bytes[at]) == 0) at++;
  if (at == bytes.length) return 0;
  return (bytes.length - at) * 8 - <i32>clz<u32>(<u32>unchecked(bytes[at])) + 24;
}

/** Decodes base64url member `name`; null when absent, not a string or not base64url. */
function binaryMember(key: JsonObject, name: string): Uint8Array | null {
  const text = key.getString(name);
  if (text === null) return null;
  const bytes = String.UTF8.encode(text);
  return decodeSegment(changetype<usize>(bytes), <usize>bytes.byteLength);
}

function startsWith(text: string, prefix: string): bool {
  return text.startsWith(prefix);
}

/** Parses one key; sets `problem` and returns null when it cannot be used. */
class KeyReader {
  problem: string = "";

  read(key: JsonObject, index: i32): JwtKey | null {
    const where = "keys[" + index.toString() + "]: ";
    const ktyValue = key.get("kty");
    if (ktyValue === null) { this.problem = where + "[kty] is missing in [keys]"; return null; }
    const kty = ktyValue.asString();
    if (kty === null || kty.length == 0) { this.problem = where + "[kty] is bad in [keys]"; return null; }
    const kidValue = key.get("kid");
    let kid = "";
    if (kidValue !== null) {
      const text = kidValue.asString();
      if (text === null) { this.problem = where + "[kid] is not a string"; return null; }
      kid = text;
    }
    const algValue = key.get("alg");
    let alg = "";
    if (algValue !== null) {
      const text = algValue.asString();
      if (text === null) { this.problem = where + "[alg] is not a string"; return null; }
      alg = text;
    }
    if (kty == "RSA") {
      if (alg.length > 0 && !startsWith(alg, "RS") && !startsWith(alg, "PS")) { this.problem = where + "[alg] is not started with [RS] or [PS] for an RSA key"; return null; }
      const n = binaryMember(key, "n");
      const e = binaryMember(key, "e");
      if (n === null || e === null || e.length == 0) { this.problem = where + "Jwks RSA [n] or [e] field is missing or has a parse error"; return null; }
      const bits = bitLength(n);
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) { this.problem = where + "RSA modulus of " + bits.toString() + " bits is outside 2048..4096"; return null; }
      const result = new JwtKey(KeyType.Rsa, kid, alg, Curve.None);
      result.primary = n;
      result.secondary = e;
      return result;
    }
    if (kty == "EC") {
      if (alg.length > 0 && !startsWith(alg, "ES")) { this.problem = where + "[alg] is not started with [ES] for an EC key"; return null; }
      const crv = key.getString("crv");
      if (crv === null) { this.problem = where + "[crv] field is not string for an EC key"; return null; }
      let curve = Curve.None;
      let size = 0;
      if (crv == "P-256") { curve = Curve.P256; size = 32; }
      else if (crv == "P-384") { curve = Curve.P384; size = 48; }
      else { this.problem = where + "[crv] or [alg] field is not supported for an EC key"; return null; }
      if ((alg == "ES256" && curve != Curve.P256) || (alg == "ES384" && curve != Curve.P384) || (alg.length > 0 && alg != "ES256" && alg != "ES384")) {
        this.problem = where + "[crv] field specified is not compatible with [alg] for an EC key";
        return null;
      }
      const x = binaryMember(key, "x");
      const y = binaryMember(key, "y");
      if (x === null || y === null || x.length != size || y.length != size) { this.problem = where + "Jwks EC [x] and [y] fields have a parse error."; return null; }
      const result = new JwtKey(KeyType.Ec, kid, alg, curve);
      result.primary = x;
      result.secondary = y;
      return result;
    }
    if (kty == "oct") {
      if (alg.length > 0 && !startsWith(alg, "HS")) { this.problem = where + "[alg] does not start with [HS] for an HMAC key"; return null; }
      const k = binaryMember(key, "k");
      if (k === null || k.length == 0) { this.problem = where + "Jwks Oct key is an invalid Base64"; return null; }
      const result = new JwtKey(KeyType.Oct, kid, alg, Curve.None);
      result.primary = k;
      return result;
    }
    if (kty == "OKP") {
      if (alg.length > 0 && alg != "EdDSA") { this.problem = where + "[alg] is not [EdDSA] for an OKP key"; return null; }
      const crv = key.getString("crv");
      if (crv === null) { this.problem = where + "[crv] field is missing for an OKP key"; return null; }
      if (crv != "Ed25519") { this.problem = where + "[crv] field is not supported for an OKP key"; return null; }
      const x = binaryMember(key, "x");
      if (x === null || x.length != 32) { this.problem = where + "Jwks OKP [x] field is wrong length."; return null; }
      const result = new JwtKey(KeyType.Okp, kid, alg, Curve.Ed25519);
      result.primary = x;
      return result;
    }
    this.problem = where + "[kty] is not supported in [keys]";
    return null;
  }
}

/** Parses a JWKS document. Keys marked for encryption (`use` other than "sig") are skipped. */
export function parseJwks(bytes: ArrayBuffer): JwksParseResult {
  const parsed = parseJsonBytes(bytes, 16);
  if (!parsed.ok) return refuse("Jwks is an invalid JSON (" + parsed.error + ")");
  const root = parsed.value!.asObject();
  if (root === null) return refuse("Jwks is an invalid JSON (not an object)");
  const keysValue = root.get("keys");
  if (keysValue === null) return refuse("Jwks does not have [keys] field");
  const list = keysValue.asArray();
  if (list === null) return refuse("[keys] in Jwks is not an array");
  const keys = new Array<JwtKey>();
  const reader = new KeyReader();
  for (let i = 0; i < list.items.length; i++) {
    const key = unchecked(list.items[i]).asObject();
    if (key === null) return refuse("keys[" + i.toString() + "]: not an object");
    const use = key.get("use");
    if (use !== null) {
      const text = use.asString();
      if (text === null) return refuse("keys[" + i.toString() + "]: [use] is not a string");
      if (text != "sig") continue;
    }
    const parsedKey = reader.read(key, i);
    if (parsedKey === null) return refuse(reader.problem);
    keys.push(parsedKey);
  }
  if (keys.length == 0) return refuse("Jwks doesn't have any valid public key");
  return new JwksParseResult(keys, "");
}
