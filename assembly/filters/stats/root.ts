/**
 * The stats plugin: configuration, the proxy's own node metadata, the metric
 * plans, the decoded-peer cache and the open TCP connections reported on
 * every tick.
 */
import { HttpContext, RootContext, getPropertyInt, logError, logInfo, logWarn } from "../../sdk";
import * as host from "../../sdk/hostcalls";
import { EnvoyPropertySource } from "../../expr/cel/envoy-properties";
import { ReporterKind, StatsConfig, parseStatsConfig } from "./config";
import { LabelSetCache } from "./label-set-cache";
import { LocalNode } from "./local-node";
import { MetricPlans, buildPlans } from "./metric-plan";
import { PeerCache } from "./peer-info";
import { StatsStream } from "./stream";
import { StreamTexts } from "./stream-texts";
import { Label } from "./standard-metrics";

/** Which side this proxy reports for. */
export const enum Reporter { Unresolved = 0, Client = 1, Server = 2, Gateway = 3 }

/** Envoy's TrafficDirection (`xds.listener_direction`). */
const INBOUND: i64 = 1;
const OUTBOUND: i64 = 2;

/** A dimension value expression that failed to evaluate reports as "unknown", as in Istio. */
const UNKNOWN = "unknown";

export class StatsRoot extends RootContext {
  config: StatsConfig = new StatsConfig();
  plans: MetricPlans = new MetricPlans();
  /** Metric ids by label set, for the current plans. */
  labelSets: LabelSetCache = new LabelSetCache(0);
  node: LocalNode = new LocalNode();
  readonly peers: PeerCache = new PeerCache();
  readonly source: EnvoyPropertySource = new EnvoyPropertySource(true);
  readonly texts: StreamTexts = new StreamTexts();
  /**
   * Where an HTTP stream puts its label values and expression results during
   * on_log (one stream reports at a time); the label-set cache copies what it keeps.
   */
  readonly scratchLabels: string[] = new Array<string>(<i32>Label.Count);
  scratchExpressionText: string[] = [];
  scratchExpressionInt: u64[] = [];
  private reporter: Reporter = Reporter.Unresolved;
  // The last response code and its text: most responses repeat the previous code.
  private lastCode: i64 = 200;
  private lastCodeText: string = "200";
  private readonly connections: StatsStream[] = [];

  onConfigure(pluginConfigurationSize: u32): bool {
    const result = parseStatsConfig(this.pluginConfigurationText());
    const config = result.config;
    if (config === null) {
      logError("stats: invalid configuration: " + result.error);
      return false;
    }
    const warnings = config.warnings;
    const plans = buildPlans(config, warnings);
    for (let i = 0, n = warnings.length; i < n; i++) logWarn("stats: " + unchecked(warnings[i]));
    this.config = config;
    this.plans = plans;
    this.labelSets = new LabelSetCache(plans.slotCount);
    this.scratchExpressionText = new Array<string>(config.expressions.length);
    this.scratchExpressionInt = new Array<u64>(config.expressions.length);
    this.node = LocalNode.read();
    this.reporter = config.reporter == ReporterKind.ServerGateway ? Reporter.Gateway : directionReporter();
    if (config.tcpReportingMs > 0) this.setTickPeriod(config.tcpReportingMs);
    logInfo("stats: configured " + plans.custom.length.toString() + " custom metric(s), " + config.expressions.length.toString() + " expression(s)");
    return true;
  }

  createHttpContext(contextId: u32): HttpContext | null {
    return new StatsStream(contextId, this);
  }

  /** The reporter; resolved per stream when the listener direction was unknown at configure time. */
  reporterFor(): Reporter {
    if (this.reporter != Reporter.Unresolved) return this.reporter;
    const resolved = directionReporter();
    // Istio's default when the direction is unspecified: a client sidecar.
    return resolved == Reporter.Unresolved ? Reporter.Client : resolved;
  }

  /** Evaluates every configured expression once for the current stream. */
  evaluateExpressions(text: string[], values: u64[]): void {
    const expressions = this.config.expressions;
    for (let i = 0, n = expressions.length; i < n; i++) {
      const printed = unchecked(expressions[i]).evaluate(this.source).print();
      unchecked(text[i] = printed === null ? UNKNOWN : printed);
      unchecked(values[i] = printed === null ? 0 : parseUnsigned(printed));
    }
  }

  /** `code` in decimal. */
  codeText(code: i64): string {
    if (code != this.lastCode) {
      this.lastCode = code;
      this.lastCodeText = code.toString();
    }
    return this.lastCodeText;
  }

  trackConnection(stream: StatsStream): void {
    this.connections.push(stream);
  }

  forgetConnection(stream: StatsStream): void {
    const index = this.connections.indexOf(stream);
    if (index >= 0) this.connections.splice(index, 1);
  }

  onTick(): void {
    const connections = this.connections;
    if (connections.length == 0) return;
    for (let i = 0, n = connections.length; i < n; i++) {
      const stream = unchecked(connections[i]);
      // Property reads must see the connection, not the root context.
      host.setEffectiveContext(stream.id);
      stream.reportTcp(false);
    }
    host.setEffectiveContext(this.id);
  }
}

function directionReporter(): Reporter {
  const direction = getPropertyInt(["xds", "listener_direction"], 0);
  if (direction == INBOUND) return Reporter.Server;
  if (direction == OUTBOUND) return Reporter.Client;
  return Reporter.Unresolved;
}

/** Istio reads a custom metric's value with absl::SimpleAtoi on the printed result; 0 when it is not a number. */
function parseUnsigned(text: string): u64 {
  const n = text.length;
  if (n == 0 || n > 20) return 0;
  let value: u64 = 0;
  for (let i = 0; i < n; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return 0;
    value = value * 10 + <u64>digit;
  }
  return value;
}
