import { parse as parseYaml } from "yaml";
import { ConfigError, type ConfigIssue } from "../config-error.js";
import type { FilterPlanner, PlanningContext } from "../filter-planner.js";
import type { IstioResource, MeshConfig, SelectorSpec, Workload } from "../mesh-config.js";
import { labelsMatch } from "../policy-scope.js";
import { resourceIssue } from "../resource-issue.js";
import type { FilterPlan } from "../workload-plan.js";
import { ISTIO_STANDARD_DIMENSIONS } from "../../telemetry/istio-dimensions.js";

/**
 * Istio's metric enum names and the stats filter's names for them (istio/istio pilot/pkg/model/telemetry.go
 * `metricToPrometheusMetric`): the filter adds the `istio_` prefix itself.
 */
export const ISTIO_METRIC_NAMES = {
  REQUEST_COUNT: "requests_total",
  REQUEST_DURATION: "request_duration_milliseconds",
  REQUEST_SIZE: "request_bytes",
  RESPONSE_SIZE: "response_bytes",
  TCP_OPENED_CONNECTIONS: "tcp_connections_opened_total",
  TCP_CLOSED_CONNECTIONS: "tcp_connections_closed_total",
  TCP_SENT_BYTES: "tcp_sent_bytes_total",
  TCP_RECEIVED_BYTES: "tcp_received_bytes_total",
  GRPC_REQUEST_MESSAGES: "request_messages_total",
  GRPC_RESPONSE_MESSAGES: "response_messages_total",
} as const;

export type IstioMetric = keyof typeof ISTIO_METRIC_NAMES;

/** `ALL_METRICS` expands to every metric, in Istio's (sorted) order. */
const ALL_METRICS = (Object.keys(ISTIO_METRIC_NAMES) as IstioMetric[]).sort();

/** The metrics Prometheus is told about: Istio's default provider name (meshConfig.defaultProviders.metrics). */
export const PROMETHEUS_PROVIDER = "prometheus";

/**
 * Telemetry annotation declaring custom metrics, the WasmPlugin-free way to fill the stats filter's
 * `definitions`: a YAML or JSON list of `{name, value, type}` (istio/proxy stats config.proto
 * `MetricDefinition`; `value` is an expression the stats filter evaluates, `type` COUNTER (default),
 * GAUGE or HISTOGRAM). It is read from every Telemetry that applies to a workload.
 */
export const METRIC_DEFINITIONS_ANNOTATION = "stats.wasmixer.io/definitions";

/** Pod annotation Istio reads for extra `stats_tags` rules (istio/istio pkg/bootstrap/config.go `getStatsOptions`). */
export const EXTRA_STAT_TAGS_ANNOTATION = "sidecar.istio.io/extraStatTags";

/** One `metrics[]` entry of the stats PluginConfig (istio/proxy stats config.proto `MetricConfig`). */
export interface StatsMetricConfig {
  name: string;
  dimensions?: Record<string, string>;
  tags_to_remove?: string[];
  drop?: boolean;
}

/** One `definitions[]` entry (`MetricDefinition`). */
export interface StatsMetricDefinition {
  name: string;
  value: string;
  type: "COUNTER" | "GAUGE" | "HISTOGRAM";
}

/** The stats filter's PluginConfig as proto3 JSON with proto field names (Istio marshals it so). */
export interface StatsPluginConfig {
  /** Istio sets it for inbound listeners (telemetry.go `disableHostHeaderFallback`). */
  disable_host_header_fallback?: boolean;
  metrics?: StatsMetricConfig[];
  definitions?: StatsMetricDefinition[];
}

type Mode = "CLIENT" | "SERVER";
interface TagOverride {
  operation?: string;
  value?: string;
}
interface MetricsOverride {
  match?: { metric?: string; customMetric?: string; mode?: string };
  disabled?: boolean | null;
  tagOverrides?: Record<string, TagOverride>;
}
interface MetricsEntry {
  providers?: { name?: string }[];
  overrides?: MetricsOverride[];
}
interface TelemetrySpec extends SelectorSpec {
  metrics?: MetricsEntry[];
}
type Telemetry = IstioResource<TelemetrySpec>;

const NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The Telemetry resources for a workload, lowest precedence first, as Istio picks them
 * (pilot/pkg/model/telemetry.go `applicableTelemetries`): the first selector-less one of the root
 * namespace, the first selector-less one of the workload's namespace, the first one of the workload's
 * namespace whose selector matches it. Later ones override earlier ones.
 */
export function applicableTelemetries(mesh: MeshConfig, workload: Pick<Workload, "namespace" | "labels">): Telemetry[] {
  const telemetries = mesh.telemetries as Telemetry[];
  const selectorOf = (t: Telemetry): Record<string, string> => t.spec.selector?.matchLabels ?? {};
  const namespaceWide = (namespace: string): Telemetry | undefined =>
    telemetries.find((t) => t.namespace === namespace && Object.keys(selectorOf(t)).length === 0);
  const out: Telemetry[] = [];
  const root = namespaceWide(mesh.rootNamespace);
  if (root) out.push(root);
  if (workload.namespace !== mesh.rootNamespace) {
    const namespace = namespaceWide(workload.namespace);
    if (namespace) out.push(namespace);
  }
  const selected = telemetries.find(
    (t) => t.namespace === workload.namespace && Object.keys(selectorOf(t)).length > 0 && labelsMatch(selectorOf(t), workload.labels),
  );
  if (selected) out.push(selected);
  return out;
}

interface MergedOverride {
  disabled?: boolean;
  tags: Map<string, TagOverride>;
}

/** What the applicable Telemetries say about the Prometheus metrics of one workload. */
export interface MergedStats {
  /** False when no Telemetry configures Prometheus metrics for the workload (or ALL_METRICS is disabled). */
  enabled: boolean;
  client: StatsMetricConfig[];
  server: StatsMetricConfig[];
  definitions: StatsMetricDefinition[];
  /** Tags the configs add beyond Istio's standard dimensions (they need stats_tags rules). */
  customTags: string[];
  sources: string[];
}

function validateOverride(telemetry: Telemetry, path: (string | number)[], override: MetricsOverride, issues: ConfigIssue[]): void {
  const match = override.match ?? {};
  if (match.metric !== undefined && match.customMetric !== undefined) {
    issues.push(resourceIssue(telemetry, [...path, "match"], "set either metric or customMetric, not both"));
  }
  if (match.metric !== undefined && match.metric !== "ALL_METRICS" && !(match.metric in ISTIO_METRIC_NAMES)) {
    issues.push(resourceIssue(telemetry, [...path, "match", "metric"], `unknown metric "${match.metric}"; one of ALL_METRICS, ${ALL_METRICS.join(", ")}`));
  }
  if (match.customMetric !== undefined && !NAME_PATTERN.test(match.customMetric)) {
    issues.push(resourceIssue(telemetry, [...path, "match", "customMetric"], `custom metric name "${match.customMetric}" must match ${NAME_PATTERN.source}`));
  }
  if (match.mode !== undefined && !["CLIENT", "SERVER", "CLIENT_AND_SERVER"].includes(match.mode)) {
    issues.push(resourceIssue(telemetry, [...path, "match", "mode"], `unknown mode "${match.mode}"; one of CLIENT, SERVER, CLIENT_AND_SERVER`));
  }
  for (const [tag, tagOverride] of Object.entries(override.tagOverrides ?? {})) {
    const tagPath = [...path, "tagOverrides", tag];
    if (!NAME_PATTERN.test(tag)) issues.push(resourceIssue(telemetry, tagPath, `tag name "${tag}" must match ${NAME_PATTERN.source}`));
    const operation = tagOverride?.operation ?? "UPSERT";
    if (operation !== "UPSERT" && operation !== "REMOVE") {
      issues.push(resourceIssue(telemetry, [...tagPath, "operation"], `unknown operation "${operation}"; one of UPSERT, REMOVE`));
    } else if (operation === "REMOVE" && tagOverride?.value !== undefined) {
      issues.push(resourceIssue(telemetry, [...tagPath, "value"], "a REMOVE tag override must not set a value"));
    } else if (operation === "UPSERT" && (typeof tagOverride?.value !== "string" || tagOverride.value.trim() === "")) {
      issues.push(resourceIssue(telemetry, [...tagPath, "value"], "an UPSERT tag override needs a value (an attribute expression)"));
    }
  }
}

