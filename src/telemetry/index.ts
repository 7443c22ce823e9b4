/**
 * Telemetry for the Node data plane: Envoy-compatible tag extraction, histogram bucket settings,
 * Prometheus exposition and an admin server serving it.
 */
export { TagExtractor, istioBootstrapStatsTags, translateEnvoyRegex, type TagSpecifier, type ExtractedName } from "./stats-tags.js";
export { prometheusMetricName, prometheusLabelName, sanitizeName, WASM_CUSTOM_NAMESPACE } from "./prometheus-names.js";
export { histogramBucketResolver, compileStringMatcher, type HistogramBucketSetting, type StringMatcher } from "./histogram-buckets.js";
export { PrometheusExposition, PROMETHEUS_CONTENT_TYPE, type PrometheusOptions } from "./prometheus-exposition.js";
export { renderPlainStats } from "./plain-stats.js";
export { startAdminServer, type AdminServer, type AdminServerOptions } from "./admin-server.js";
export { ISTIO_STANDARD_DIMENSIONS } from "./istio-dimensions.js";
