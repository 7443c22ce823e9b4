import { readFile } from "node:fs/promises";
import { checkAbi } from "../abi/check.js";
import type { AbiReport, Finding } from "../abi/report.js";
import { WasmFormatError } from "../abi/wasm-interface.js";

/** Where the report goes; `process.stdout` fits. */
export interface TextSink {
  write(text: string): unknown;
}

/** Exit codes of `wasmixer check`. */
export const CHECK_EXIT = { ok: 0, errorsFound: 1, unreadable: 2 } as const;

type ModuleOutcome = { path: string; report: AbiReport } | { path: string; failure: string };

async function checkFile(path: string): Promise<ModuleOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { path, failure: `cannot read: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    return { path, report: checkAbi(bytes) };
  } catch (error) {
    if (error instanceof WasmFormatError) return { path, failure: `not a Wasm module: ${error.message}` };
    throw error;
  }
}

function findingLine(label: string, finding: Finding): string {
  return `  ${label} ${finding.subject ? `${finding.subject}: ` : ""}${finding.message} [${finding.code}]`;
}

/** The human-readable report of one module. */
export function formatReport(path: string, report: AbiReport): string {
  const functions = (list: readonly { kind: string }[]) => list.filter((entry) => entry.kind === "function").length;
  const verdict = report.errors.length === 0 ? "OK" : `${report.errors.length} error(s)`;
  const lines = [
    `${path}: ${verdict}`,
    `  ABI marker: ${report.abiVersion ?? "none"}; ${functions(report.imports)} imported and ${functions(report.exports)} exported functions`,
    ...report.errors.map((finding) => findingLine("error  ", finding)),
    ...report.warnings.map((finding) => findingLine("warning", finding)),
    ...report.info.map((finding) => findingLine("info   ", finding)),
  ];
  return lines.join("\n") + "\n";
}

/**
 * `wasmixer check [--json] <module.wasm> ...`: checks each module against the
 * proxy-wasm ABI v0.2.1 and prints a report per module.
 * @returns 0 when every module is clean, 1 when any has errors, 2 when any
 *   file cannot be read or is not Wasm (or no file was named).
 */
export async function runCheck(args: string[], out: TextSink): Promise<number> {
  const json = args.includes("--json");
  const paths = args.filter((arg) => arg !== "--json");
  if (paths.length === 0) {
    out.write("usage: wasmixer check [--json] <module.wasm> [...]\n");
    return CHECK_EXIT.unreadable;
  }
  const outcomes: ModuleOutcome[] = [];
  for (const path of paths) outcomes.push(await checkFile(path));

  if (json) {
    out.write(JSON.stringify(outcomes, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2) + "\n");
  } else {
    for (const outcome of outcomes) {
      out.write("report" in outcome ? formatReport(outcome.path, outcome.report) : `${outcome.path}: ${outcome.failure}\n`);
    }
  }
  if (outcomes.some((outcome) => "failure" in outcome)) return CHECK_EXIT.unreadable;
  if (outcomes.some((outcome) => "report" in outcome && outcome.report.errors.length > 0)) return CHECK_EXIT.errorsFound;
  return CHECK_EXIT.ok;
}
