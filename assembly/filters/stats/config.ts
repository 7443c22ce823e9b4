/**
 * Istio's stats PluginConfig (istio/proxy
 * source/extensions/filters/http/istio_stats/config.proto, and the Wasm-era
 * extensions/stats/config.proto for `stat_prefix`) from its JSON form. Field
 * names are accepted in snake_case and lowerCamelCase, as protobuf JSON does.
 * Stricter than Istio where a mistake would silently lose metrics: a bad
 * expression, an unknown type or reporter, or a definition that clashes with
 * a standard metric or another definition rejects the configuration.
 */
import { JsonObject, JsonValue, MetricType, parseJson } from "../../sdk";
import { CelExpression } from "../../expr/cel/index";
import { metricIndex } from "./standard-metrics";

/** One `metrics[]` entry. */
export class MetricOverride {
  /** Metric name ("" = every metric). */
  name: string = "";
  /** Dimension names, sorted (Istio sorts them for a deterministic tag order). */
  dimensionNames: string[] = [];
  /** Indexes into {@link StatsConfig.expressions}, parallel to dimensionNames. */
  dimensionExpressions: i32[] = [];
  tagsToRemove: string[] = [];
  drop: bool = false;
}

/** One `definitions[]` entry: a custom metric. */
export class MetricDefinition {
  constructor(readonly name: string, readonly valueExpression: i32, readonly type: MetricType) {}
}

export const enum ReporterKind { Unspecified = 0, ServerGateway = 1 }

export class StatsConfig {
  reporter: ReporterKind = ReporterKind.Unspecified;
  disableHostHeaderFallback: bool = false;
  /** istio_stats.cc: `PROTOBUF_GET_MS_OR_DEFAULT(proto_config, tcp_reporting_duration, 5000)`. */
  tcpReportingMs: u32 = 5000;
  /** Prefix of metric names; Istio's default is "istio". */
  statPrefix: string = "istio";
  overrides: MetricOverride[] = [];
  definitions: MetricDefinition[] = [];
  /** Every distinct expression of the configuration, each compiled once. */
  expressions: CelExpression[] = [];
  /** Problems that do not reject the configuration. */
  warnings: string[] = [];
}

/** The configuration, or the reason it is rejected. */
export class ConfigResult {
  constructor(readonly config: StatsConfig | null, readonly error: string) {}
}

function member(object: JsonObject, snake: string, camel: string): JsonValue | null {
  const value = object.get(snake);
  return value !== null ? value : object.get(camel);
}

const KNOWN_IGNORED: string[] = [
  "debug", "max_peer_cache_size", "maxPeerCacheSize", "field_separator", "fieldSeparator", "value_separator",
  "valueSeparator", "rescoping_duration", "rescopingDuration", "scope_grace_period_duration",
  "scopeGracePeriodDuration", "rotation_interval", "rotationInterval", "graceful_deletion_interval",
  "gracefulDeletionInterval",
];

const KNOWN: string[] = [
  "disable_host_header_fallback", "disableHostHeaderFallback", "tcp_reporting_duration", "tcpReportingDuration",
  "metrics", "definitions", "reporter", "stat_prefix", "statPrefix",
];

/** Protobuf JSON Duration ("5s", "0.5s", "1.000340012s"), as milliseconds; -1 when malformed. */
export function parseDurationMs(text: string): i64 {
  if (!text.endsWith("s") || text.length < 2) return -1;
  const body = text.substring(0, text.length - 1);
  const dot = body.indexOf(".");
  const whole = dot < 0 ? body : body.substring(0, dot);
  const fraction = dot < 0 ? "" : body.substring(dot + 1);
  if (whole.length == 0 || whole.length > 12 || fraction.length > 9) return -1;
  let ms: i64 = 0;
  for (let i = 0; i < whole.length; i++) {
    const digit = whole.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    ms = ms * 10 + digit;
  }
  ms *= 1000;
  let scale: i64 = 100;
  for (let i = 0; i < fraction.length; i++) {
    const digit = fraction.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    ms += <i64>digit * scale;
    scale /= 10;
  }
  return ms;
}

