/**
 * One HTTP stream or TCP connection seen by the stats filter. HTTP metrics
 * are recorded at on_log, which Envoy also calls for streams an earlier
 * filter answered with a local reply (the only callback such a stream gets,
 * shared/envoy-wasm-behaviour.md section 4). TCP metrics are reported at
 * every tick of the root context and once more at on_log (Envoy's TCP order:
 * done, log, delete).
 */
import { Action, BufferType, HttpContext, MapType, getCurrentTimeNanoseconds } from "../../sdk";
import * as host from "../../sdk/hostcalls";
import { AttributePath, CelKind } from "../../expr/cel/index";
import { GrpcFrameCounter } from "./grpc-frames";
import { Label, StandardMetric } from "./standard-metrics";
import { MetricPlan } from "./metric-plan";
import { PeerInfo, peerFromStruct } from "./peer-info";
import { responseFlagsText } from "./response-flags";
import { Reporter, StatsRoot } from "./root";

const UNKNOWN = "unknown";

const CONNECTION_PEER_SAN = new AttributePath(["connection", "uri_san_peer_certificate"]);
const CONNECTION_LOCAL_SAN = new AttributePath(["connection", "uri_san_local_certificate"]);
const UPSTREAM_PEER_SAN = new AttributePath(["upstream", "uri_san_peer_certificate"]);
const UPSTREAM_LOCAL_SAN = new AttributePath(["upstream", "uri_san_local_certificate"]);
const CLUSTER_NAME = new AttributePath(["xds", "cluster_name"]);
const RESPONSE_CODE = new AttributePath(["response", "code"]);
const RESPONSE_FLAGS = new AttributePath(["response", "flags"]);
const RESPONSE_GRPC_STATUS = new AttributePath(["response", "grpc_status"]);
const REQUEST_DURATION = new AttributePath(["request", "duration"]);
const REQUEST_TIME = new AttributePath(["request", "time"]);
const REQUEST_TOTAL_SIZE = new AttributePath(["request", "total_size"]);
const RESPONSE_TOTAL_SIZE = new AttributePath(["response", "total_size"]);
const DOWNSTREAM_PEER = new AttributePath(["filter_state", "downstream_peer"]);
const UPSTREAM_PEER = new AttributePath(["filter_state", "upstream_peer"]);

function orUnknown(value: string): string { return value.length > 0 ? value : UNKNOWN; }
function orLatest(value: string): string { return value.length > 0 ? value : "latest"; }

/** `<domain>/ns/<namespace>/sa/<account>` -> namespace (istio_stats.cc `getNamespace`); "" if none. */
function namespaceOfPrincipal(principal: string): string {
  const at = principal.indexOf("/ns/");
  if (at < 0) return "";
  const end = principal.indexOf("/", at + 4);
  return end < 0 ? principal.substring(at + 4) : principal.substring(at + 4, end);
}

/** The authority without its port. */
function hostOfAuthority(authority: string): string {
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    return close < 0 ? authority : authority.substring(0, close + 1);
  }
  const colon = authority.indexOf(":");
  return colon < 0 ? authority : authority.substring(0, colon);
}

/** Envoy's `Grpc::Common::isGrpcRequestHeaders`: application/grpc, optionally +suffix or parameters. */
function isGrpcContentType(value: string | null): bool {
  if (value === null || !value.startsWith("application/grpc")) return false;
  if (value.length == 16) return true;
  const next = value.charCodeAt(16);
  return next == 0x2B || next == 0x3B;
}

function passthroughCluster(name: string): bool {
  return name == "BlackHoleCluster" || name == "PassthroughCluster" || name == "InboundPassthroughCluster" ||
    name == "InboundPassthroughClusterIpv4" || name == "InboundPassthroughClusterIpv6";
}

