/**
 * Counters, gauges and histograms with tags Envoy can extract.
 *
 * Envoy names a metric the module defines `wasmcustom.<name>` and applies
 * `stats_config.stats_tags` regexes to that full name (Envoy
 * source/extensions/common/wasm/context.cc `Context::defineMetric`). The
 * convention shared by Istio's bootstrap (`(<tag>=\.=(.*?);\.;)` per extra
 * stat tag, istio/istio tools/packaging/common/envoy_bootstrap.json) and the
 * C++ SDK (`MetricBase::prefixWithFields` in proxy_wasm_api.h) encodes each
 * tag as `<tag>=.=<value>;.;` in front of the base name. So
 * `new Counter("requests_total", ["method"]).increment(1, ["GET"])` defines
 * `method=.=GET;.;requests_total`; the host sees
 * `wasmcustom.method=.=GET;.;requests_total`, and with the matching
 * stats_tags regex Prometheus shows `requests_total{method="GET"}`.
 *
 * Tag values must not contain `;.;`. Each distinct full name is defined once
 * (lazily, on first use) and its metric id cached.
 */
import { MetricType } from "./abi";
import { Status } from "./abi";
import * as host from "./hostcalls";

const NO_TAGS: string[] = [];

class Metric {
  // Parallel arrays searched linearly: a metric has few tag-value combinations,
  // and a string-keyed map would add about 1.5 KB to every module.
  private readonly names: string[] = [];
  private readonly ids: u32[] = [];

  constructor(readonly type: MetricType, readonly name: string, readonly tagNames: string[]) {}

  /** The name given to the host for these tag values. */
  fullName(tagValues: string[]): string {
    let name = "";
    const count = this.tagNames.length;
    for (let i = 0; i < count; i++) {
      name += unchecked(this.tagNames[i]) + "=.=" + (i < tagValues.length ? unchecked(tagValues[i]) : "") + ";.;";
    }
    return name + this.name;
  }

  /** The host's metric id for these tag values, defining the metric on first use. */
  id(tagValues: string[]): u32 {
    const name = this.tagNames.length == 0 ? this.name : this.fullName(tagValues);
    const names = this.names;
    for (let i = 0, n = names.length; i < n; i++) {
      if (unchecked(names[i]) == name) return unchecked(this.ids[i]);
    }
    const id = host.defineMetric(this.type, name);
    if (host.lastHostStatus() == Status.Ok) {
      names.push(name);
      this.ids.push(id);
    }
    return id;
  }
}

/** A monotonically increasing count. */
export class Counter extends Metric {
  /** `tagNames` lists the tags; pass their values, in the same order, to each call. */
  constructor(name: string, tagNames: string[] = NO_TAGS) {
    super(MetricType.Counter, name, tagNames);
  }

  increment(delta: u64 = 1, tagValues: string[] = NO_TAGS): Status {
    return host.incrementMetric(this.id(tagValues), <i64>delta);
  }

  get(tagValues: string[] = NO_TAGS): u64 {
    return host.getMetric(this.id(tagValues));
  }
}

/** A value that goes up and down. */
export class Gauge extends Metric {
  constructor(name: string, tagNames: string[] = NO_TAGS) {
    super(MetricType.Gauge, name, tagNames);
  }

  set(value: u64, tagValues: string[] = NO_TAGS): Status {
    return host.recordMetric(this.id(tagValues), value);
  }

  add(delta: i64, tagValues: string[] = NO_TAGS): Status {
    return host.incrementMetric(this.id(tagValues), delta);
  }

  get(tagValues: string[] = NO_TAGS): u64 {
    return host.getMetric(this.id(tagValues));
  }
}

/** A distribution; Envoy buckets recorded values (unit unspecified). */
export class Histogram extends Metric {
  constructor(name: string, tagNames: string[] = NO_TAGS) {
    super(MetricType.Histogram, name, tagNames);
  }

  record(value: u64, tagValues: string[] = NO_TAGS): Status {
    return host.recordMetric(this.id(tagValues), value);
  }
}
