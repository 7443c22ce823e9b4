/**
 * The audience check of Envoy's jwt_authn (source/common/jwt/check_audience.cc):
 * with audiences configured, one of the token's `aud` values must be among
 * them, compared after dropping an http:// or https:// scheme and one
 * trailing slash; without audiences configured, any token passes.
 */
function normalize(audience: string): string {
  let text = audience;
  if (text.startsWith("http://")) text = text.substring(7);
  else if (text.startsWith("https://")) text = text.substring(8);
  if (text.endsWith("/")) text = text.substring(0, text.length - 1);
  return text;
}

export function audiencesAllowed(configured: string[], tokenAudiences: string[]): bool {
  if (configured.length == 0) return true;
  for (let i = 0; i < tokenAudiences.length; i++) {
    const audience = normalize(unchecked(tokenAudiences[i]));
    for (let j = 0; j < configured.length; j++) {
      if (normalize(unchecked(configured[j])) == audience) return true;
    }
  }
  return false;
}
