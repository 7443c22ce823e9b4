/**
 * Envoy's plain-text `/stats` listing: one `<full stat name>: <value>` line per stat, sorted by name;
 * a histogram shows its quantiles as `P<q>(<interval>,<cumulative>)` or `No recorded values`
 * (envoy source/server/admin/stats_render.cc `StatsTextRender`). This host does not flush histograms
 * into intervals, so both numbers are the cumulative quantile.
 */
import { MetricType, type Metric } from "../host/index.js";

const QUANTILES = [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100];

function quantile(sorted: readonly number[], percent: number): number {
  if (sorted.length === 1) return sorted[0];
  const rank = (percent / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

function histogramText(metric: Metric): string {
  if (metric.samples.length === 0) return "No recorded values";
  const sorted = metric.samples.map(Number).sort((a, b) => a - b);
  return QUANTILES.map((q) => {
    const value = quantile(sorted, q);
    return `P${q}(${value},${value})`;
  }).join(" ");
}

/** The plain listing of `metrics`. */
export function renderPlainStats(metrics: readonly Metric[]): string {
  const lines = metrics.map((metric) => `${metric.statName}: ${metric.type === MetricType.Histogram ? histogramText(metric) : metric.value.toString()}`);
  lines.sort();
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
