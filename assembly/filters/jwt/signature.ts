/**
 * Checking a token's signature against a key set, as Envoy's verifyJwt does
 * (source/common/jwt/verify.cc): a key is a candidate when its `kid` (if both
 * sides have one) and its `alg` (if it has one) agree with the token and its
 * type is the one the algorithm needs; every candidate is tried. No
 * candidate: "Jwks doesn't have key to match kid or alg from Jwt"; no
 * candidate verifies: "Jwt verification fails". Keys come only from the
 * configured set, never from the token's jwk/jku/x5u/x5c headers.
 */
import { verifyP256Raw, verifyP384Raw } from "../../crypto/ec/ecdsa";
import { verifyEd25519Raw } from "../../crypto/ec/ed25519";
import { hmacVerify } from "../../crypto/hmac";
import { RsaPadding, rsaVerify } from "../../crypto/rsa/verify";
import { digestInto, HashAlgorithm } from "../../crypto/sha2";
import { VerifyResult } from "../../crypto/verify-result";
import { Curve, JwtKey, KeyType } from "./jwks";
import { JwtStatus } from "./status";
import { Algorithm, ParsedToken } from "./token";

const DIGEST: usize = memory.data(64);

function hashOf(alg: Algorithm): HashAlgorithm {
  switch (alg) {
    case Algorithm.RS384: case Algorithm.PS384: case Algorithm.ES384: case Algorithm.HS384: return HashAlgorithm.SHA384;
    case Algorithm.RS512: case Algorithm.PS512: case Algorithm.HS512: return HashAlgorithm.SHA512;
    default: return HashAlgorithm.SHA256;
  }
}

/** Whether `key` is of the type (and curve) `alg` needs: no HS with RSA keys, no RS with EC keys, ... */
function keyFitsAlgorithm(key: JwtKey, alg: Algorithm): bool {
  switch (alg) {
    case Algorithm.RS256: case Algorithm.RS384: case Algorithm.RS512:
    case Algorithm.PS256: case Algorithm.PS384: case Algorithm.PS512:
      return key.type == KeyType.Rsa;
    case Algorithm.ES256: return key.type == KeyType.Ec && key.curve == Curve.P256;
    case Algorithm.ES384: return key.type == KeyType.Ec && key.curve == Curve.P384;
    case Algorithm.EdDSA: return key.type == KeyType.Okp && key.curve == Curve.Ed25519;
    case Algorithm.HS256: case Algorithm.HS384: case Algorithm.HS512: return key.type == KeyType.Oct;
    default: return false;
  }
}

function verifyWithKey(key: JwtKey, token: ParsedToken, input: usize, inputLength: usize): bool {
  const alg = token.alg;
  const hash = hashOf(alg);
  const signature = token.signature;
  switch (alg) {
    case Algorithm.RS256: case Algorithm.RS384: case Algorithm.RS512:
    case Algorithm.PS256: case Algorithm.PS384: case Algorithm.PS512: {
      const padding = alg >= Algorithm.PS256 ? RsaPadding.PSS : RsaPadding.PKCS1_V15;
      return rsaVerify(
        padding, hash,
        key.primary.dataStart, <usize>key.primary.length, key.secondary.dataStart, <usize>key.secondary.length,
        input, inputLength, signature.dataStart, <usize>signature.length,
      ) == VerifyResult.VALID;
    }
    case Algorithm.ES256:
      digestInto(HashAlgorithm.SHA256, input, inputLength, DIGEST);
      return verifyP256Raw(key.primary.dataStart, key.primary.length, key.secondary.dataStart, key.secondary.length, DIGEST, 32, signature.dataStart, signature.length);
    case Algorithm.ES384:
      digestInto(HashAlgorithm.SHA384, input, inputLength, DIGEST);
      return verifyP384Raw(key.primary.dataStart, key.primary.length, key.secondary.dataStart, key.secondary.length, DIGEST, 48, signature.dataStart, signature.length);
    case Algorithm.EdDSA:
      return verifyEd25519Raw(key.primary.dataStart, key.primary.length, input, inputLength, signature.dataStart, signature.length);
    case Algorithm.HS256: case Algorithm.HS384: case Algorithm.HS512:
      return hmacVerify(hash, key.primary.dataStart, <usize>key.primary.length, input, inputLength, signature.dataStart, <usize>signature.length);
    default:
      return false;
  }
}

/** Verifies the signature over the first `token.signingInputLength` bytes at `tokenText`. */
export function verifySignature(token: ParsedToken, tokenText: usize, keys: JwtKey[]): JwtStatus {
  if (token.alg == Algorithm.EdDSA && token.signature.length != 64) return JwtStatus.Ed25519SignatureWrongLength;
  let candidates = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = unchecked(keys[i]);
    if (token.kid.length > 0 && key.kid.length > 0 && key.kid != token.kid) continue;
    if (key.alg.length > 0 && key.alg != token.algName) continue;
    if (!keyFitsAlgorithm(key, token.alg)) continue;
    candidates++;
    if (verifyWithKey(key, token, tokenText, token.signingInputLength)) return JwtStatus.Ok;
  }
  return candidates == 0 ? JwtStatus.KidAlgMismatch : JwtStatus.VerificationFail;
}
