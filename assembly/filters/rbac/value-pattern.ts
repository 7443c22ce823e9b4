import { StringMatcher, StringMatchKind } from "../../expr/string-match";

/**
 * One Istio value ("abc", "abc*", "*abc", "*") turned into a test on a
 * string. Istio gives `*` two meanings: "present" for header matchers (also
 * an empty value) and ".+" (any non-empty value) for every other string
 * matcher (pilot/pkg/security/authz/matcher/header.go and string.go).
 */
export class ValuePattern {
  constructor(readonly matcher: StringMatcher | null, readonly nonEmpty: bool) {}

  matches(value: string): bool {
    const matcher = this.matcher;
    if (matcher === null) return !this.nonEmpty || value.length > 0;
    return matcher.matches(value);
  }
}

/** Istio's `StringMatcher(v)`: `*` = non-empty, `*x` = suffix, `x*` = prefix, else exact. */
export function stringPattern(value: string, ignoreCase: bool = false): ValuePattern {
  if (value == "*") return new ValuePattern(null, true);
  if (value.startsWith("*")) return new ValuePattern(new StringMatcher(StringMatchKind.Suffix, value.substring(1), ignoreCase, null), false);
  if (value.endsWith("*")) return new ValuePattern(new StringMatcher(StringMatchKind.Prefix, value.substring(0, value.length - 1), ignoreCase, null), false);
  return new ValuePattern(new StringMatcher(StringMatchKind.Exact, value, ignoreCase, null), false);
}

/** Istio's `HeaderMatcher(k, v)` / `HostMatcher(k, v)`: `*` = the header is present. */
export function headerPattern(value: string, ignoreCase: bool = false): ValuePattern {
  if (value == "*") return new ValuePattern(null, false);
  return stringPattern(value, ignoreCase);
}

export function exactValue(value: string): ValuePattern {
  return new ValuePattern(new StringMatcher(StringMatchKind.Exact, value, false, null), false);
}

export function prefixValue(value: string): ValuePattern {
  return new ValuePattern(new StringMatcher(StringMatchKind.Prefix, value, false, null), false);
}

export function suffixValue(value: string): ValuePattern {
  return new ValuePattern(new StringMatcher(StringMatchKind.Suffix, value, false, null), false);
}
