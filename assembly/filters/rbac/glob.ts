/**
 * Whether `text` matches `pattern`, where `*` stands for any run of
 * characters (also none) and everything else is literal. Istio turns some
 * of its values into regexes of exactly this shape (".*" for "*"):
 * `source.namespace` becomes `.*\/ns/<value>/.*` and a `*suffix` principal
 * becomes `spiffe://.*suffix` (pilot/pkg/security/authz/model/generator.go,
 * matcher/string.go), so a glob matcher replaces a regex engine here.
 */
export function globMatches(pattern: string, text: string): bool {
  const patternLength = pattern.length;
  const textLength = text.length;
  let p = 0;
  let t = 0;
  // Where the last '*' was and which text position it is currently stretched to.
  let starAt = -1;
  let starText = 0;
  while (t < textLength) {
    if (p < patternLength) {
      const c = pattern.charCodeAt(p);
      if (c == 0x2A) {
        starAt = p++;
        starText = t;
        continue;
      }
      if (c == text.charCodeAt(t)) {
        p++;
        t++;
        continue;
      }
    }
    if (starAt < 0) return false;
    p = starAt + 1;
    t = ++starText;
  }
  while (p < patternLength && pattern.charCodeAt(p) == 0x2A) p++;
  return p == patternLength;
}
