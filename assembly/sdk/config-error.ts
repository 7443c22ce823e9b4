import { JsonObject, JsonValue } from "./json";

/**
 * The first problem found in a filter's JSON configuration, with the JSON path it concerns
 * (shared by the filters that validate their configuration field by field).
 * Parsing functions return null and leave the reason here (AssemblyScript has
 * no exceptions); null is also a valid "absent" answer, so callers check
 * {@link hasConfigError}.
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

/** Records a problem at `path` (keeps only the first). */
export function reportConfigError(path: string, message: string): void {
  if (firstError !== null) return;
  const prefix: string = path.length > 0 ? path + ": " : "";
  firstError = prefix + message;
}

/** The object at `path`, or null after reporting that it is not one. */
export function expectObject(value: JsonValue, path: string): JsonObject | null {
  const object = value.asObject();
  if (object === null) reportConfigError(path, "must be an object");
  return object;
}

/**
 * Reports the first key of `object` not in `known` (",a,b,": names between commas). Istio's API rejects
 * unknown fields too, and a typo would otherwise silently change routing.
 */
export function checkKnownFields(object: JsonObject, known: string, path: string): bool {
  const keys = object.keys;
  for (let i = 0; i < keys.length; i++) {
    if (!known.includes("," + keys[i] + ",")) {
      reportConfigError(path, "unknown field \"" + keys[i] + "\"");
      return false;
    }
  }
  return true;
}

/** String member `key` ("" when absent), reporting a wrong type. */
export function optionalString(object: JsonObject, key: string, path: string): string {
  const value = object.get(key);
  if (value === null) return "";
  const text = value.asString();
  if (text === null) {
    reportConfigError(path + "." + key, "must be a string");
    return "";
  }
  return text;
}

/** Non-negative integer member `key` (`fallback` when absent), reporting a wrong type. */
export function optionalInteger(object: JsonObject, key: string, path: string, fallback: i64): i64 {
  const value = object.get(key);
  if (value === null) return fallback;
  const number = value.asNumber(-1);
  if (!value.isNumber || number < 0 || number != Math.floor(number) || number > 4294967295) {
    reportConfigError(path + "." + key, "must be a non-negative integer");
    return fallback;
  }
  return <i64>number;
}
