import { describe, expect, test } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { parseYamlDocuments } from "../../src/config/yaml-documents.js";

function issuesOf(run: () => unknown): ConfigError["issues"] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("parseYamlDocuments", () => {
  test("keeps document indexes across empty documents", () => {
    const docs = parseYamlDocuments("a: 1\n---\n---\nb: 2\n", "x.yaml");
    expect(docs.map((d) => [d.documentIndex, d.value])).toEqual([
      [0, { a: 1 }],
      [2, { b: 2 }],
    ]);
  });

  test("reports syntax errors with file, document, line and column", () => {
    const issues = issuesOf(() => parseYamlDocuments("ok: 1\n---\nspec:\n  hosts: [a, b\n", "bad.yaml"));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ file: "bad.yaml", documentIndex: 1, line: expect.any(Number), column: expect.any(Number) });
    expect(issues[0].line).toBeGreaterThanOrEqual(4);
    expect(issues[0].message).toMatch(/^invalid YAML/);
  });

  test("rejects duplicate keys", () => {
    const issues = issuesOf(() => parseYamlDocuments("kind: A\nkind: B\n", "dup.yaml"));
    expect(issues[0]).toMatchObject({ file: "dup.yaml", line: 2 });
  });

  test("locates nested fields, falling back to the nearest existing ancestor", () => {
    const [doc] = parseYamlDocuments("spec:\n  http:\n    - route:\n        - weight: 5\n", "x.yaml");
    expect(doc.locate(["spec", "http", 0, "route", 0, "weight"])).toEqual({ line: 4, column: 19 });
    expect(doc.locate(["spec", "http", 0, "missing"])).toEqual({ line: 3, column: 7 });
  });
});
