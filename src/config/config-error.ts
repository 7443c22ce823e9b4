/** Where a problem was found: the file, the YAML document in it and the field inside that document. */
export interface ConfigLocation {
  file?: string;
  /** Zero-based index of the YAML document inside `file`. */
  documentIndex?: number;
  /** `Kind namespace/name` of the resource, when known. */
  resource?: string;
  /** Dotted field path with `[i]` for array items, e.g. `spec.http[0].route[1].weight`. */
  fieldPath?: string;
  line?: number;
  column?: number;
}

/** One problem in the input or in generated output. */
export interface ConfigIssue extends ConfigLocation {
  message: string;
}

/** Formats an issue as `file:line:col: document N (Kind ns/name): field: message`. */
export function formatIssue(issue: ConfigIssue): string {
  const parts: string[] = [];
  if (issue.file !== undefined) {
    let where = issue.file;
    if (issue.line !== undefined) where += `:${issue.line}`;
    if (issue.line !== undefined && issue.column !== undefined) where += `:${issue.column}`;
    parts.push(where);
  }
  const what: string[] = [];
  if (issue.documentIndex !== undefined) what.push(`document ${issue.documentIndex}`);
  if (issue.resource !== undefined) what.push(issue.documentIndex !== undefined ? `(${issue.resource})` : issue.resource);
  if (what.length > 0) parts.push(what.join(" "));
  if (issue.fieldPath !== undefined && issue.fieldPath !== "") parts.push(issue.fieldPath);
  parts.push(issue.message);
  return parts.join(": ");
}

/** Thrown when the configuration cannot be compiled; carries every problem found, not only the first. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Joins a field path from segments: strings become `.name`, numbers `[i]`. */
export function joinFieldPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_@][\w@-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
