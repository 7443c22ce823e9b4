import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { isNode, LineCounter, parseAllDocuments, type Document } from "yaml";
import { ConfigError, type ConfigIssue } from "./config-error.js";

/** One non-empty YAML document of a configuration folder. */
export interface SourceDocument {
  /** Path of the file, relative to the folder that was loaded (or as given for single files). */
  file: string;
  /** Zero-based index of the document inside the file, counting empty documents too. */
  documentIndex: number;
  value: unknown;
  /** Line and column (1-based) of the node at `path`, or of its nearest existing ancestor. */
  locate(path: readonly (string | number)[]): { line: number; column: number } | undefined;
}

/** Lists `*.yaml` / `*.yml` files under `dir`, recursively, in a stable (sorted) order. */
export function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/i.test(entry)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/**
 * Parses every document of one YAML text. Syntax errors (with line and column) are thrown together
 * as a {@link ConfigError}; duplicate mapping keys count as errors, as they do for `kubectl apply`.
 */
export function parseYamlDocuments(text: string, file: string): SourceDocument[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list: Document.Parsed[] = Array.isArray(documents) ? documents : [];
  const issues: ConfigIssue[] = [];
  const out: SourceDocument[] = [];
  list.forEach((document, documentIndex) => {
    for (const error of [...document.errors, ...document.warnings.filter((w) => w.code === "BAD_DIRECTIVE")]) {
      const position = lineCounter.linePos(error.pos[0]);
      issues.push({
        file,
        documentIndex,
        line: position.line,
        column: position.col,
        message: `invalid YAML: ${error.message.split("\n")[0]}`,
      });
    }
    if (document.errors.length > 0) return;
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    out.push({
      file,
      documentIndex,
      value,
      locate(path) {
        for (let length = path.length; length >= 0; length--) {
          const node = document.getIn(path.slice(0, length), true);
          if (isNode(node) && node.range) {
            const position = lineCounter.linePos(node.range[0]);
            return { line: position.line, column: position.col };
          }
        }
        return undefined;
      },
    });
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}

/** A path relative to the working directory when it lies inside it, else as given. */
function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd === "" || fromCwd.startsWith("..") || isAbsolute(fromCwd) ? path : fromCwd;
}

/** Reads and parses every YAML file under `dir`; collects the syntax errors of all files before throwing. */
export function readYamlFolder(dir: string): SourceDocument[] {
  const issues: ConfigIssue[] = [];
  const out: SourceDocument[] = [];
  for (const path of listYamlFiles(dir)) {
    try {
      out.push(...parseYamlDocuments(readFileSync(path, "utf8"), displayPath(path)));
    } catch (error) {
      if (error instanceof ConfigError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out;
}
