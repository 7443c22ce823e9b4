import { beforeAll, describe, expect, it } from "vitest";
import { type CompiledMatcher, type ExprHarness, StringMatchKind, loadExprHarness } from "./expr-harness.js";

let harness: ExprHarness;

beforeAll(async () => {
  harness = await loadExprHarness();
});

function matcher(kind: StringMatchKind, value: string, ignoreCase = false): CompiledMatcher {
  const compiled = harness.compileMatcher(kind, value, ignoreCase);
  if (typeof compiled === "string") throw new Error(compiled);
  return compiled;
}

describe("StringMatcher", () => {
  // [kind, value, ignoreCase, matching inputs, non-matching inputs]
  const cases: [StringMatchKind, string, boolean, string[], string[]][] = [
    [StringMatchKind.Exact, "v2", false, ["v2"], ["V2", "v20", "", "xv2"]],
    [StringMatchKind.Exact, "Bearer", true, ["bearer", "BEARER", "Bearer"], ["bearer ", "Bearé"]],
    [StringMatchKind.Exact, "é", true, ["é"], ["É"]],
    [StringMatchKind.Exact, "", false, [""], ["a"]],
    [StringMatchKind.Prefix, "/api/", false, ["/api/", "/api/v1"], ["/API/v1", "/ap", "x/api/"]],
    [StringMatchKind.Prefix, "/API/", true, ["/api/v1", "/Api/"], ["/ap"]],
    [StringMatchKind.Prefix, "", false, ["", "anything"], []],
    [StringMatchKind.Suffix, ".json", false, ["a.json", ".json"], ["a.JSON", "json", "a.jsonx"]],
    [StringMatchKind.Suffix, ".JSON", true, ["a.json"], ["a.jso"]],
    [StringMatchKind.Contains, "mobile", false, ["Mozilla mobile x", "mobile"], ["Mobile", "mobil"]],
    [StringMatchKind.Contains, "MOBILE", true, ["a Mobile b"], ["mobil"]],
    [StringMatchKind.Regex, "/users/[0-9]+", false, ["/users/42"], ["/users/", "/users/42/x", "x/users/42"]],
    [StringMatchKind.Regex, "abc", true, ["ABC", "aBc"], ["ab"]],
    [StringMatchKind.Present, "", false, ["", "x"], []],
  ];
  for (const [kind, value, ignoreCase, matching, failing] of cases) {
    it(`${StringMatchKind[kind]} ${JSON.stringify(value)}${ignoreCase ? " ignoring case" : ""}`, () => {
      const compiled = matcher(kind, value, ignoreCase);
      for (const input of matching) expect(compiled.matches(input), JSON.stringify(input)).toBe(true);
      for (const input of failing) expect(compiled.matches(input), JSON.stringify(input)).toBe(false);
    });
  }

  it("never matches an absent value, not even the presence matcher", () => {
    expect(matcher(StringMatchKind.Present, "").matchesOptional(null)).toBe(false);
    expect(matcher(StringMatchKind.Present, "").matchesOptional("")).toBe(true);
    expect(matcher(StringMatchKind.Prefix, "").matchesOptional(null)).toBe(false);
    expect(matcher(StringMatchKind.Exact, "a").matchesOptional("a")).toBe(true);
  });

  it("reports a bad regex with its position", () => {
    const error = harness.compileMatcher(StringMatchKind.Regex, "/users/(?=admin)");
    expect(error).toBe('invalid regex "/users/(?=admin)": lookahead (?= is not supported (RE2 syntax has no lookaround) at position 7');
  });

  it("accepts any text for the non-regex kinds", () => {
    expect(typeof harness.compileMatcher(StringMatchKind.Exact, "(?=")).toBe("object");
  });
});
