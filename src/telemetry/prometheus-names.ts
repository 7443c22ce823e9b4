/**
 * Prometheus metric naming as Envoy's admin handler does it (envoy source/server/admin/prometheus_stats.cc
 * `sanitizeName`, `PrometheusStatsFormatter::metricName`).
 */

/** The namespace Envoy's HTTP Wasm filter registers for module-defined metrics (filters/http/wasm/config.h). */
export const WASM_CUSTOM_NAMESPACE = "wasmcustom";

/** Replaces every character outside `[a-zA-Z0-9_]` with `_`. */
export function sanitizeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, "_");
}

/**
 * The Prometheus name of a tag-extracted stat name. A name in a registered custom namespace loses the
 * namespace and gets no prefix (and is dropped, `undefined`, when what is left starts with a digit, since
 * it would not be a valid Prometheus name); any other stat becomes `envoy_<sanitized name>`.
 */
export function prometheusMetricName(extractedName: string, customNamespaces: readonly string[] = [WASM_CUSTOM_NAMESPACE]): string | undefined {
  for (const namespace of customNamespaces) {
    const prefix = `${namespace}.`;
    if (!extractedName.startsWith(prefix)) continue;
    const sanitized = sanitizeName(extractedName.slice(prefix.length));
    if (sanitized === "" || /^[0-9]/.test(sanitized)) return undefined;
    return sanitized;
  }
  return `envoy_${sanitizeName(extractedName)}`;
}

/** A tag name as a Prometheus label name (Envoy sanitizes tag names the same way as metric names). */
export function prometheusLabelName(tagName: string): string | undefined {
  const sanitized = sanitizeName(tagName);
  return /^[a-zA-Z_]/.test(sanitized) ? sanitized : undefined;
}
