/**
 * Istio's standard metrics and labels, names and order as in istio/proxy
 * source/extensions/filters/http/istio_stats/istio_stats.cc (`Context`:
 * `all_metrics_`, `all_tags_`) and istio.io docs/reference/config/metrics.
 */
import { MetricType } from "../../sdk";

/** Standard labels, in Istio's order. */
export const enum Label {
  Reporter, SourceWorkload, SourceWorkloadNamespace, SourcePrincipal, SourceApp, SourceVersion,
  SourceCanonicalService, SourceCanonicalRevision, SourceCluster, DestinationWorkload,
  DestinationWorkloadNamespace, DestinationPrincipal, DestinationApp, DestinationVersion, DestinationService,
  DestinationServiceName, DestinationServiceNamespace, DestinationCanonicalService,
  DestinationCanonicalRevision, DestinationCluster, RequestProtocol, ResponseFlags, ConnectionSecurityPolicy,
  ResponseCode, GrpcResponseStatus,
  Count,
}

export const LABEL_NAMES: string[] = [
  "reporter", "source_workload", "source_workload_namespace", "source_principal", "source_app", "source_version",
  "source_canonical_service", "source_canonical_revision", "source_cluster", "destination_workload",
  "destination_workload_namespace", "destination_principal", "destination_app", "destination_version",
  "destination_service", "destination_service_name", "destination_service_namespace",
  "destination_canonical_service", "destination_canonical_revision", "destination_cluster", "request_protocol",
  "response_flags", "connection_security_policy", "response_code", "grpc_response_status",
];

/** Index of a standard label name, or -1. */
export function labelIndex(name: string): i32 {
  for (let i = 0; i < <i32>Label.Count; i++) if (unchecked(LABEL_NAMES[i]) == name) return i;
  return -1;
}

export const enum StandardMetric {
  RequestsTotal, RequestDuration, RequestBytes, ResponseBytes, RequestMessages, ResponseMessages,
  TcpOpened, TcpClosed, TcpSent, TcpReceived,
  Count,
}

/** Names as the configuration's `metrics[].name` gives them (Istio adds the `istio_` prefix). */
export const METRIC_NAMES: string[] = [
  "requests_total", "request_duration_milliseconds", "request_bytes", "response_bytes",
  "request_messages_total", "response_messages_total", "tcp_connections_opened_total",
  "tcp_connections_closed_total", "tcp_sent_bytes_total", "tcp_received_bytes_total",
];

export function metricType(metric: StandardMetric): MetricType {
  return metric >= StandardMetric.RequestDuration && metric <= StandardMetric.ResponseBytes ? MetricType.Histogram : MetricType.Counter;
}

/** TCP metrics carry neither response_code nor grpc_response_status (istio_stats.cc `reportHelper`). */
export function isTcpMetric(metric: StandardMetric): bool {
  return metric >= StandardMetric.TcpOpened;
}

/** Index of a standard metric by its configuration name, with or without `istio_`; -1 if none. */
export function metricIndex(name: string): i32 {
  const short = name.startsWith("istio_") ? name.substring(6) : name;
  for (let i = 0; i < <i32>StandardMetric.Count; i++) if (unchecked(METRIC_NAMES[i]) == short) return i;
  return -1;
}
