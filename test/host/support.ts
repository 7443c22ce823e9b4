// Helpers shared by the host tests.
import { join } from "node:path";
import type { Plugin } from "../../src/host/index.js";

/** Path of a test module compiled by the global setup. */
export function modulePath(name: string): string {
  return join("build", "test", `${name}.wasm`);
}

/** The last log line starting with `prefix `, as key=value fields. */
export function lastLog(plugin: Plugin, prefix: string): Record<string, string> {
  const line = [...plugin.logs()].reverse().find((l) => l === prefix || l.startsWith(prefix + " ") || l.startsWith(prefix + "="));
  if (!line) throw new Error(`no log line starting with "${prefix}" in:\n${plugin.logs().join("\n")}`);
  return fields(line);
}

/** key=value fields of one log line. */
export function fields(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of line.split(" ")) {
    const i = part.indexOf("=");
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}