export class StatsStream extends HttpContext {
  private isTcp: bool = false;
  private isGrpc: bool = false;
  private requestBodyBytes: u64 = 0;
  private responseBodyBytes: u64 = 0;
  private requestFrames: GrpcFrameCounter | null = null;
  private responseFrames: GrpcFrameCounter | null = null;
  // TCP state.
  private receivedBytes: u64 = 0;
  private sentBytes: u64 = 0;
  private reportedReceived: u64 = 0;
  private reportedSent: u64 = 0;
  private tcpLabels: string[] | null = null;
  private tcpExpressionText: string[] | null = null;
  private tcpExpressionInt: u64[] | null = null;
  private tcpReported: bool = false;

  constructor(id: u32, readonly stats: StatsRoot) {
    super(id, stats);
  }

  // ------------------------------------------------------------ HTTP

  onRequestHeaders(headerCount: u32, endOfStream: bool): Action {
    if (isGrpcContentType(this.requestHeaders.get("content-type"))) {
      this.isGrpc = true;
      this.requestFrames = new GrpcFrameCounter();
      this.responseFrames = new GrpcFrameCounter();
    }
    return Action.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): Action {
    this.requestBodyBytes += bodySize;
    const frames = this.requestFrames;
    if (frames !== null) frames.feed(BufferType.HttpRequestBody, bodySize);
    return Action.Continue;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): Action {
    this.responseBodyBytes += bodySize;
    const frames = this.responseFrames;
    if (frames !== null) frames.feed(BufferType.HttpResponseBody, bodySize);
    return Action.Continue;
  }

  onLog(): void {
    if (this.isTcp) {
      this.reportTcp(true);
      this.stats.forgetConnection(this);
      return;
    }
    this.reportHttp();
  }

  onDelete(): void {
    if (this.isTcp) this.stats.forgetConnection(this);
  }

  private reportHttp(): void {
    // A stream seen only at on_log (local reply upstream in the chain) had no on_request_headers.
    if (!this.isGrpc && isGrpcContentType(this.requestHeaders.get("content-type"))) this.isGrpc = true;
    const labels = this.labels(true);
    const stats = this.stats;
    const plans = stats.plans;
    let expressionText: string[] | null = null;
    let expressionInt: u64[] | null = null;
    if (plans.usesExpressions) {
      expressionText = new Array<string>(stats.config.expressions.length);
      expressionInt = new Array<u64>(stats.config.expressions.length);
      stats.evaluateExpressions(expressionText, expressionInt);
    }
    const standard = plans.standard;
    this.record(unchecked(standard[StandardMetric.RequestsTotal]), labels, expressionText, 1);
    this.record(unchecked(standard[StandardMetric.RequestDuration]), labels, expressionText, this.durationMs());
    this.record(unchecked(standard[StandardMetric.RequestBytes]), labels, expressionText, this.size(REQUEST_TOTAL_SIZE, this.requestBodyBytes));
    this.record(unchecked(standard[StandardMetric.ResponseBytes]), labels, expressionText, this.size(RESPONSE_TOTAL_SIZE, this.responseBodyBytes));
    if (this.isGrpc) {
      const requestFrames = this.requestFrames;
      const responseFrames = this.responseFrames;
      this.record(unchecked(standard[StandardMetric.RequestMessages]), labels, expressionText, requestFrames === null ? 0 : requestFrames.count);
      this.record(unchecked(standard[StandardMetric.ResponseMessages]), labels, expressionText, responseFrames === null ? 0 : responseFrames.count);
    }
    this.recordCustom(labels, expressionText, expressionInt);
  }

  private durationMs(): u64 {
    const source = this.stats.source;
    const duration = source.lookup(REQUEST_DURATION);
    if (duration !== null && duration.kind == CelKind.Int && duration.int >= 0) return <u64>duration.int / 1_000_000;
    const start = source.lookup(REQUEST_TIME);
    if (start === null || start.kind != CelKind.Int) return 0;
    const now = <i64>getCurrentTimeNanoseconds();
    return now > start.int ? <u64>(now - start.int) / 1_000_000 : 0;
  }