function readDefinitions(telemetry: Telemetry, issues: ConfigIssue[]): StatsMetricDefinition[] {
  const metadata = (telemetry.source.value as { metadata?: { annotations?: Record<string, unknown> } }).metadata;
  const raw = metadata?.annotations?.[METRIC_DEFINITIONS_ANNOTATION];
  if (raw === undefined) return [];
  const path = ["metadata", "annotations", METRIC_DEFINITIONS_ANNOTATION];
  let parsed: unknown;
  try {
    parsed = typeof raw === "string" ? parseYaml(raw) : raw;
  } catch (error) {
    issues.push(resourceIssue(telemetry, path, `not valid YAML/JSON: ${(error as Error).message.split("\n")[0]}`));
    return [];
  }
  if (!Array.isArray(parsed)) {
    issues.push(resourceIssue(telemetry, path, "must be a list of {name, value, type}"));
    return [];
  }
  const standard = new Set<string>(Object.values(ISTIO_METRIC_NAMES));
  const out: StatsMetricDefinition[] = [];
  parsed.forEach((entry: unknown, index) => {
    const where = `definition ${index}`;
    const item = (entry ?? {}) as Record<string, unknown>;
    const unknown = Object.keys(item).filter((key) => !["name", "value", "type"].includes(key));
    const type = item.type ?? "COUNTER";
    const problems: string[] = [];
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) problems.push("must be a mapping");
    if (unknown.length > 0) problems.push(`unknown field(s) ${unknown.join(", ")}`);
    if (typeof item.name !== "string" || !NAME_PATTERN.test(item.name)) problems.push(`name must match ${NAME_PATTERN.source}`);
    else if (standard.has(item.name)) problems.push(`name "${item.name}" is a standard Istio metric; override it with metrics[].overrides instead`);
    if (typeof item.value !== "string" || item.value.trim() === "") problems.push("value (an attribute expression) is required");
    if (type !== "COUNTER" && type !== "GAUGE" && type !== "HISTOGRAM") problems.push(`type "${String(type)}" must be COUNTER, GAUGE or HISTOGRAM`);
    if (problems.length > 0) {
      issues.push(resourceIssue(telemetry, path, `${where}: ${problems.join("; ")}`));
      return;
    }
    out.push({ name: item.name as string, value: item.value as string, type: type as StatsMetricDefinition["type"] });
  });
  return out;
}

