import { Regex } from "./regex/index";

/** How a {@link StringMatcher} compares. Mirrors Istio's StringMatch and Envoy's StringMatcher. */
export enum StringMatchKind {
  Exact = 0,
  Prefix = 1,
  Suffix = 2,
  Contains = 3,
  /** RE2 syntax, full-string match (Envoy safe_regex, Istio regex). */
  Regex = 4,
  /** Matches any value, as long as there is one (Istio `{}`, Envoy present_match). */
  Present = 5,
}

// @ts-ignore: decorator
@inline function asciiLower(unit: i32): i32 {
  return unit >= 0x41 && unit <= 0x5A ? unit | 0x20 : unit;
}

/** Whether `input[offset, offset + expected.length)` equals `expected`, ASCII case-insensitively if asked. */
function regionEquals(input: string, offset: i32, expected: string, ignoreCase: bool): bool {
  const length = expected.length;
  if (offset < 0 || offset + length > input.length) return false;
  const a = changetype<usize>(input) + (<usize>offset << 1);
  const b = changetype<usize>(expected);
  if (!ignoreCase) return memory.compare(a, b, <usize>length << 1) == 0;
  for (let i = 0; i < length; i++) {
    const x = <i32>load<u16>(a + (<usize>i << 1));
    const y = <i32>load<u16>(b + (<usize>i << 1));
    if (x != y && asciiLower(x) != asciiLower(y)) return false;
  }
  return true;
}

/**
 * A compiled string condition shared by the router, RBAC, JWT and telemetry
 * filters. Built from plain values (kind, text, ignore-case), not JSON, so it
 * does not depend on any configuration format. Case-insensitive comparison is
 * ASCII-only, as in Envoy (`absl::EqualsIgnoreCase`); for regexes it is RE2's
 * Unicode `(?i)`.
 */
export class StringMatcher {
  /** Why the last {@link StringMatcher.compile} returned null. */
  static lastError: string = "";

  readonly kind: StringMatchKind;
  readonly value: string;
  readonly ignoreCase: bool;
  private readonly regex: Regex | null;

  constructor(kind: StringMatchKind, value: string, ignoreCase: bool, regex: Regex | null) {
    this.kind = kind;
    this.value = value;
    this.ignoreCase = ignoreCase;
    this.regex = regex;
  }

  /** Compiles a matcher; null (with {@link StringMatcher.lastError}) only for a bad regex. */
  static compile(kind: StringMatchKind, value: string, ignoreCase: bool = false): StringMatcher | null {
    let regex: Regex | null = null;
    if (kind == StringMatchKind.Regex) {
      regex = Regex.compile(value, ignoreCase);
      if (regex === null) {
        StringMatcher.lastError = Regex.lastError;
        return null;
      }
    }
    StringMatcher.lastError = "";
    return new StringMatcher(kind, value, ignoreCase, regex);
  }

  static exact(value: string, ignoreCase: bool = false): StringMatcher {
    return new StringMatcher(StringMatchKind.Exact, value, ignoreCase, null);
  }

  static prefix(value: string, ignoreCase: bool = false): StringMatcher {
    return new StringMatcher(StringMatchKind.Prefix, value, ignoreCase, null);
  }

  static present(): StringMatcher {
    return new StringMatcher(StringMatchKind.Present, "", false, null);
  }

  /** Whether `input` satisfies the condition. */
  matches(input: string): bool {
    const value = this.value;
    switch (this.kind) {
      case StringMatchKind.Exact:
        return input.length == value.length && regionEquals(input, 0, value, this.ignoreCase);
      case StringMatchKind.Prefix:
        return regionEquals(input, 0, value, this.ignoreCase);
      case StringMatchKind.Suffix:
        return regionEquals(input, input.length - value.length, value, this.ignoreCase);
      case StringMatchKind.Contains: {
        const last = input.length - value.length;
        for (let offset = 0; offset <= last; offset++) {
          if (regionEquals(input, offset, value, this.ignoreCase)) return true;
        }
        return false;
      }
      case StringMatchKind.Regex:
        return this.regex!.fullMatch(input);
      case StringMatchKind.Present:
        return true;
    }
    return false;
  }

  /** Like {@link matches}, for a value that may be absent (a missing header never matches). */
  matchesOptional(input: string | null): bool {
    if (input === null) return false;
    return this.matches(input);
  }
}
