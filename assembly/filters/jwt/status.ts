/**
 * Why a token was refused, with Envoy's wording (envoyproxy/envoy
 * source/common/jwt/status.cc `getStatusString`): the jwt_authn filter sends
 * that text as the body of its 401/403 local reply, and clients and tests
 * compare against it.
 */
export enum JwtStatus {
  Ok = 0,
  Missed,
  NotYetValid,
  Expired,
  BadFormat,
  HeaderBadBase64,
  HeaderBadJson,
  HeaderBadAlg,
  HeaderNotImplementedAlg,
  HeaderBadKid,
  PayloadBadBase64,
  Ed25519SignatureWrongLength,
  PayloadBadJson,
  IssNotString,
  SubNotString,
  IatNotInteger,
  IatOutOfRange,
  NbfNotInteger,
  NbfOutOfRange,
  ExpNotInteger,
  ExpOutOfRange,
  JtiNotString,
  AudNotString,
  SignatureBadBase64,
  UnknownIssuer,
  AudienceNotAllowed,
  VerificationFail,
  KidAlgMismatch,
  JwksFetchFail,
  /** Not a verdict: the check waits for keys being fetched. */
  Pending,
}

/** The body Envoy sends for `status`. */
export function jwtStatusText(status: JwtStatus): string {
  switch (status) {
    case JwtStatus.Ok: return "OK";
    case JwtStatus.Missed: return "Jwt is missing";
    case JwtStatus.NotYetValid: return "Jwt not yet valid";
    case JwtStatus.Expired: return "Jwt is expired";
    case JwtStatus.BadFormat: return "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections";
    case JwtStatus.HeaderBadBase64: return "Jwt header is an invalid Base64url encoded";
    case JwtStatus.HeaderBadJson: return "Jwt header is an invalid JSON";
    case JwtStatus.HeaderBadAlg: return "Jwt header [alg] field is required and must be a string";
    case JwtStatus.HeaderNotImplementedAlg: return "Jwt header [alg] is not supported";
    case JwtStatus.HeaderBadKid: return "Jwt header [kid] field is not a string";
    case JwtStatus.PayloadBadBase64: return "Jwt payload is an invalid Base64url encoded";
    case JwtStatus.Ed25519SignatureWrongLength: return "Jwt ED25519 signature is wrong length";
    case JwtStatus.PayloadBadJson: return "Jwt payload is an invalid JSON";
    case JwtStatus.IssNotString: return "Jwt payload [iss] field is not a string";
    case JwtStatus.SubNotString: return "Jwt payload [sub] field is not a string";
    case JwtStatus.IatNotInteger: return "Jwt payload [iat] field is not an integer";
    case JwtStatus.IatOutOfRange: return "Jwt payload [iat] field is not a positive 64 bit integer";
    case JwtStatus.NbfNotInteger: return "Jwt payload [nbf] field is not an integer";
    case JwtStatus.NbfOutOfRange: return "Jwt payload [nbf] field is not a positive 64 bit integer";
    case JwtStatus.ExpNotInteger: return "Jwt payload [exp] field is not an integer";
    case JwtStatus.ExpOutOfRange: return "Jwt payload [exp] field is not a positive 64 bit integer";
    case JwtStatus.JtiNotString: return "Jwt payload [jti] field is not a string";
    case JwtStatus.AudNotString: return "Jwt payload [aud] field is not a string or string list";
    case JwtStatus.SignatureBadBase64: return "Jwt signature is an invalid Base64url encoded";
    case JwtStatus.UnknownIssuer: return "Jwt issuer is not configured";
    case JwtStatus.AudienceNotAllowed: return "Audiences in Jwt are not allowed";
    case JwtStatus.VerificationFail: return "Jwt verification fails";
    case JwtStatus.KidAlgMismatch: return "Jwks doesn't have key to match kid or alg from Jwt";
    case JwtStatus.JwksFetchFail: return "Jwks remote fetch is failed";
    default: return "Jwt verification fails";
  }
}
