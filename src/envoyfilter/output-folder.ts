import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";

/** Every file under `dir` as relative path -> text (empty when `dir` does not exist). */
export function readFolder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (current: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full).split("\\").join("/"), readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return out;
}

/** What differs between the files on disk and the expected ones. */
export interface FolderDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export function diffFolder(actual: Map<string, string>, expected: Map<string, string>): FolderDiff {
  const added = [...expected.keys()].filter((path) => !actual.has(path)).sort();
  const removed = [...actual.keys()].filter((path) => !expected.has(path)).sort();
  const changed = [...expected.keys()].filter((path) => actual.has(path) && actual.get(path) !== expected.get(path)).sort();
  return { added, removed, changed };
}

export function isEmptyDiff(diff: FolderDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length === 0;
}

/**
 * Replaces `dir` with exactly `files`. Everything is written to a sibling temporary folder first, which is
 * renamed into place only once complete, so an interrupted run never leaves a half-written output. The
 * folder is owned by the generator: files it did not generate are removed.
 */
export function replaceFolder(dir: string, files: Map<string, string>): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(dir)}.tmp-${process.pid}`);
  const previous = join(parent, `.${basename(dir)}.old-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging, { recursive: true });
    for (const [path, text] of files) {
      const target = join(staging, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    if (existsSync(dir)) renameSync(dir, previous);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(previous)) renameSync(previous, dir);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}
