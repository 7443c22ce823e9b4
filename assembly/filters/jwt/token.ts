/**
 * Parsing a compact JWS (RFC 7515 §7.1) into what verification needs, in the
 * order and with the checks of Envoy's parser (source/common/jwt/jwt.cc), so
 * a broken token gets the same 401 body. Stricter than Envoy on purpose:
 * a `crit` header is refused (no extension is understood, RFC 7515 §4.1.11),
 * and so are exp/nbf/iat values that are not integers in 0..2^53.
 */
import { JsonObject, JsonValue, parseJsonBytes } from "../../sdk";
import { decodeSegment } from "./segment-decoding";
import { JwtStatus } from "./status";

/** The JWS algorithms verified; anything else (including every spelling of `none`) is refused. */
export const enum Algorithm {
  Unsupported = 0,
  RS256, RS384, RS512,
  PS256, PS384, PS512,
  ES256, ES384,
  EdDSA,
  HS256, HS384, HS512,
}

export function algorithmFromName(name: string): Algorithm {
  if (name == "RS256") return Algorithm.RS256;
  if (name == "RS384") return Algorithm.RS384;
  if (name == "RS512") return Algorithm.RS512;
  if (name == "PS256") return Algorithm.PS256;
  if (name == "PS384") return Algorithm.PS384;
  if (name == "PS512") return Algorithm.PS512;
  if (name == "ES256") return Algorithm.ES256;
  if (name == "ES384") return Algorithm.ES384;
  if (name == "EdDSA") return Algorithm.EdDSA;
  if (name == "HS256") return Algorithm.HS256;
  if (name == "HS384") return Algorithm.HS384;
  if (name == "HS512") return Algorithm.HS512;
  return Algorithm.Unsupported;
}

/** Largest integer claim accepted: beyond 2^53 a JSON number is no longer exact. */
const MAX_INTEGER_CLAIM: f64 = 9007199254740992;

export class ParsedToken {
  alg: Algorithm = Algorithm.Unsupported;
  algName: string = "";
  kid: string = "";
  iss: string = "";
  sub: string = "";
  audiences: string[] = [];
  hasExp: bool = false;
  exp: i64 = 0;
  hasNbf: bool = false;
  nbf: i64 = 0;
  /** The decoded payload JSON, as bytes. */
  payloadBytes: Uint8Array = new Uint8Array(0);
  payload: JsonObject = new JsonObject();
  signature: Uint8Array = new Uint8Array(0);
  /** Bytes of `header.payload` (the JWS signing input) within the token. */
  signingInputLength: usize = 0;
}

/** The outcome of {@link parseToken}: a token, or the status that refuses it. */
export class TokenParseResult {
  constructor(readonly token: ParsedToken | null, readonly status: JwtStatus) {}
}

function refuse(status: JwtStatus): TokenParseResult {
  return new TokenParseResult(null, status);
}

function parseObject(bytes: Uint8Array): JsonObject | null {
  const parsed = parseJsonBytes(bytes.buffer, 32);
  if (!parsed.ok) return null;
  return parsed.value!.asObject();
}

/** Reads an integer claim: 0 when absent, 1 when fine, -1 not a number, -2 out of range. */
function readInteger(value: JsonValue | null): i32 {
  if (value === null) return 0;
  if (!value.isNumber) return -1;
  const number = value.asNumber();
  if (number != Math.floor(number)) return -1;
  if (number < 0 || number > MAX_INTEGER_CLAIM) return -2;
  return 1;
}

/** Parses the ASCII token of `length` bytes at `token`. */
export function parseToken(token: usize, length: usize): TokenParseResult {
  let firstDot: isize = -1;
  let secondDot: isize = -1;
  for (let i: usize = 0; i < length; i++) {
    if (load<u8>(token + i) != 0x2e) continue;
    if (firstDot < 0) firstDot = <isize>i;
    else if (secondDot < 0) secondDot = <isize>i;
    else return refuse(JwtStatus.BadFormat);
  }
  if (secondDot < 0) return refuse(JwtStatus.BadFormat);
  const result = new ParsedToken();

  const headerBytes = decodeSegment(token, <usize>firstDot);
  if (headerBytes === null) return refuse(JwtStatus.HeaderBadBase64);
  const header = parseObject(headerBytes);
  if (header === null) return refuse(JwtStatus.HeaderBadJson);
  const algValue = header.get("alg");
  if (algValue === null || !algValue.isString) return refuse(JwtStatus.HeaderBadAlg);
  result.algName = algValue.asString()!;
  result.alg = algorithmFromName(result.algName);
  if (result.alg == Algorithm.Unsupported) return refuse(JwtStatus.HeaderNotImplementedAlg);
  const kidValue = header.get("kid");
  if (kidValue !== null) {
    if (!kidValue.isString) return refuse(JwtStatus.HeaderBadKid);
    result.kid = kidValue.asString()!;
  }
  // No extension is implemented, so any critical one makes the token unusable (RFC 7515 §4.1.11).
  if (header.has("crit")) return refuse(JwtStatus.VerificationFail);

  const payloadStart = token + <usize>firstDot + 1;
  const payloadBytes = decodeSegment(payloadStart, <usize>(secondDot - firstDot - 1));
  if (payloadBytes === null) return refuse(JwtStatus.PayloadBadBase64);
  const payload = parseObject(payloadBytes);
  if (payload === null) return refuse(JwtStatus.PayloadBadJson);
  result.payload = payload;
  result.payloadBytes = payloadBytes;

  const iss = payload.get("iss");
  if (iss !== null) {
    if (!iss.isString) return refuse(JwtStatus.IssNotString);
    result.iss = iss.asString()!;
  }
  const sub = payload.get("sub");
  if (sub !== null) {
    if (!sub.isString) return refuse(JwtStatus.SubNotString);
    result.sub = sub.asString()!;
  }
  const iat = readInteger(payload.get("iat"));
  if (iat == -1) return refuse(JwtStatus.IatNotInteger);
  if (iat == -2) return refuse(JwtStatus.IatOutOfRange);
  const nbf = readInteger(payload.get("nbf"));
  if (nbf == -1) return refuse(JwtStatus.NbfNotInteger);
  if (nbf == -2) return refuse(JwtStatus.NbfOutOfRange);
  if (nbf == 1) { result.hasNbf = true; result.nbf = <i64>payload.getNumber("nbf"); }
  const exp = readInteger(payload.get("exp"));
  if (exp == -1) return refuse(JwtStatus.ExpNotInteger);
  if (exp == -2) return refuse(JwtStatus.ExpOutOfRange);
  if (exp == 1) { result.hasExp = true; result.exp = <i64>payload.getNumber("exp"); }
  const jti = payload.get("jti");
  if (jti !== null && !jti.isString) return refuse(JwtStatus.JtiNotString);
  const aud = payload.get("aud");
  if (aud !== null) {
    if (aud.isString) {
      result.audiences.push(aud.asString()!);
    } else {
      const list = aud.asArray();
      if (list === null) return refuse(JwtStatus.AudNotString);
      for (let i = 0; i < list.items.length; i++) {
        const entry = unchecked(list.items[i]).asString();
        if (entry === null) return refuse(JwtStatus.AudNotString);
        result.audiences.push(entry);
      }
    }
  }

  const signatureStart = token + <usize>secondDot + 1;
  const signature = decodeSegment(signatureStart, length - <usize>secondDot - 1);
  if (signature === null) return refuse(JwtStatus.SignatureBadBase64);
  result.signature = signature;
  result.signingInputLength = <usize>secondDot;
  return new TokenParseResult(result, JwtStatus.Ok);
}