class ConfigParser {
  readonly config: StatsConfig = new StatsConfig();
  error: string = "";

  fail(message: string): bool {
    if (this.error.length == 0) this.error = message;
    return false;
  }

  /** Index of the compiled expression for `text`, compiling it on first use; -1 on a syntax error. */
  expression(text: string, where: string): i32 {
    const expressions = this.config.expressions;
    for (let i = 0, n = expressions.length; i < n; i++) if (unchecked(expressions[i]).text == text) return i;
    const compiled = CelExpression.compile(text);
    if (compiled === null) { this.fail(where + ": " + CelExpression.lastError); return -1; }
    expressions.push(compiled);
    return expressions.length - 1;
  }

  parse(root: JsonObject): bool {
    for (let i = 0, n = root.keys.length; i < n; i++) {
      const key = unchecked(root.keys[i]);
      if (!KNOWN.includes(key) && !KNOWN_IGNORED.includes(key)) this.config.warnings.push("unknown field '" + key + "' ignored");
    }
    const fallback = member(root, "disable_host_header_fallback", "disableHostHeaderFallback");
    if (fallback !== null) {
      if (!fallback.isBool) return this.fail("disable_host_header_fallback must be a boolean");
      this.config.disableHostHeaderFallback = fallback.asBool();
    }
    const prefix = member(root, "stat_prefix", "statPrefix");
    if (prefix !== null) {
      const text = prefix.asString();
      if (text === null || text.length == 0) return this.fail("stat_prefix must be a non-empty string");
      this.config.statPrefix = text;
    }
    const duration = member(root, "tcp_reporting_duration", "tcpReportingDuration");
    if (duration !== null) {
      const text = duration.asString();
      const ms = text === null ? -1 : parseDurationMs(text);
      if (ms < 0 || ms > <i64>u32.MAX_VALUE) return this.fail("tcp_reporting_duration must be a duration such as \"15s\"");
      this.config.tcpReportingMs = <u32>ms;
    }
    const reporter = root.get("reporter");
    if (reporter !== null) {
      const text = reporter.asString();
      if (text == "UNSPECIFIED" || (reporter.isNumber && reporter.asNumber() == 0)) this.config.reporter = ReporterKind.Unspecified;
      else if (text == "SERVER_GATEWAY" || (reporter.isNumber && reporter.asNumber() == 1)) this.config.reporter = ReporterKind.ServerGateway;
      else return this.fail("reporter must be UNSPECIFIED or SERVER_GATEWAY");
    }
    const definitions = root.get("definitions");
    if (definitions !== null && !this.definitions(definitions)) return false;
    const metrics = root.get("metrics");
    if (metrics !== null && !this.metrics(metrics)) return false;
    return true;
  }

  definitions(value: JsonValue): bool {
    const list = value.asArray();
    if (list === null) return this.fail("definitions must be an array");
    for (let i = 0, n = list.items.length; i < n; i++) {
      const where = "definitions[" + i.toString() + "]";
      const entry = unchecked(list.items[i]).asObject();
      if (entry === null) return this.fail(where + " must be an object");
      const name = entry.getString("name");
      if (name === null || name.length == 0) return this.fail(where + ".name must be a non-empty string");
      if (metricIndex(name) >= 0) return this.fail(where + ": '" + name + "' redefines a standard metric");
      const defined = this.config.definitions;
      for (let j = 0; j < defined.length; j++) {
        if (unchecked(defined[j]).name == name) return this.fail(where + ": metric '" + name + "' is defined twice");
      }
      const text = entry.getString("value");
      if (text === null) return this.fail(where + ".value must be an expression string");
      const expression = this.expression(text, where + ".value");
      if (expression < 0) return false;
      let type = MetricType.Counter;
      const typeValue = entry.get("type");
      if (typeValue !== null) {
        const typeName = typeValue.asString();
        const number = typeValue.isNumber ? typeValue.asNumber() : -1;
        if (typeName == "COUNTER" || number == 0) type = MetricType.Counter;
        else if (typeName == "GAUGE" || number == 1) type = MetricType.Gauge;
        else if (typeName == "HISTOGRAM" || number == 2) type = MetricType.Histogram;
        else return this.fail(where + ".type must be COUNTER, GAUGE or HISTOGRAM");
      }
      defined.push(new MetricDefinition(name, expression, type));
    }
    return true;
  }