function toMetricConfigs(overrides: Map<string, MergedOverride>): StatsMetricConfig[] {
  return [...overrides.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([metric, override]) => {
      const config: StatsMetricConfig = { name: ISTIO_METRIC_NAMES[metric as IstioMetric] ?? metric };
      const tags = [...override.tags.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const dimensions = Object.fromEntries(tags.filter(([, t]) => (t.operation ?? "UPSERT") === "UPSERT").map(([tag, t]) => [tag, t.value as string]));
      const removed = tags.filter(([, t]) => t.operation === "REMOVE").map(([tag]) => tag);
      if (Object.keys(dimensions).length > 0) config.dimensions = dimensions;
      if (removed.length > 0) config.tags_to_remove = removed;
      if (override.disabled === true) config.drop = true;
      return config;
    });
}

/**
 * Merges the applicable Telemetries' `metrics` for the Prometheus provider, by Istio's rules
 * (telemetry.go `mergeMetrics`): entries apply in precedence order, an entry without `providers` inherits
 * its parent's, an override's `disabled` and `tagOverrides` (by tag) replace earlier ones per metric and
 * mode, `ALL_METRICS` with `disabled: true` turns the filter off until a later override turns anything on.
 * Throws a {@link ConfigError} for invalid overrides or definitions.
 */
export function mergeTelemetryMetrics(telemetries: readonly Telemetry[], warn: (issue: ConfigIssue) => void = () => {}): MergedStats {
  const issues: ConfigIssue[] = [];
  let providers = [PROMETHEUS_PROVIDER];
  for (const telemetry of telemetries) {
    for (const entry of telemetry.spec.metrics ?? []) {
      const names = (entry.providers ?? []).map((p) => p.name ?? "");
      if (names.length > 0) providers = names;
    }
  }
  const prometheusInScope = providers.includes(PROMETHEUS_PROVIDER);
  const modes: Record<Mode, Map<string, MergedOverride>> = { CLIENT: new Map(), SERVER: new Map() };
  let configured = false;
  let allDisabled = false;
  const definitions = new Map<string, StatsMetricDefinition>();
  const sources: string[] = [];

  let parentProviders = [PROMETHEUS_PROVIDER];
  for (const telemetry of telemetries) {
    let used = false;
    (telemetry.spec.metrics ?? []).forEach((entry, entryIndex) => {
      const own = (entry.providers ?? []).map((p) => p.name ?? "");
      const entryProviders = own.length > 0 ? own : parentProviders;
      parentProviders = entryProviders;
      (entry.overrides ?? []).forEach((override, overrideIndex) =>
        validateOverride(telemetry, ["spec", "metrics", entryIndex, "overrides", overrideIndex], override, issues),
      );
      if (!prometheusInScope || !entryProviders.includes(PROMETHEUS_PROVIDER)) return;
      configured = true;
      used = true;
      for (const override of entry.overrides ?? []) {
        const match = override.match ?? {};
        if (match.metric === "ALL_METRICS" && override.disabled === true) {
          allDisabled = true;
          continue;
        }
        allDisabled = false;
        const metrics = match.customMetric !== undefined ? [match.customMetric] : match.metric === undefined || match.metric === "ALL_METRICS" ? ALL_METRICS : [match.metric];
        const overrideModes: Mode[] = match.mode === "CLIENT" || match.mode === "SERVER" ? [match.mode] : ["CLIENT", "SERVER"];
        for (const mode of overrideModes) {
          for (const metric of metrics) {
            const merged: MergedOverride = modes[mode].get(metric) ?? { tags: new Map() };
            if (override.disabled !== undefined && override.disabled !== null) merged.disabled = override.disabled;
            for (const [tag, tagOverride] of Object.entries(override.tagOverrides ?? {})) merged.tags.set(tag, tagOverride ?? {});
            modes[mode].set(metric, merged);
          }
        }
      }
    });
    const declared = readDefinitions(telemetry, issues);
    for (const definition of declared) definitions.set(definition.name, definition);
    if (declared.length > 0) {
      configured = configured || prometheusInScope;
      used = true;
    }
    if (used) sources.push(`Telemetry ${telemetry.namespace}/${telemetry.name}`);
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const defined = new Set(definitions.keys());
  for (const telemetry of telemetries) {
    (telemetry.spec.metrics ?? []).forEach((entry, entryIndex) =>
      (entry.overrides ?? []).forEach((override, overrideIndex) => {
        const custom = override.match?.customMetric;
        if (custom !== undefined && !defined.has(custom)) {
          warn(resourceIssue(telemetry, ["spec", "metrics", entryIndex, "overrides", overrideIndex, "match", "customMetric"], `custom metric "${custom}" is not defined by any Telemetry applying here (annotation ${METRIC_DEFINITIONS_ANNOTATION}): the override has no effect`));
        }
      }),
    );
  }

  const client = toMetricConfigs(modes.CLIENT);
  const server = toMetricConfigs(modes.SERVER);
  const standard = new Set(ISTIO_STANDARD_DIMENSIONS);
  const customTags = [...new Set([...client, ...server].flatMap((m) => Object.keys(m.dimensions ?? {})))].filter((tag) => !standard.has(tag)).sort();
  return {
    enabled: configured && !allDisabled,
    client,
    server,
    definitions: [...definitions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    customTags,
    sources,
  };
}

/** The stats PluginConfig for one direction. */
export function statsPluginConfig(merged: MergedStats, mode: Mode): StatsPluginConfig {
  const metrics = mode === "CLIENT" ? merged.client : merged.server;
  return {
    ...(mode === "SERVER" ? { disable_host_header_fallback: true } : {}),
    ...(metrics.length > 0 ? { metrics } : {}),
    ...(merged.definitions.length > 0 ? { definitions: merged.definitions } : {}),
  };
}

/**
 * The pod annotations the workload needs so Envoy turns the filter's `<tag>=.=<value>;.;` names into
 * labels: Istio's bootstrap has no rule for any of them unless listed in `extraStatTags` (the default
 * list was dropped when Istio moved to its native stats filter). `wasmcustom.*` stats need no inclusion
 * prefix: Istio always keeps the `wasm` prefix (pkg/bootstrap/config.go
 * `requiredEnvoyStatsMatcherInclusionPrefixes`).
 */
export function statsPodAnnotations(merged: MergedStats): Record<string, string> {
  return { [EXTRA_STAT_TAGS_ANNOTATION]: [...ISTIO_STANDARD_DIMENSIONS, ...merged.customTags].join(",") };
}

/** The four forms of the stats filter: both directions, as HTTP filter and as network (TCP) filter. */
export const STATS_FILTER_FORMS = [
  { name: "stats-outbound", mode: "CLIENT", type: "HTTP" },
  { name: "stats-inbound", mode: "SERVER", type: "HTTP" },
  { name: "stats-tcp-outbound", mode: "CLIENT", type: "NETWORK" },
  { name: "stats-tcp-inbound", mode: "SERVER", type: "NETWORK" },
] as const;

type StatsForm = (typeof STATS_FILTER_FORMS)[number];

// Each form is its own planner (a planner plans one filter); they share one merge per workload.
const mergedByWorkload = new WeakMap<Workload, { mesh: MeshConfig; merged?: MergedStats; error?: unknown }>();

function mergedFor(mesh: MeshConfig, workload: Workload, warn: (issue: ConfigIssue) => void): { merged?: MergedStats; error?: unknown } {
  const cached = mergedByWorkload.get(workload);
  if (cached && cached.mesh === mesh) return cached;
  const entry: { mesh: MeshConfig; merged?: MergedStats; error?: unknown } = { mesh };
  try {
    entry.merged = mergeTelemetryMetrics(applicableTelemetries(mesh, workload), warn);
  } catch (error) {
    entry.error = error;
  }
  mergedByWorkload.set(workload, entry);
  return entry;
}

// A Telemetry applies to many workloads; each of its problems is reported once per mesh.
const reportedByMesh = new WeakMap<MeshConfig, Set<string>>();

function throwUnreported(mesh: MeshConfig, error: unknown): void {
  if (!(error instanceof ConfigError)) throw error;
  const reported = reportedByMesh.get(mesh) ?? new Set<string>();
  reportedByMesh.set(mesh, reported);
  const fresh = error.issues.filter((issue) => !reported.has(JSON.stringify(issue)));
  for (const issue of fresh) reported.add(JSON.stringify(issue));
  if (fresh.length > 0) throw new ConfigError(fresh);
}

function planForm(form: StatsForm, { mesh, workload, warn }: PlanningContext): FilterPlan | undefined {
  const { merged, error } = mergedFor(mesh, workload, warn);
  if (error !== undefined) {
    throwUnreported(mesh, error);
    return undefined;
  }
  if (!merged?.enabled) return undefined;
  return {
    name: form.name,
    module: "stats",
    phase: "STATS",
    priority: 0,
    mode: form.mode,
    type: form.type,
    // Losing a metric must never cost a request.
    failStrategy: "FAIL_OPEN",
    config: statsPluginConfig(merged, form.mode) as Record<string, unknown>,
    podAnnotations: statsPodAnnotations(merged),
    sources: merged.sources,
  };
}

/**
 * Plans Istio's metrics from Telemetry resources (telemetry.istio.io): the `stats` module in both
 * directions (CLIENT = outbound listeners, where the filter reports as "source"; SERVER = inbound,
 * "destination"), as an HTTP filter and as a network filter for TCP traffic. A workload no Telemetry
 * configures Prometheus metrics for gets no stats filter. See examples/bookinfo/README.md.
 */
export const statsPlanners: readonly FilterPlanner[] = STATS_FILTER_FORMS.map((form) => ({
  name: form.name,
  plan: (context: PlanningContext) => planForm(form, context),
}));
