import protobuf from "protobufjs";

/** A problem found while checking a JSON value against a protobuf message type. */
export interface ProtoJsonIssue {
  /** Path inside the checked value, e.g. `config.vm_config.code.remote.sha256`. */
  path: string;
  message: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The two views the walker builds of one value: input for `Type.fromObject`, and canonical JSON. */
interface Converted {
  object: unknown;
  canonical: Json;
}

const INT32_RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  sint32: [-2147483648, 2147483647],
  sfixed32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  fixed32: [0, 4294967295],
};
const INT64_RANGES: Record<string, [bigint, bigint]> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};
const WRAPPER_SCALARS: Record<string, string> = {
  ".google.protobuf.DoubleValue": "double",
  ".google.protobuf.FloatValue": "float",
  ".google.protobuf.Int64Value": "int64",
  ".google.protobuf.UInt64Value": "uint64",
  ".google.protobuf.Int32Value": "int32",
  ".google.protobuf.UInt32Value": "uint32",
  ".google.protobuf.BoolValue": "bool",
  ".google.protobuf.StringValue": "string",
  ".google.protobuf.BytesValue": "bytes",
};
/** Well-known types whose JSON form is not an object of their fields (proto3 JSON mapping). */
const SPECIAL_JSON_TYPES = new Set([
  ...Object.keys(WRAPPER_SCALARS),
  ".google.protobuf.Duration",
  ".google.protobuf.Timestamp",
  ".google.protobuf.Struct",
  ".google.protobuf.Value",
  ".google.protobuf.ListValue",
  ".google.protobuf.FieldMask",
]);

class IssueSink {
  readonly issues: ProtoJsonIssue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path: path === "" ? "(root)" : path, message });
  }
}

