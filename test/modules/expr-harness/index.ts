// Exposes assembly/expr to the vitest suites: regexes and string matchers are
// kept in tables and referred to by index, so JS only passes strings and ints.
import { Regex } from "../../../assembly/expr/regex/index";
import { StringMatchKind, StringMatcher } from "../../../assembly/expr/string-match";

// @ts-ignore: decorator
@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}

const regexes = new Array<Regex>();
const matchers = new Array<StringMatcher>();

/** Compiles a regex; returns its handle, or -1 (see regexLastError). */
export function regexCompile(pattern: string, ignoreCase: bool): i32 {
  const regex = Regex.compile(pattern, ignoreCase);
  if (regex === null) return -1;
  regexes.push(regex);
  return regexes.length - 1;
}

export function regexLastError(): string {
  return Regex.lastError;
}

export function regexFullMatch(handle: i32, input: string): bool {
  return regexes[handle].fullMatch(input);
}

export function regexPartialMatch(handle: i32, input: string): bool {
  return regexes[handle].partialMatch(input);
}

export function regexFullMatchUtf8(handle: i32, input: ArrayBuffer): bool {
  return regexes[handle].fullMatchUtf8(input);
}

export function regexPartialMatchUtf8(handle: i32, input: ArrayBuffer): bool {
  return regexes[handle].partialMatchUtf8(input);
}

/** NFA steps of the handle's most recent match. */
export function regexSteps(handle: i32): i32 {
  return regexes[handle].steps;
}

/** Full-matches `repeat` copies of `unit` followed by `tail`, built inside Wasm so big inputs cost no copying. */
export function regexFullMatchRepeated(handle: i32, unit: string, count: i32, tail: string): bool {
  return regexes[handle].fullMatch(unit.repeat(count) + tail);
}

export function regexPartialMatchRepeated(handle: i32, unit: string, count: i32, tail: string): bool {
  return regexes[handle].partialMatch(unit.repeat(count) + tail);
}

export function matcherCompile(kind: i32, value: string, ignoreCase: bool): i32 {
  const matcher = StringMatcher.compile(<StringMatchKind>kind, value, ignoreCase);
  if (matcher === null) return -1;
  matchers.push(matcher);
  return matchers.length - 1;
}

export function matcherLastError(): string {
  return StringMatcher.lastError;
}

export function matcherMatches(handle: i32, input: string): bool {
  return matchers[handle].matches(input);
}

export function matcherMatchesOptional(handle: i32, input: string | null): bool {
  return matchers[handle].matchesOptional(input);
}