  /** `request/response.total_size` (headers and body, as Envoy counts them), else the body bytes seen. */
  private size(path: AttributePath, bodyBytes: u64): u64 {
    const total = this.stats.source.lookup(path);
    return total !== null && total.kind == CelKind.Int && total.int >= 0 ? <u64>total.int : bodyBytes;
  }

  private grpcStatus(): string {
    // Envoy's Grpc::Common::getGrpcStatus order: trailers, headers (trailers-only replies), stream info.
    let status = host.getHeaderMapValue(MapType.HttpResponseTrailers, "grpc-status");
    if (status === null) status = host.getHeaderMapValue(MapType.HttpResponseHeaders, "grpc-status");
    if (status !== null) return status;
    const fromInfo = this.stats.source.lookup(RESPONSE_GRPC_STATUS);
    return fromInfo !== null && fromInfo.kind == CelKind.Int ? fromInfo.int.toString() : "";
  }

  // ------------------------------------------------------------ TCP (entry points in tcp-callbacks.ts)

  /** proxy_on_new_connection: this context is a TCP connection. */
  tcpNewConnection(): void {
    this.isTcp = true;
    this.stats.trackConnection(this);
  }

  tcpDownstreamData(size: u32): void { this.receivedBytes += size; }

  tcpUpstreamData(size: u32): void { this.sentBytes += size; }

  /** Reports opened (once), the byte deltas, and at the end closed and the custom metrics. */
  reportTcp(end: bool): void {
    const stats = this.stats;
    const plans = stats.plans;
    let labels = this.tcpLabels;
    if (labels === null) {
      // Istio evaluates TCP labels and expressions once, before the first metric.
      labels = this.labels(false);
      this.tcpLabels = labels;
      if (plans.usesExpressions) {
        const text = new Array<string>(stats.config.expressions.length);
        const values = new Array<u64>(stats.config.expressions.length);
        stats.evaluateExpressions(text, values);
        this.tcpExpressionText = text;
        this.tcpExpressionInt = values;
      }
    }
    const expressionText = this.tcpExpressionText;
    const standard = plans.standard;
    if (!this.tcpReported) {
      this.tcpReported = true;
      this.record(unchecked(standard[StandardMetric.TcpOpened]), labels, expressionText, 1);
    }
    this.record(unchecked(standard[StandardMetric.TcpSent]), labels, expressionText, this.sentBytes - this.reportedSent);
    this.record(unchecked(standard[StandardMetric.TcpReceived]), labels, expressionText, this.receivedBytes - this.reportedReceived);
    this.reportedSent = this.sentBytes;
    this.reportedReceived = this.receivedBytes;
    if (end) {
      this.record(unchecked(standard[StandardMetric.TcpClosed]), labels, expressionText, 1);
      this.recordCustom(labels, expressionText, this.tcpExpressionInt);
    }
  }

  // ------------------------------------------------------------ labels and recording

  private peer(server: bool, http: bool): PeerInfo | null {
    if (http) {
      const map = server ? MapType.HttpRequestHeaders : MapType.HttpResponseHeaders;
      const metadata = host.getHeaderMapValue(map, "x-envoy-peer-metadata");
      if (metadata !== null) {
        const peer = this.stats.peers.get(metadata, 0);
        if (peer !== null) return peer;
      }
      const baggage = host.getHeaderMapValue(map, "baggage");
      if (baggage !== null) {
        const peer = this.stats.peers.get(baggage, 1);
        if (peer !== null) return peer;
      }
    }
    const state = this.stats.source.lookup(server ? DOWNSTREAM_PEER : UPSTREAM_PEER);
    if (state === null || state.kind != CelKind.String) return null;
    return peerFromStruct(String.UTF8.encode(state.text));
  }

  private text(path: AttributePath): string {
    const value = this.stats.source.lookup(path);
    return value !== null && value.kind == CelKind.String ? value.text : "";
  }

