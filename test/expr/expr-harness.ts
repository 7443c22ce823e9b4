// Loads test/modules/expr-harness with the AssemblyScript loader. The module
// is compiled with --exportRuntime (the loader needs the runtime exports to
// pass strings); the binary is keyed by a hash of its sources so the test
// files sharing it compile it once.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import loader from "@assemblyscript/loader";
import { compileAssemblyScript } from "../../src/build/compile.js";

const ENTRY = "test/modules/expr-harness/index.ts";
const SOURCE_DIRS = ["assembly/expr", "test/modules/expr-harness"];

interface HarnessExports extends Record<string, unknown> {
  _initialize(): void;
  regexCompile(pattern: number, ignoreCase: number): number;
  regexLastError(): number;
  regexFullMatch(handle: number, input: number): number;
  regexPartialMatch(handle: number, input: number): number;
  regexFullMatchUtf8(handle: number, input: number): number;
  regexPartialMatchUtf8(handle: number, input: number): number;
  regexSteps(handle: number): number;
  regexFullMatchRepeated(handle: number, unit: number, count: number, tail: number): number;
  regexPartialMatchRepeated(handle: number, unit: number, count: number, tail: number): number;
  matcherCompile(kind: number, value: number, ignoreCase: number): number;
  matcherLastError(): number;
  matcherMatches(handle: number, input: number): number;
  matcherMatchesOptional(handle: number, input: number): number;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (name.endsWith(".ts")) files.push(path);
  }
  return files;
}

async function harnessBinary(): Promise<Buffer> {
  const hash = createHash("sha256");
  for (const dir of SOURCE_DIRS) for (const file of sourceFiles(dir)) hash.update(file).update(readFileSync(file));
  const outFile = join("build", "test", `expr-harness-runtime-${hash.digest("hex").slice(0, 16)}.wasm`);
  if (!existsSync(outFile)) {
    const temporary = `${outFile}.${process.pid}.tmp`;
    await compileAssemblyScript(ENTRY, temporary, { extraFlags: ["--exportRuntime"] });
    renameSync(temporary, outFile);
  }
  return readFileSync(outFile);
}

/** A regex compiled inside the Wasm module. */
export interface CompiledRegex {
  fullMatch(input: string): boolean;
  partialMatch(input: string): boolean;
  fullMatchUtf8(input: Uint8Array): boolean;
  partialMatchUtf8(input: Uint8Array): boolean;
  /** Full match of `unit` repeated `count` times plus `tail`, the input built inside Wasm. */
  fullMatchRepeated(unit: string, count: number, tail?: string): boolean;
  partialMatchRepeated(unit: string, count: number, tail?: string): boolean;
  /** NFA steps taken by the most recent match. */
  steps(): number;
}

/** A StringMatcher compiled inside the Wasm module. */
export interface CompiledMatcher {
  matches(input: string): boolean;
  matchesOptional(input: string | null): boolean;
}

export interface ExprHarness {
  /** Returns the regex, or the error message. */
  compileRegex(pattern: string, ignoreCase?: boolean): CompiledRegex | string;
  compileMatcher(kind: StringMatchKind, value: string, ignoreCase?: boolean): CompiledMatcher | string;
}

/** Mirrors assembly/expr/string-match.ts StringMatchKind. */
export enum StringMatchKind { Exact = 0, Prefix = 1, Suffix = 2, Contains = 3, Regex = 4, Present = 5 }

export async function loadExprHarness(): Promise<ExprHarness> {
  const { exports } = await loader.instantiate<HarnessExports>(await harnessBinary(), {});
  exports._initialize();
  // Inputs are pinned only for the duration of one call.
  const withString = <T>(text: string, use: (pointer: number) => T): T => {
    const pointer = exports.__pin(exports.__newString(text));
    try {
      return use(pointer);
    } finally {
      exports.__unpin(pointer);
    }
  };
  const withBytes = <T>(bytes: Uint8Array, use: (pointer: number) => T): T => {
    const pointer = exports.__pin(exports.__newArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer));
    try {
      return use(pointer);
    } finally {
      exports.__unpin(pointer);
    }
  };
  return {
    compileRegex(pattern, ignoreCase = false) {
      const handle = withString(pattern, (p) => exports.regexCompile(p, ignoreCase ? 1 : 0));
      if (handle < 0) return exports.__getString(exports.regexLastError());
      return {
        fullMatch: (input) => withString(input, (p) => exports.regexFullMatch(handle, p) !== 0),
        partialMatch: (input) => withString(input, (p) => exports.regexPartialMatch(handle, p) !== 0),
        fullMatchUtf8: (input) => withBytes(input, (p) => exports.regexFullMatchUtf8(handle, p) !== 0),
        partialMatchUtf8: (input) => withBytes(input, (p) => exports.regexPartialMatchUtf8(handle, p) !== 0),
        fullMatchRepeated: (unit, count, tail = "") =>
          withString(unit, (u) => withString(tail, (t) => exports.regexFullMatchRepeated(handle, u, count, t) !== 0)),
        partialMatchRepeated: (unit, count, tail = "") =>
          withString(unit, (u) => withString(tail, (t) => exports.regexPartialMatchRepeated(handle, u, count, t) !== 0)),
        steps: () => exports.regexSteps(handle),
      };
    },
    compileMatcher(kind, value, ignoreCase = false) {
      const handle = withString(value, (p) => exports.matcherCompile(kind, p, ignoreCase ? 1 : 0));
      if (handle < 0) return exports.__getString(exports.matcherLastError());
      return {
        matches: (input) => withString(input, (p) => exports.matcherMatches(handle, p) !== 0),
        matchesOptional: (input) =>
          input === null ? exports.matcherMatchesOptional(handle, 0) !== 0 : withString(input, (p) => exports.matcherMatchesOptional(handle, p) !== 0),
      };
    },
  };
}