  metrics(value: JsonValue): bool {
    const list = value.asArray();
    if (list === null) return this.fail("metrics must be an array");
    for (let i = 0, n = list.items.length; i < n; i++) {
      const where = "metrics[" + i.toString() + "]";
      const entry = unchecked(list.items[i]).asObject();
      if (entry === null) return this.fail(where + " must be an object");
      const metricOverride = new MetricOverride();
      const name = entry.get("name");
      if (name !== null) {
        const text = name.asString();
        if (text === null) return this.fail(where + ".name must be a string");
        metricOverride.name = text;
      }
      const drop = entry.get("drop");
      if (drop !== null) {
        if (!drop.isBool) return this.fail(where + ".drop must be a boolean");
        metricOverride.drop = drop.asBool();
      }
      const match = entry.getString("match");
      if (match !== null && match.length > 0) this.config.warnings.push(where + ".match is not implemented (as in Istio) and is ignored");
      const remove = member(entry, "tags_to_remove", "tagsToRemove");
      if (remove !== null && !this.stringList(remove, metricOverride.tagsToRemove, where + ".tags_to_remove")) return false;
      const dimensions = entry.get("dimensions");
      if (dimensions !== null && !this.dimensions(dimensions, metricOverride, where + ".dimensions")) return false;
      this.config.overrides.push(metricOverride);
    }
    return true;
  }

  stringList(value: JsonValue, into: string[], where: string): bool {
    const list = value.asArray();
    if (list === null) return this.fail(where + " must be an array of strings");
    for (let i = 0, n = list.items.length; i < n; i++) {
      const text = unchecked(list.items[i]).asString();
      if (text === null) return this.fail(where + " must be an array of strings");
      into.push(text);
    }
    return true;
  }

  dimensions(value: JsonValue, metricOverride: MetricOverride, where: string): bool {
    const object = value.asObject();
    if (object === null) return this.fail(where + " must be an object of expressions");
    const names = object.keys.slice(0);
    names.sort((a: string, b: string): i32 => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0, n = names.length; i < n; i++) {
      const name = unchecked(names[i]);
      const text = object.getString(name);
      if (text === null) return this.fail(where + "." + name + " must be an expression string");
      if (!isTagName(name)) return this.fail(where + ": '" + name + "' is not a valid tag name");
      const expression = this.expression(text, where + "." + name);
      if (expression < 0) return false;
      metricOverride.dimensionNames.push(name);
      metricOverride.dimensionExpressions.push(expression);
    }
    return true;
  }
}

/** Tag names end up in a Prometheus label and in Envoy's tag regex: identifiers only. */
function isTagName(name: string): bool {
  if (name.length == 0) return false;
  for (let i = 0, n = name.length; i < n; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F;
    if (!letter && !(i > 0 && c >= 0x30 && c <= 0x39)) return false;
  }
  return true;
}

/** Parses the plugin configuration; empty text is the default configuration. */
export function parseStatsConfig(text: string): ConfigResult {
  if (text.trim().length == 0) return new ConfigResult(new StatsConfig(), "");
  const parsed = parseJson(text);
  if (!parsed.ok) return new ConfigResult(null, "configuration is not valid JSON: " + parsed.error);
  const root = parsed.value!.asObject();
  if (root === null) return new ConfigResult(null, "configuration must be a JSON object");
  const parser = new ConfigParser();
  if (!parser.parse(root)) return new ConfigResult(null, parser.error);
  return new ConfigResult(parser.config, "");
}
