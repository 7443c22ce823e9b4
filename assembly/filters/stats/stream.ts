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
import { AttributePath } from "../../expr/cel/index";
import { requestProperty } from "../../expr/cel/envoy-properties";
import { releaseFromHost } from "../../sdk/host-handoff";
import { RETURN_POINTER, RETURN_SIZE } from "../../sdk/memory";
import { GrpcFrameCounter } from "./grpc-frames";
import { HeaderName, headerValue, requestHeader } from "./header-value";
import { RecentText } from "./recent-text";
import { LabelSet } from "./label-set-cache";
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

const CONTENT_TYPE = new HeaderName("content-type");
const AUTHORITY = new HeaderName(":authority");
const GRPC_STATUS = new HeaderName("grpc-status");
const PEER_METADATA = new HeaderName("x-envoy-peer-metadata");
const BAGGAGE = new HeaderName("baggage");

/** Marks an int attribute the host does not have (no attribute read here can hold it). */
const MISSING: i64 = i64.MIN_VALUE;

function orUnknown(value: string): string { return value.length > 0 ? value : UNKNOWN; }
function orLatest(value: string): string { return value.length > 0 ? value : "latest"; }

const GRPC_CONTENT_TYPE = "application/grpc";

/**
 * Envoy's `Grpc::Common::isGrpcRequestHeaders` on the request's content-type:
 * application/grpc, optionally +suffix or parameters. Checked in the host's
 * block, which is ASCII where it matters.
 */
