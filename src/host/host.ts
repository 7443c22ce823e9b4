/**
 * The host: what every plugin of one data plane shares (clock, clusters,
 * shared data, shared queues, metrics, log sink), and the bookkeeping that
 * makes callouts and queue notifications arrive only when no VM call is
 * running, as Envoy's dispatcher does.
 */
import { MetricType } from "./abi.js";
import { HostClock, type ClockMode } from "./clock.js";
import type { ClusterConfig } from "./http-call.js";
import type { LogEntry } from "./logs.js";
import { MetricRegistry, type HistogramSnapshot, type Metric } from "./metrics.js";
import { Plugin, type PluginOptions } from "./plugin.js";
import { SharedData } from "./shared-data.js";
import { SharedQueues } from "./shared-queues.js";

export interface ProxyHostOptions {
  /** Upstream clusters for proxy_http_call / proxy_grpc_*, by name. */
  clusters?: Record<string, ClusterConfig | { url: string }>;
  /** "manual" (default): time moves only with advanceTime(ms). */
  clock?: ClockMode;
  /** Wall-clock time at start, Unix ns (default: now). */
  startTimeNs?: bigint;
  /** Receives every log entry of every plugin. */
  logSink?: (entry: LogEntry) => void;
  /** Histogram bucket bounds per stat name (Envoy `histogram_bucket_settings`); default Envoy's defaults. */
  histogramBuckets?: (statName: string) => readonly number[];
}

export class ProxyHost {
  readonly clock: HostClock;
  readonly metrics: MetricRegistry;
  readonly sharedData = new SharedData();
  readonly sharedQueues = new SharedQueues();
  readonly plugins: Plugin[] = [];
  private readonly clusters = new Map<string, ClusterConfig>();
  private vmDepth = 0;
  private deferred: (() => void)[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly logSink: ((entry: LogEntry) => void) | undefined;

  constructor(options: ProxyHostOptions = {}) {
    this.clock = new HostClock(options.clock ?? "manual", options.startTimeNs);
    this.metrics = new MetricRegistry(options.histogramBuckets);
    this.logSink = options.logSink;
    for (const [name, config] of Object.entries(options.clusters ?? {})) this.clusters.set(name, config);
  }

  /** Loads and starts a plugin; throws PluginLoadError if Envoy would reject it. */
  async startPlugin(options: PluginOptions): Promise<Plugin> {
    const plugin = await Plugin.start(this, options);
    this.plugins.push(plugin);
    return plugin;
  }

  /** Adds or replaces an upstream cluster. */
  setCluster(name: string, config: ClusterConfig): void {
    this.clusters.set(name, config);
  }

  /** @internal */
  cluster(name: string): ClusterConfig | undefined {
    return this.clusters.get(name);
  }

  /** Manual clock: moves time forward, firing ticks, callout timeouts and reload backoffs that fall due. */
  advanceTime(ms: number): void {
    this.clock.advance(ms);
  }

  /** Waits until every asynchronous callout (handlers returning promises, real HTTP) has been delivered. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops every plugin (proxy_on_done / proxy_on_delete on the root contexts). */
  stop(): void {
    for (const plugin of this.plugins) plugin.stop();
  }

  // ------------------------------------------------------------ metrics, by tag-extracted or raw name

  getCounter(name: string, tags?: Record<string, string>): bigint | undefined {
    return this.metrics.find(MetricType.Counter, name, tags)?.value;
  }

  getGauge(name: string, tags?: Record<string, string>): bigint | undefined {
    return this.metrics.find(MetricType.Gauge, name, tags)?.value;
  }

  /** Recorded samples and cumulative buckets of a histogram. */
  getHistogram(name: string, tags?: Record<string, string>): (HistogramSnapshot & { samples: bigint[] }) | undefined {
    const metric = this.metrics.find(MetricType.Histogram, name, tags);
    return metric ? { ...this.metrics.histogramSnapshot(metric), samples: [...metric.samples] } : undefined;
  }

  /** Every metric with its extracted name and tags (for Prometheus rendering). */
  listMetrics(): Metric[] {
    return this.metrics.list();
  }

  // ------------------------------------------------------------ scheduling (internal)

  /** @internal */
  emitLog(entry: LogEntry): void {
    this.logSink?.(entry);
  }

  /** @internal */
  enterVm(): void {
    this.vmDepth++;
  }

  /** @internal */
  exitVm(): void {
    this.vmDepth--;
    if (this.vmDepth === 0) this.drain();
  }

  /** @internal runs `action` now if no VM call is active, else when the outermost one returns. */
  defer(action: () => void): void {
    this.deferred.push(action);
    if (this.vmDepth === 0) this.drain();
  }

  private draining = false;

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.deferred.length > 0) {
        const action = this.deferred.shift()!;
        action();
      }
    } finally {
      this.draining = false;
    }
  }

  /** @internal keeps track of an asynchronous callout so settle() can wait for it. */
  track(work: () => Promise<void>): void {
    const promise = work().finally(() => this.inFlight.delete(promise));
    this.inFlight.add(promise);
  }
}