  /** The 25 standard label values for this stream, by {@link Label}. */
  private labels(http: bool): string[] {
    const stats = this.stats;
    const node = stats.node;
    const reporter = stats.reporterFor();
    const server = reporter != Reporter.Client;
    const values = new Array<string>(<i32>Label.Count);
    unchecked(values[Label.Reporter] = reporter == Reporter.Server ? "destination" : reporter == Reporter.Gateway ? "waypoint" : "source");

    const peer = this.peer(server, http);
    const peerSan = this.text(server ? CONNECTION_PEER_SAN : UPSTREAM_PEER_SAN);
    const localSan = this.text(server ? CONNECTION_LOCAL_SAN : UPSTREAM_LOCAL_SAN);
    let peerNamespace = namespaceOfPrincipal(peerSan);
    if (peerNamespace.length == 0 && peer !== null) peerNamespace = peer.namespace;

    let serviceHost = "";
    let serviceName = "";
    if (http && !stats.config.disableHostHeaderFallback) {
      const authority = host.getHeaderMapValue(MapType.HttpRequestHeaders, ":authority");
      if (authority !== null) {
        serviceHost = hostOfAuthority(authority);
        const dot = serviceHost.indexOf(".");
        serviceName = dot < 0 ? serviceHost : serviceHost.substring(0, dot);
      }
    }
    const cluster = this.text(CLUSTER_NAME);
    if (passthroughCluster(cluster)) serviceName = cluster;

    if (server) {
      unchecked(values[Label.SourceWorkload] = peer === null ? UNKNOWN : orUnknown(peer.workload));
      unchecked(values[Label.SourceWorkloadNamespace] = orUnknown(peerNamespace));
      unchecked(values[Label.SourcePrincipal] = orUnknown(peerSan));
      unchecked(values[Label.SourceApp] = peer === null ? UNKNOWN : orUnknown(peer.app));
      unchecked(values[Label.SourceVersion] = peer === null ? UNKNOWN : orUnknown(peer.version));
      unchecked(values[Label.SourceCanonicalService] = peer === null ? UNKNOWN : orUnknown(peer.canonicalService));
      unchecked(values[Label.SourceCanonicalRevision] = peer === null ? "latest" : orLatest(peer.canonicalRevision));
      unchecked(values[Label.SourceCluster] = peer === null ? UNKNOWN : orUnknown(peer.cluster));
      if (reporter == Reporter.Gateway) {
        // A gateway reports the endpoint it picked: the upstream peer.
        this.destinationFromPeer(values, this.peer(false, http), "", "");
      } else {
        unchecked(values[Label.DestinationWorkload] = node.workload);
        unchecked(values[Label.DestinationWorkloadNamespace] = node.namespace);
        unchecked(values[Label.DestinationPrincipal] = orUnknown(localSan));
        unchecked(values[Label.DestinationApp] = node.app);
        unchecked(values[Label.DestinationVersion] = node.version);
        unchecked(values[Label.DestinationCanonicalService] = node.canonicalService);
        unchecked(values[Label.DestinationCanonicalRevision] = node.canonicalRevision);
        unchecked(values[Label.DestinationCluster] = node.cluster);
      }
      const canonical = unchecked(values[Label.DestinationCanonicalService]);
      unchecked(values[Label.DestinationService] = serviceHost.length > 0 ? serviceHost : canonical);
      unchecked(values[Label.DestinationServiceName] = serviceName.length > 0 ? serviceName : canonical);
      unchecked(values[Label.DestinationServiceNamespace] = node.namespace);
      unchecked(values[Label.ConnectionSecurityPolicy] = peerSan.length > 0 && localSan.length > 0 ? "mutual_tls" : "none");
    } else {
      unchecked(values[Label.SourceWorkload] = node.workload);
      unchecked(values[Label.SourceWorkloadNamespace] = node.namespace);
      unchecked(values[Label.SourcePrincipal] = orUnknown(localSan));
      unchecked(values[Label.SourceApp] = node.app);
      unchecked(values[Label.SourceVersion] = node.version);
      unchecked(values[Label.SourceCanonicalService] = node.canonicalService);
      unchecked(values[Label.SourceCanonicalRevision] = node.canonicalRevision);
      unchecked(values[Label.SourceCluster] = node.cluster);
      this.destinationFromPeer(values, peer, peerNamespace, peerSan);
      unchecked(values[Label.DestinationService] = orUnknown(serviceHost));
      unchecked(values[Label.DestinationServiceName] = orUnknown(serviceName));
      unchecked(values[Label.DestinationServiceNamespace] = orUnknown(peerNamespace));
      unchecked(values[Label.ConnectionSecurityPolicy] = UNKNOWN);
    }

    unchecked(values[Label.RequestProtocol] = !http ? "tcp" : this.isGrpc ? "grpc" : "http");
    const flags = stats.source.lookup(RESPONSE_FLAGS);
    unchecked(values[Label.ResponseFlags] = flags !== null && flags.kind == CelKind.Int ? responseFlagsText(flags.int) : "-");
    if (http) {
      const code = stats.source.lookup(RESPONSE_CODE);
      unchecked(values[Label.ResponseCode] = code !== null && code.kind == CelKind.Int ? code.int.toString() : "0");
      unchecked(values[Label.GrpcResponseStatus] = this.isGrpc ? this.grpcStatus() : "");
    } else {
      unchecked(values[Label.ResponseCode] = "");
      unchecked(values[Label.GrpcResponseStatus] = "");
    }
    return values;
  }

