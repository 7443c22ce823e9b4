/**
 * The first configuration problem found. Parsing functions return null and
 * leave the reason here (AssemblyScript has no exceptions); callers check
 * {@link hasConfigError} because null can also mean "absent".
 */
let firstError: string | null = null;

export function resetConfigError(): void {
  firstError = null;
}

export function hasConfigError(): bool {
  return firstError !== null;
}

export function configError(): string {
  const error = firstError;
  return error === null ? "" : error;
}

/** Records a problem at `path` (a JSON path such as `policies[0].rules[1].when[0]`); keeps only the first. */
export function reportConfigError(path: string, message: string): void {
  if (firstError !== null) return;
  firstError = path.length > 0 ? path + ": " + message : message;
}