function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** protoc's default JSON name: underscores dropped, the following letter upper-cased. */
export function jsonNameOf(field: protobuf.Field): string {
  const explicit = (field.options as Record<string, unknown> | undefined)?.json_name;
  if (typeof explicit === "string") return explicit;
  return field.name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function hasExplicitPresence(field: protobuf.Field): boolean {
  return field.resolvedType instanceof protobuf.Type || field.partOf !== null;
}

function isDefaultScalar(value: Json): boolean {
  return value === 0 || value === "" || value === false || value === "0";
}

/** Merged `(validate.rules)` of a field (protoc-gen-validate), if any. */
function validateRules(field: protobuf.Field): Record<string, Record<string, unknown>> | undefined {
  const parsed = (field as unknown as { parsedOptions?: Record<string, unknown>[] }).parsedOptions;
  if (!parsed) return undefined;
  const rules: Record<string, Record<string, unknown>> = {};
  for (const option of parsed) {
    const value = option["(validate.rules)"];
    if (isPlainObject(value)) {
      for (const [kind, body] of Object.entries(value)) rules[kind] = { ...(rules[kind] ?? {}), ...(body as Record<string, unknown>) };
    }
  }
  return Object.keys(rules).length > 0 ? rules : undefined;
}

function formatDuration(seconds: bigint, nanos: number): string {
  const negative = seconds < 0n || nanos < 0;
  const absSeconds = seconds < 0n ? -seconds : seconds;
  const absNanos = Math.abs(nanos);
  let fraction = "";
  if (absNanos !== 0) {
    const padded = String(absNanos).padStart(9, "0");
    fraction = "." + (padded.endsWith("000000") ? padded.slice(0, 3) : padded.endsWith("000") ? padded.slice(0, 6) : padded);
  }
  return `${negative ? "-" : ""}${absSeconds}${fraction}s`;
}

function durationSeconds(canonical: string): number {
  return Number(canonical.slice(0, -1));
}

/**
 * Checks proto3 JSON against a message type strictly and proves it survives the wire: every key must be a
 * field of the message (by proto name or lowerCamel JSON name), `google.protobuf.Any` payloads are resolved
 * by `@type` and checked the same way, values must have the field's type, at most one member of a oneof may
 * be set, and the protoc-gen-validate rules most often used by Envoy (message/duration `required`, string
 * length, repeated size, numeric bounds, oneof `required`) are enforced. The value is then encoded with
 * protobufjs, decoded, turned back into canonical JSON and compared with the canonical input.
 */
export class StrictProtoJson {
  constructor(private readonly root: protobuf.Root) {}

  /** Resolves `type.googleapis.com/<full.name>` (or a bare full name) to a message type. */
  lookupType(typeUrlOrName: string): protobuf.Type | undefined {
    const name = typeUrlOrName.slice(typeUrlOrName.lastIndexOf("/") + 1);
    try {
      return this.root.lookupType(name.startsWith(".") ? name : `.${name}`);
    } catch {
      return undefined;
    }
  }

  /** Runs every check plus the encode/decode round trip; an empty list means the value is faithful. */
  check(typeName: string, value: unknown): ProtoJsonIssue[] {
    const type = this.lookupType(typeName);
    if (!type) return [{ path: "(root)", message: `unknown message type ${typeName}` }];
    const sink = new IssueSink();
    const converted = this.message(type, value, "", sink);
    if (sink.issues.length > 0 || !converted) return sink.issues;
    let decoded: protobuf.Message;
    try {
      const bytes = type.encode(type.fromObject(converted.object as Record<string, unknown>)).finish();
      decoded = type.decode(bytes);
    } catch (error) {
      return [{ path: "(root)", message: `encoding as ${type.fullName.slice(1)} failed: ${(error as Error).message}` }];
    }
    const back = this.fromMessage(type, decoded as unknown as Record<string, unknown>, "", sink);
    if (sink.issues.length > 0) return sink.issues;
    const difference = firstDifference(converted.canonical, back, "");
    return difference ? [{ path: difference.path || "(root)", message: `changed by the protobuf round trip: ${difference.message}` }] : [];
  }

  private message(type: protobuf.Type, value: unknown, path: string, sink: IssueSink): Converted | undefined {
    if (SPECIAL_JSON_TYPES.has(type.fullName)) return this.specialJson(type, value, path, sink);
    if (type.fullName === ".google.protobuf.Any") return this.any(value, path, sink);
    if (!isPlainObject(value)) {
      sink.add(path, `must be an object (message ${type.fullName.slice(1)})`);
      return undefined;
    }
    const object: Record<string, unknown> = {};
    const canonical: Record<string, Json> = {};
    const seen = new Map<string, string>();
    for (const [key, fieldValue] of Object.entries(value)) {
      const field = type.fields[key] ?? type.fieldsArray.find((f) => jsonNameOf(f) === key);
      const here = childPath(path, key);
      if (!field) {
        sink.add(here, `unknown field "${key}" in ${type.fullName.slice(1)}`);
        continue;
      }
      const previous = seen.get(field.name);
      if (previous !== undefined) {
        sink.add(here, `field ${field.name} is set twice (as "${previous}" and "${key}")`);
        continue;
      }
      seen.set(field.name, key);
      const converted = this.field(field, fieldValue, here, sink);
      if (!converted) continue;
      object[field.name] = converted.object;
      const keep =
        field.repeated || field.map
          ? (Array.isArray(converted.canonical) ? converted.canonical.length > 0 : Object.keys(converted.canonical as object).length > 0)
          : hasExplicitPresence(field) || !isDefaultScalar(converted.canonical);
      if (keep) canonical[field.name] = converted.canonical;
    }
    for (const oneof of type.oneofsArray) {
      const set = oneof.fieldsArray.filter((f) => Object.prototype.hasOwnProperty.call(object, f.name));
      if (set.length > 1) sink.add(path, `oneof ${oneof.name} allows one of ${oneof.fieldsArray.map((f) => f.name).join(", ")}, but ${set.map((f) => f.name).join(" and ")} are set`);
      const required = (oneof.options as Record<string, unknown> | undefined)?.["(validate.required)"] === true;
      if (required && set.length === 0) sink.add(path, `one of ${oneof.fieldsArray.map((f) => f.name).join(", ")} is required (oneof ${oneof.name})`);
    }
    for (const field of type.fieldsArray) {
      // A field given but invalid has been reported already; "required" would only repeat it.
      if (seen.has(field.name) && !Object.prototype.hasOwnProperty.call(object, field.name)) continue;
      this.checkRules(field, canonical[field.name], object[field.name], childPath(path, field.name), sink);
    }
    return { object, canonical };
  }

  private field(field: protobuf.Field, value: unknown, path: string, sink: IssueSink): Converted | undefined {
    if (field.map) {
      if (!isPlainObject(value)) {
        sink.add(path, "must be an object (map field)");
        return undefined;
      }
      const keyType = (field as unknown as protobuf.MapField).keyType;
      const object: Record<string, unknown> = {};
      const canonical: Record<string, Json> = {};
      for (const [key, entry] of Object.entries(value)) {
        if (keyType === "bool" ? key !== "true" && key !== "false" : keyType !== "string" && !/^-?\d+$/.test(key)) {
          sink.add(childPath(path, key), `map key must be a ${keyType}`);
          continue;
        }
        const converted = this.single(field, entry, childPath(path, key), sink);
        if (converted) {
          object[key] = converted.object;
          canonical[key] = converted.canonical;
        }
      }
      return { object, canonical };
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        sink.add(path, "must be an array (repeated field)");
        return undefined;
      }
      const object: unknown[] = [];
      const canonical: Json[] = [];
      value.forEach((item, index) => {
        const converted = this.single(field, item, childPath(path, index), sink);
        if (converted) {
          object.push(converted.object);
          canonical.push(converted.canonical);
        }
      });
      return { object, canonical };
    }
    return this.single(field, value, path, sink);
  }

  private single(field: protobuf.Field, value: unknown, path: string, sink: IssueSink): Converted | undefined {
    const resolved = field.resolvedType;
    if (value === null && !(resolved instanceof protobuf.Type && resolved.fullName === ".google.protobuf.Value")) {
      sink.add(path, "null is not allowed; leave the field out instead");
      return undefined;
    }
    if (resolved instanceof protobuf.Type) return this.message(resolved, value, path, sink);
    if (resolved instanceof protobuf.Enum) return this.enumValue(resolved, value, path, sink);
    return this.scalar(field.type, value, path, sink);
  }

  private enumValue(type: protobuf.Enum, value: unknown, path: string, sink: IssueSink): Converted | undefined {
    if (typeof value === "string" && Object.prototype.hasOwnProperty.call(type.values, value)) {
      return { object: type.values[value], canonical: value };
    }
    if (typeof value === "number" && Number.isInteger(value) && type.valuesById[value] !== undefined) {
      return { object: value, canonical: type.valuesById[value] };
    }
    sink.add(path, `must be one of ${Object.keys(type.values).join(", ")} (enum ${type.fullName.slice(1)})`);
    return undefined;
  }

  private scalar(scalarType: string, value: unknown, path: string, sink: IssueSink): Converted | undefined {
    const int32 = INT32_RANGES[scalarType];
    if (int32) {
      const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof number !== "number" || !Number.isInteger(number) || number < int32[0] || number > int32[1]) {
        sink.add(path, `must be an integer in [${int32[0]}, ${int32[1]}] (${scalarType})`);
        return undefined;
      }
      return { object: number, canonical: number };
    }
    const int64 = INT64_RANGES[scalarType];
    if (int64) {
      const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text !== "string" || !/^-?\d+$/.test(text) || BigInt(text) < int64[0] || BigInt(text) > int64[1]) {
        sink.add(path, `must be an integer (number or decimal string) in the ${scalarType} range`);
        return undefined;
      }
      return { object: text, canonical: BigInt(text).toString() };
    }
    switch (scalarType) {
      case "double":
      case "float": {
        const number = typeof value === "string" && /^(NaN|-?Infinity|-?\d+(\.\d+)?([eE][-+]?\d+)?)$/.test(value) ? Number(value) : value;
        if (typeof number !== "number") {
          sink.add(path, `must be a number (${scalarType})`);
          return undefined;
        }
        const stored = scalarType === "float" ? Math.fround(number) : number;
        return { object: number, canonical: Number.isFinite(stored) ? stored : String(stored) };
      }
      case "bool":
        if (typeof value !== "boolean") {
          sink.add(path, "must be true or false");
          return undefined;
        }
        return { object: value, canonical: value };
      case "string":
        if (typeof value !== "string") {
          sink.add(path, "must be a string");
          return undefined;
        }
        return { object: value, canonical: value };
      case "bytes": {
        if (typeof value !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) {
          sink.add(path, "must be a base64 string (bytes)");
          return undefined;
        }
        const bytes = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
        return { object: bytes, canonical: bytes.toString("base64") };
      }
      default:
        sink.add(path, `unsupported scalar type ${scalarType}`);
        return undefined;
    }
  }

  private any(value: unknown, path: string, sink: IssueSink): Converted | undefined {
    if (!isPlainObject(value) || typeof value["@type"] !== "string") {
      sink.add(path, 'must be an object with an "@type" (google.protobuf.Any)');
      return undefined;
    }
    const typeUrl = value["@type"];
    const inner = this.lookupType(typeUrl);
    if (!inner) {
      sink.add(childPath(path, "@type"), `unknown type ${typeUrl}: not among the loaded Envoy protos`);
      return undefined;
    }
    const rest = Object.fromEntries(Object.entries(value).filter(([key]) => key !== "@type"));
    let converted: Converted | undefined;
    if (SPECIAL_JSON_TYPES.has(inner.fullName)) {
      const extra = Object.keys(rest).filter((key) => key !== "value");
      for (const key of extra) sink.add(childPath(path, key), `unknown field "${key}": an Any holding ${inner.fullName.slice(1)} has only "value"`);
      if (!("value" in rest)) {
        sink.add(childPath(path, "value"), `required for an Any holding ${inner.fullName.slice(1)}`);
        return undefined;
      }
      converted = this.message(inner, rest.value, childPath(path, "value"), sink);
      if (!converted) return undefined;
      const bytes = inner.encode(inner.fromObject(converted.object as Record<string, unknown>)).finish();
      return { object: { type_url: typeUrl, value: bytes }, canonical: { "@type": typeUrl, value: converted.canonical } };
    }
    converted = this.message(inner, rest, path, sink);
    if (!converted) return undefined;
    const bytes = inner.encode(inner.fromObject(converted.object as Record<string, unknown>)).finish();
    return { object: { type_url: typeUrl, value: bytes }, canonical: { "@type": typeUrl, ...(converted.canonical as Record<string, Json>) } };
  }

  private specialJson(type: protobuf.Type, value: unknown, path: string, sink: IssueSink): Converted | undefined {
    const wrapped = WRAPPER_SCALARS[type.fullName];
    if (wrapped) {
      const converted = this.scalar(wrapped, value, path, sink);
      return converted && { object: { value: converted.object }, canonical: converted.canonical };
    }
    switch (type.fullName) {
      case ".google.protobuf.Duration": {
        const match = typeof value === "string" ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(value) : null;
        if (!match) {
          sink.add(path, 'must be a duration string such as "1.5s" (google.protobuf.Duration)');
          return undefined;
        }
        const sign = match[1] ? -1 : 1;
        const seconds = BigInt(match[2]) * BigInt(sign);
        const nanos = sign * Number((match[3] ?? "").padEnd(9, "0"));
        if (BigInt(match[2]) > 315576000000n) {
          sink.add(path, "duration out of range (at most 10000 years)");
          return undefined;
        }
        return { object: { seconds: seconds.toString(), nanos }, canonical: formatDuration(seconds, nanos) };
      }
      case ".google.protobuf.Timestamp": {
        const match = typeof value === "string" ? /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(value) : null;
        const millis = match ? Date.parse(`${match[1]}${match[3]}`) : NaN;
        if (!match || Number.isNaN(millis)) {
          sink.add(path, "must be an RFC 3339 timestamp (google.protobuf.Timestamp)");
          return undefined;
        }
        const nanos = Number((match[2] ?? "").padEnd(9, "0"));
        const seconds = BigInt(Math.floor(millis / 1000));
        return { object: { seconds: seconds.toString(), nanos }, canonical: `${seconds}:${nanos}` };
      }
      case ".google.protobuf.FieldMask": {
        if (typeof value !== "string") {
          sink.add(path, 'must be a comma-separated string of field paths (google.protobuf.FieldMask)');
          return undefined;
        }
        const paths = value === "" ? [] : value.split(",").map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
        return { object: { paths }, canonical: paths.join(",") };
      }
      case ".google.protobuf.Struct": {
        if (!isPlainObject(value)) {
          sink.add(path, "must be an object (google.protobuf.Struct)");
          return undefined;
        }
        const fields: Record<string, unknown> = {};
        const canonical: Record<string, Json> = {};
        for (const [key, entry] of Object.entries(value)) {
          const converted = this.jsonValue(entry, childPath(path, key), sink);
          if (converted) {
            fields[key] = converted.object;
            canonical[key] = converted.canonical;
          }
        }
        return { object: { fields }, canonical };
      }
      case ".google.protobuf.ListValue": {
        if (!Array.isArray(value)) {
          sink.add(path, "must be an array (google.protobuf.ListValue)");
          return undefined;
        }
        const converted = value.map((entry, index) => this.jsonValue(entry, childPath(path, index), sink));
        if (converted.some((c) => !c)) return undefined;
        return { object: { values: converted.map((c) => c!.object) }, canonical: converted.map((c) => c!.canonical) };
      }
      default:
        return this.jsonValue(value, path, sink);
    }
  }

  /**
   * The field name protobufjs uses for a `google.protobuf.Value` member: its bundled struct.proto is a
   * JSON descriptor with lowerCamel names, unlike the .proto files loaded with `keepCase`.
   */
  private valueKey(protoName: string): string {
    const type = this.lookupType("google.protobuf.Value")!;
    const camel = protoName.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    return type.fields[protoName] ? protoName : camel;
  }

  private jsonValue(value: unknown, path: string, sink: IssueSink): Converted | undefined {
    if (value === null) return { object: { [this.valueKey("null_value")]: 0 }, canonical: null };
    if (typeof value === "number") {
      if (!Number.isFinite(value)) {
        sink.add(path, "google.protobuf.Value cannot hold NaN or Infinity in JSON");
        return undefined;
      }
      return { object: { [this.valueKey("number_value")]: value }, canonical: value };
    }
    if (typeof value === "string") return { object: { [this.valueKey("string_value")]: value }, canonical: value };
    if (typeof value === "boolean") return { object: { [this.valueKey("bool_value")]: value }, canonical: value };
    if (Array.isArray(value)) {
      const list = this.specialJson(this.lookupType("google.protobuf.ListValue")!, value, path, sink);
      return list && { object: { [this.valueKey("list_value")]: list.object }, canonical: list.canonical };
    }
    if (isPlainObject(value)) {
      const struct = this.specialJson(this.lookupType("google.protobuf.Struct")!, value, path, sink);
      return struct && { object: { [this.valueKey("struct_value")]: struct.object }, canonical: struct.canonical };
    }
    sink.add(path, `cannot be represented as google.protobuf.Value (${typeof value})`);
    return undefined;
  }

  private checkRules(field: protobuf.Field, canonical: Json | undefined, object: unknown, path: string, sink: IssueSink): void {
    const rules = validateRules(field);
    if (!rules) return;
    const present = object !== undefined;
    // protoc-gen-validate applies a oneof member's rules only when that member is the one set.
    if (!present && field.partOf) return;
    for (const kind of ["message", "duration", "any", "timestamp"]) {
      if (rules[kind]?.required === true && !present) sink.add(path, "required field is missing (validate.rules)");
    }
    if (!present) return;
    const string = rules.string;
    if (string && typeof object === "string") {
      if (typeof string.min_len === "number" && [...object].length < string.min_len) sink.add(path, `must have at least ${string.min_len} character(s)`);
      if (typeof string.max_len === "number" && [...object].length > string.max_len) sink.add(path, `must have at most ${string.max_len} character(s)`);
      if (typeof string.min_bytes === "number" && Buffer.byteLength(object) < string.min_bytes) sink.add(path, `must have at least ${string.min_bytes} byte(s)`);
      if (typeof string.prefix === "string" && !object.startsWith(string.prefix)) sink.add(path, `must start with "${string.prefix}"`);
    }
    const repeated = rules.repeated;
    if (repeated && Array.isArray(object)) {
      if (typeof repeated.min_items === "number" && object.length < repeated.min_items) sink.add(path, `must have at least ${repeated.min_items} item(s)`);
      if (typeof repeated.max_items === "number" && object.length > repeated.max_items) sink.add(path, `must have at most ${repeated.max_items} item(s)`);
    }
    for (const numeric of ["uint32", "int32", "uint64", "int64", "double", "float"]) {
      const bounds = rules[numeric];
      const number = typeof canonical === "number" ? canonical : typeof canonical === "string" ? Number(canonical) : undefined;
      if (bounds && number !== undefined) this.checkBounds(bounds, number, path, sink);
    }
    const duration = rules.duration;
    if (duration && typeof canonical === "string") {
      const seconds = durationSeconds(canonical);
      const limit = (entry: unknown): number | undefined =>
        isPlainObject(entry) ? Number(entry.seconds ?? 0) + Number(entry.nanos ?? 0) / 1e9 : undefined;
      this.checkBounds({ gt: limit(duration.gt), gte: limit(duration.gte), lt: limit(duration.lt), lte: limit(duration.lte) }, seconds, path, sink);
    }
  }

  private checkBounds(bounds: Record<string, unknown>, value: number, path: string, sink: IssueSink): void {
    if (typeof bounds.gt === "number" && !(value > bounds.gt)) sink.add(path, `must be greater than ${bounds.gt}`);
    if (typeof bounds.gte === "number" && !(value >= bounds.gte)) sink.add(path, `must be at least ${bounds.gte}`);
    if (typeof bounds.lt === "number" && !(value < bounds.lt)) sink.add(path, `must be less than ${bounds.lt}`);
    if (typeof bounds.lte === "number" && !(value <= bounds.lte)) sink.add(path, `must be at most ${bounds.lte}`);
  }

  /** Canonical JSON of a decoded message, in the same form {@link message} produces for input. */
  private fromMessage(type: protobuf.Type, message: Record<string, unknown>, path: string, sink: IssueSink): Json {
    switch (type.fullName) {
      case ".google.protobuf.Duration":
        return formatDuration(BigInt(String(message.seconds ?? 0)), Number(message.nanos ?? 0));
      case ".google.protobuf.Timestamp":
        return `${String(message.seconds ?? 0)}:${Number(message.nanos ?? 0)}`;
      case ".google.protobuf.FieldMask":
        return ((message.paths as string[] | undefined) ?? []).join(",");
      case ".google.protobuf.Struct": {
        const out: Record<string, Json> = {};
        for (const [key, value] of Object.entries((message.fields as Record<string, Record<string, unknown>>) ?? {})) out[key] = this.fromValue(value, path, sink);
        return out;
      }
      case ".google.protobuf.ListValue":
        return ((message.values as Record<string, unknown>[] | undefined) ?? []).map((value) => this.fromValue(value, path, sink));
      case ".google.protobuf.Value":
        return this.fromValue(message, path, sink);
      case ".google.protobuf.Any":
        return this.fromAny(message, path, sink);
    }
    const wrapped = WRAPPER_SCALARS[type.fullName];
    if (wrapped) {
      const field = type.fields.value;
      return this.fromScalar(field, message.value ?? field.typeDefault);
    }
    const out: Record<string, Json> = {};
    for (const field of type.fieldsArray) {
      if (!Object.prototype.hasOwnProperty.call(message, field.name)) continue;
      const value = message[field.name];
      if (value === null || value === undefined) continue;
      const here = childPath(path, field.name);
      if (field.map) {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 0) continue;
        out[field.name] = Object.fromEntries(entries.map(([key, entry]) => [key, this.fromSingle(field, entry, childPath(here, key), sink)]));
      } else if (field.repeated) {
        const items = value as unknown[];
        if (items.length === 0) continue;
        out[field.name] = items.map((item, index) => this.fromSingle(field, item, childPath(here, index), sink));
      } else {
        const converted = this.fromSingle(field, value, here, sink);
        if (hasExplicitPresence(field) || !isDefaultScalar(converted)) out[field.name] = converted;
      }
    }
    return out;
  }

  private fromSingle(field: protobuf.Field, value: unknown, path: string, sink: IssueSink): Json {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.fromMessage(resolved, value as Record<string, unknown>, path, sink);
    if (resolved instanceof protobuf.Enum) return resolved.valuesById[value as number] ?? (value as number);
    return this.fromScalar(field, value);
  }

  private fromScalar(field: protobuf.Field, value: unknown): Json {
    if (INT64_RANGES[field.type]) return String(value);
    if (field.type === "bytes") return Buffer.from(value as Uint8Array).toString("base64");
    if ((field.type === "double" || field.type === "float") && typeof value === "number" && !Number.isFinite(value)) return String(value);
    return value as Json;
  }

  private fromValue(value: Record<string, unknown>, path: string, sink: IssueSink): Json {
    const struct = value[this.valueKey("struct_value")];
    if (struct) return this.fromMessage(this.lookupType("google.protobuf.Struct")!, struct as Record<string, unknown>, path, sink);
    const list = value[this.valueKey("list_value")];
    if (list) return this.fromMessage(this.lookupType("google.protobuf.ListValue")!, list as Record<string, unknown>, path, sink);
    for (const kind of ["number_value", "string_value", "bool_value"]) {
      const key = this.valueKey(kind);
      if (Object.prototype.hasOwnProperty.call(value, key)) return value[key] as Json;
    }
    return null;
  }

  private fromAny(message: Record<string, unknown>, path: string, sink: IssueSink): Json {
    const typeUrl = String(message.type_url ?? "");
    const inner = this.lookupType(typeUrl);
    if (!inner) {
      sink.add(path, `decoded Any has unknown type ${typeUrl}`);
      return null;
    }
    const decoded = inner.decode((message.value as Uint8Array | undefined) ?? new Uint8Array());
    const canonical = this.fromMessage(inner, decoded as unknown as Record<string, unknown>, path, sink);
    if (SPECIAL_JSON_TYPES.has(inner.fullName)) return { "@type": typeUrl, value: canonical };
    return { "@type": typeUrl, ...(canonical as Record<string, Json>) };
  }
}

function firstDifference(expected: Json, actual: Json, path: string): { path: string; message: string } | undefined {
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return { path, message: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}` };
    if (expected.length !== actual.length) return { path, message: `expected ${expected.length} item(s), got ${actual.length}` };
    for (let i = 0; i < expected.length; i++) {
      const difference = firstDifference(expected[i], actual[i], childPath(path, i));
      if (difference) return difference;
    }
    return undefined;
  }
  if (isPlainObject(expected) || isPlainObject(actual)) {
    if (!isPlainObject(expected) || !isPlainObject(actual)) return { path, message: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}` };
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(key in actual)) return { path: childPath(path, key), message: "lost" };
      if (!(key in expected)) return { path: childPath(path, key), message: `appeared with ${JSON.stringify(actual[key])}` };
      const difference = firstDifference(expected[key], actual[key], childPath(path, key));
      if (difference) return difference;
    }
    return undefined;
  }
  if (Number.isNaN(expected) && Number.isNaN(actual)) return undefined;
  return expected === actual ? undefined : { path, message: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}` };
}
