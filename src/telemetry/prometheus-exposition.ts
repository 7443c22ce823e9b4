/**
 * The host's metrics in Prometheus text format, as Envoy's `/stats/prometheus` renders them
 * (envoy source/server/admin/prometheus_stats.cc): tags extracted from the full stat name by the
 * `stats_tags` rules, the registered `wasmcustom` namespace stripped without the `envoy_` prefix, other
 * stats prefixed `envoy_`, histograms as cumulative `_bucket{le}`, `_sum` and `_count`.
 * Rendering goes through a fresh prom-client Registry per scrape, so the output is exactly the
 * exposition format Prometheus parses.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { MetricType, type Metric } from "../host/index.js";
import { ISTIO_STANDARD_DIMENSIONS } from "./istio-dimensions.js";
import { prometheusLabelName, prometheusMetricName, WASM_CUSTOM_NAMESPACE } from "./prometheus-names.js";
import { istioBootstrapStatsTags, TagExtractor, type TagSpecifier } from "./stats-tags.js";

/** How stat names become Prometheus series. */
export interface PrometheusOptions {
  /** `stats_config.stats_tags`; default Istio's bootstrap set with the standard Istio dimensions as extra stat tags. */
  statsTags?: readonly TagSpecifier[];
  /** Custom stat namespaces (stripped, no `envoy_` prefix); default `["wasmcustom"]`. */
  customNamespaces?: readonly string[];
}

/** The content type Prometheus expects for text exposition 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

interface Series {
  labels: Record<string, string>;
  metric: Metric;
}

interface Family {
  name: string;
  type: MetricType;
  labelNames: Set<string>;
  series: Series[];
  buckets: readonly number[];
}

/** Renders metric registries; compile once, render on every scrape. */
export class PrometheusExposition {
  private readonly extractor: TagExtractor;
  private readonly customNamespaces: readonly string[];

  constructor(options: PrometheusOptions = {}) {
    this.extractor = new TagExtractor(options.statsTags ?? istioBootstrapStatsTags(ISTIO_STANDARD_DIMENSIONS));
    this.customNamespaces = options.customNamespaces ?? [WASM_CUSTOM_NAMESPACE];
  }

  /**
   * Groups stats into metric families. A stat whose name maps to a family of another type is left out:
   * two TYPE lines for one name would make Prometheus reject the whole scrape.
   */
  private families(metrics: readonly Metric[]): Family[] {
    const byName = new Map<string, Family>();
    for (const metric of metrics) {
      const { name: extracted, tags } = this.extractor.extract(metric.statName);
      const name = prometheusMetricName(extracted, this.customNamespaces);
      if (name === undefined) continue;
      const labels: Record<string, string> = {};
      for (const [tag, value] of Object.entries(tags)) {
        const label = prometheusLabelName(tag);
        if (label !== undefined && !(metric.type === MetricType.Histogram && label === "le")) labels[label] = value;
      }
      let family = byName.get(name);
      if (!family) {
        family = { name, type: metric.type, labelNames: new Set(), series: [], buckets: metric.buckets };
        byName.set(name, family);
      }
      if (family.type !== metric.type) continue;
      for (const label of Object.keys(labels)) family.labelNames.add(label);
      family.series.push({ labels, metric });
    }
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The Prometheus text exposition of `metrics` (e.g. `host.listMetrics()`). */
  async render(metrics: readonly Metric[]): Promise<string> {
    const registry = new Registry();
    for (const family of this.families(metrics)) {
      const common = { name: family.name, help: family.name, labelNames: [...family.labelNames].sort(), registers: [registry] };
      if (family.type === MetricType.Counter) {
        const counter = new Counter(common);
        for (const { labels, metric } of family.series) counter.inc(labels, Number(metric.value));
      } else if (family.type === MetricType.Gauge) {
        const gauge = new Gauge(common);
        for (const { labels, metric } of family.series) gauge.inc(labels, Number(metric.value));
      } else {
        const histogram = new Histogram({ ...common, buckets: [...family.buckets] });
        for (const { labels, metric } of family.series) {
          histogram.zero(labels);
          for (const sample of metric.samples) histogram.observe(labels, Number(sample));
        }
      }
    }
    return registry.metrics();
  }
}