function requestIsGrpc(): bool {
  if (!requestHeader(MapType.HttpRequestHeaders, CONTENT_TYPE)) return false;
  const pointer = load<usize>(RETURN_POINTER);
  if (pointer == 0) return false;
  const size = load<usize>(RETURN_SIZE);
  let grpc = size >= 16;
  for (let i = 0; grpc && i < 16; i++) grpc = <u32>load<u8>(pointer + i) == <u32>GRPC_CONTENT_TYPE.charCodeAt(i);
  if (grpc && size > 16) {
    const next = load<u8>(pointer + 16);
    grpc = next == 0x2B || next == 0x3B;
  }
  releaseFromHost(pointer);
  return grpc;
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
  private sawRequestHeaders: bool = false;

  constructor(id: u32, readonly stats: StatsRoot) {
    super(id, stats);
  }

  // ------------------------------------------------------------ HTTP

  onRequestHeaders(headerCount: u32, endOfStream: bool): Action {
    this.sawRequestHeaders = true;
    if (requestIsGrpc()) {
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
    const stats = this.stats;
    // A stream seen only at on_log (local reply upstream in the chain) had no on_request_headers; otherwise the
    // protocol stays what the request headers said, as Istio decides it in decodeHeaders.
    if (!this.sawRequestHeaders && requestIsGrpc()) this.isGrpc = true;
    const labels = this.labels(true, stats.scratchLabels);
    const plans = stats.plans;
    let expressionText: string[] | null = null;
    let expressionInt: u64[] | null = null;
    if (plans.usesExpressions) {
      expressionText = stats.scratchExpressionText;
      expressionInt = stats.scratchExpressionInt;
      stats.evaluateExpressions(expressionText, expressionInt);
    }
    const labelSet = stats.labelSets.find(labels, expressionText);
    const standard = plans.standard;
    this.record(unchecked(standard[StandardMetric.RequestsTotal]), labelSet, 1);
    this.record(unchecked(standard[StandardMetric.RequestDuration]), labelSet, this.durationMs());
    this.record(unchecked(standard[StandardMetric.RequestBytes]), labelSet, this.size(REQUEST_TOTAL_SIZE, this.requestBodyBytes));
    this.record(unchecked(standard[StandardMetric.ResponseBytes]), labelSet, this.size(RESPONSE_TOTAL_SIZE, this.responseBodyBytes));
    if (this.isGrpc) {
      const requestFrames = this.requestFrames;
      const responseFrames = this.responseFrames;
      this.record(unchecked(standard[StandardMetric.RequestMessages]), labelSet, requestFrames === null ? 0 : requestFrames.count);
      this.record(unchecked(standard[StandardMetric.ResponseMessages]), labelSet, responseFrames === null ? 0 : responseFrames.count);
    }
    this.recordCustom(labelSet, expressionInt);
  }

  private durationMs(): u64 {
    const source = this.stats.source;
    const duration = source.lookupInt(REQUEST_DURATION, MISSING);
    if (duration >= 0) return <u64>duration / 1_000_000;
    const start = source.lookupInt(REQUEST_TIME, MISSING);
    if (start == MISSING) return 0;
    const now = <i64>getCurrentTimeNanoseconds();
    return now > start ? <u64>(now - start) / 1_000_000 : 0;
  }

  /** `request/response.total_size` (headers and body, as Envoy counts them), else the body bytes seen. */
  private size(path: AttributePath, bodyBytes: u64): u64 {
    const total = this.stats.source.lookupInt(path, MISSING);
    return total >= 0 ? <u64>total : bodyBytes;
  }

  private grpcStatus(): string {
    // Envoy's Grpc::Common::getGrpcStatus order: trailers, headers (trailers-only replies), stream info.
    let status = headerValue(MapType.HttpResponseTrailers, GRPC_STATUS);
    if (status === null) status = headerValue(MapType.HttpResponseHeaders, GRPC_STATUS);
    if (status !== null) return status;
    const fromInfo = this.stats.source.lookupInt(RESPONSE_GRPC_STATUS, MISSING);
    return fromInfo != MISSING ? fromInfo.toString() : "";
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
      labels = this.labels(false, new Array<string>(<i32>Label.Count));
      this.tcpLabels = labels;
      if (plans.usesExpressions) {
        const text = new Array<string>(stats.config.expressions.length);
        const values = new Array<u64>(stats.config.expressions.length);
        stats.evaluateExpressions(text, values);
        this.tcpExpressionText = text;
        this.tcpExpressionInt = values;
      }
    }
    const labelSet = stats.labelSets.find(labels, this.tcpExpressionText);
    const standard = plans.standard;
    if (!this.tcpReported) {
      this.tcpReported = true;
      this.record(unchecked(standard[StandardMetric.TcpOpened]), labelSet, 1);
    }
    this.record(unchecked(standard[StandardMetric.TcpSent]), labelSet, this.sentBytes - this.reportedSent);
    this.record(unchecked(standard[StandardMetric.TcpReceived]), labelSet, this.receivedBytes - this.reportedReceived);
    this.reportedSent = this.sentBytes;
    this.reportedReceived = this.receivedBytes;
    if (end) {
      this.record(unchecked(standard[StandardMetric.TcpClosed]), labelSet, 1);
      this.recordCustom(labelSet, this.tcpExpressionInt);
    }
  }

  // ------------------------------------------------------------ labels and recording

  private peer(server: bool, http: bool): PeerInfo | null {
    if (http) {
      const map = server ? MapType.HttpRequestHeaders : MapType.HttpResponseHeaders;
      if (requestHeader(map, PEER_METADATA)) {
        const peer = this.stats.peers.takeMetadata();
        if (peer !== null) return peer;
      }
      if (requestHeader(map, BAGGAGE)) {
        const peer = this.stats.peers.takeBaggage();
        if (peer !== null) return peer;
      }
    }
    // The Struct's bytes as the host sent them (a text round trip would mangle non-UTF-8 bytes).
    const state = this.stats.source.lookupBytes(server ? DOWNSTREAM_PEER : UPSTREAM_PEER);
    return state === null ? null : peerFromStruct(state);
  }

  /** `path`'s text ("" when absent), through `recent`. */
  private text(path: AttributePath, recent: RecentText): string {
    return requestProperty(path) ? recent.take() : "";
  }

  /** Fills `values` with the 25 standard label values for this stream, by {@link Label}. */
  private labels(http: bool, values: string[]): string[] {
    const stats = this.stats;
    const node = stats.node;
    const texts = stats.texts;
    const reporter = stats.reporterFor();
    const server = reporter != Reporter.Client;
    unchecked(values[Label.Reporter] = reporter == Reporter.Server ? "destination" : reporter == Reporter.Gateway ? "waypoint" : "source");

    const peer = this.peer(server, http);
    const peerSan = this.text(server ? CONNECTION_PEER_SAN : UPSTREAM_PEER_SAN, texts.peerPrincipal);
    const localSan = this.text(server ? CONNECTION_LOCAL_SAN : UPSTREAM_LOCAL_SAN, texts.localPrincipal);
    let peerNamespace = texts.namespaceOf(peerSan);
    if (peerNamespace.length == 0 && peer !== null) peerNamespace = peer.namespace;

    let serviceHost = "";
    let serviceName = "";
    if (http && !stats.config.disableHostHeaderFallback && requestHeader(MapType.HttpRequestHeaders, AUTHORITY)) {
      texts.service(texts.authority.take());
      serviceHost = texts.serviceHost;
      serviceName = texts.serviceName;
    }
    const cluster = this.text(CLUSTER_NAME, texts.cluster);
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
    unchecked(values[Label.ResponseFlags] = responseFlagsText(stats.source.lookupInt(RESPONSE_FLAGS, 0)));
    if (http) {
      const code = stats.source.lookupInt(RESPONSE_CODE, MISSING);
      unchecked(values[Label.ResponseCode] = code != MISSING ? stats.codeText(code) : "0");
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

  private record(plan: MetricPlan, labelSet: LabelSet, value: u64): void {
    if (plan.dropped) return;
    const ids = labelSet.ids;
    let id = unchecked(ids[plan.slot]);
    if (id == 0) {
      id = metricId(plan, labelSet.labels, labelSet.expressions);
      unchecked(ids[plan.slot] = id);
    }
    // Counters add and gauges take the value (Envoy `recordMetric`); a zero delta still creates the series.
    if (id != 0) host.recordMetric(id, value);
  }

  private recordCustom(labelSet: LabelSet, expressionInt: u64[] | null): void {
    const custom = this.stats.plans.custom;
    for (let i = 0, n = custom.length; i < n; i++) {
      const plan = unchecked(custom[i]);
      this.record(plan, labelSet, unchecked(expressionInt![plan.valueExpression]));
    }
  }
}

/** The host's id of `plan`'s metric for these label values (0 when the host refused it); defines it on first use. */
function metricId(plan: MetricPlan, labels: string[], expressionText: string[] | null): u32 {
  const tagLabels = plan.tagLabels;
  const tagExpressions = plan.tagExpressions;
  const count = tagLabels.length;
  const tagValues = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const label = unchecked(tagLabels[i]);
    unchecked(tagValues[i] = label >= 0 ? unchecked(labels[label]) : unchecked(expressionText![unchecked(tagExpressions[i])]));
  }
  return plan.name.id(plan.type, plan.name.compose(plan.tagNames, tagValues));
}