  private destinationFromPeer(values: string[], peer: PeerInfo | null, peerNamespace: string, peerSan: string): void {
    let namespace = peerNamespace;
    if (namespace.length == 0 && peer !== null) namespace = peer.namespace;
    unchecked(values[Label.DestinationWorkload] = peer === null ? UNKNOWN : orUnknown(peer.workload));
    unchecked(values[Label.DestinationWorkloadNamespace] = orUnknown(namespace));
    unchecked(values[Label.DestinationPrincipal] = orUnknown(peerSan));
    unchecked(values[Label.DestinationApp] = peer === null ? UNKNOWN : orUnknown(peer.app));
    unchecked(values[Label.DestinationVersion] = peer === null ? UNKNOWN : orUnknown(peer.version));
    unchecked(values[Label.DestinationCanonicalService] = peer === null ? UNKNOWN : orUnknown(peer.canonicalService));
    unchecked(values[Label.DestinationCanonicalRevision] = peer === null ? "latest" : orLatest(peer.canonicalRevision));
    unchecked(values[Label.DestinationCluster] = peer === null ? UNKNOWN : orUnknown(peer.cluster));
  }

  private record(plan: MetricPlan, labels: string[], expressionText: string[] | null, value: u64): void {
    if (plan.dropped) return;
    const tags = plan.tags;
    const count = tags.length;
    const tagValues = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const tag = unchecked(tags[i]);
      unchecked(tagValues[i] = tag.label >= 0 ? unchecked(labels[tag.label]) : unchecked(expressionText![tag.expression]));
    }
    const name = plan.name.compose(plan.tagNames, tagValues);
    const id = plan.name.id(plan.type, name);
    // Counters add and gauges take the value (Envoy `recordMetric`); a zero delta still creates the series.
    if (id != 0) host.recordMetric(id, value);
  }

  private recordCustom(labels: string[], expressionText: string[] | null, expressionInt: u64[] | null): void {
    const custom = this.stats.plans.custom;
    for (let i = 0, n = custom.length; i < n; i++) {
      const plan = unchecked(custom[i]);
      this.record(plan, labels, expressionText, unchecked(expressionInt![plan.valueExpression]));
    }
  }
}
