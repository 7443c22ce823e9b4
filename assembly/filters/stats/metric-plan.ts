/**
 * What each metric records and under which tags, worked out once from the
 * configuration with Istio's override rules (istio_stats.cc
 * `MetricOverrides` and `Config::Config`): `drop` removes a standard
 * metric; `tags_to_remove` removes standard tags; a dimension named like a
 * standard tag replaces its value in place, any other dimension is appended
 * (dimensions sorted by name); custom metrics carry only dimensions.
 */
import { MetricType } from "../../sdk";
import { StatsConfig } from "./config";
import { LABEL_NAMES, Label, METRIC_NAMES, StandardMetric, isTcpMetric, labelIndex, metricIndex, metricType } from "./standard-metrics";
import { TaggedMetricName } from "./tagged-metric-name";

/** An appended tag: a configured expression under a name of its own. */
export class TagSource {
  constructor(readonly name: string, public expression: i32) {}
}

export class MetricPlan {
  dropped: bool = false;
  /** Standard labels replaced (expression index) or removed (REMOVED); parallel to Label. */
  readonly labelOverrides: StaticArray<i32> = keepEveryLabel();
  readonly additions: TagSource[] = [];
  // The tags, as parallel arrays rather than objects: every collection marks the plans.
  /** Tag names. */
  tagNames: string[] = [];
  /** The standard label each tag shows, or -1 for an expression. */
  tagLabels: StaticArray<i32> = new StaticArray<i32>(0);
  /** The expression each tag shows (when its label is -1). */
  tagExpressions: StaticArray<i32> = new StaticArray<i32>(0);
  readonly name: TaggedMetricName;

  /** `slot`: this plan's index into a label set's ids (label-set-cache.ts). */
  constructor(fullName: string, readonly type: MetricType, readonly valueExpression: i32, readonly slot: i32) {
    this.name = new TaggedMetricName(fullName);
  }

  /** Adds (or re-points) an appended tag. */
  add(name: string, expression: i32): void {
    const additions = this.additions;
    for (let i = 0, n = additions.length; i < n; i++) {
      if (unchecked(additions[i]).name == name) { unchecked(additions[i]).expression = expression; return; }
    }
    additions.push(new TagSource(name, expression));
  }

  /** Fixes the tag list: base labels with their overrides, then the additions. */
  finish(baseLabels: i32[]): void {
    let count = this.additions.length;
    for (let i = 0, n = baseLabels.length; i < n; i++) if (unchecked(this.labelOverrides[unchecked(baseLabels[i])]) != REMOVED) count++;
    const names = new Array<string>(count);
    const labels = new StaticArray<i32>(count);
    const expressions = new StaticArray<i32>(count);
    let at = 0;
    for (let i = 0, n = baseLabels.length; i < n; i++) {
      const label = unchecked(baseLabels[i]);
      const metricOverride = unchecked(this.labelOverrides[label]);
      if (metricOverride == REMOVED) continue;
      unchecked(names[at] = unchecked(LABEL_NAMES[label]));
      unchecked(labels[at] = metricOverride == KEEP ? label : -1);
      unchecked(expressions[at] = metricOverride == KEEP ? -1 : metricOverride);
      at++;
    }
    for (let i = 0, n = this.additions.length; i < n; i++) {
      const addition = unchecked(this.additions[i]);
      unchecked(names[at] = addition.name);
      unchecked(labels[at] = -1);
      unchecked(expressions[at] = addition.expression);
      at++;
    }
    this.tagNames = names;
    this.tagLabels = labels;
    this.tagExpressions = expressions;
  }
}

function keepEveryLabel(): StaticArray<i32> {
  const overrides = new StaticArray<i32>(<i32>Label.Count);
  for (let i = 0; i < <i32>Label.Count; i++) unchecked(overrides[i] = KEEP);
  return overrides;
}

const KEEP: i32 = -1;
const REMOVED: i32 = -2;

export class MetricPlans {
  /** Indexed by StandardMetric. */
  readonly standard: MetricPlan[] = [];
  readonly custom: MetricPlan[] = [];
  /** Whether any tag or custom metric needs the configured expressions. */
  usesExpressions: bool = false;

  /** Number of plans, standard and custom: every plan has a distinct slot below it. */
  get slotCount(): i32 { return this.standard.length + this.custom.length; }
}

function httpLabels(): i32[] {
  const labels = new Array<i32>();
  for (let i = 0; i < <i32>Label.Count; i++) labels.push(i);
  return labels;
}

function tcpLabels(): i32[] {
  const labels = new Array<i32>();
  for (let i = 0; i < <i32>Label.Count; i++) if (i != Label.ResponseCode && i != Label.GrpcResponseStatus) labels.push(i);
  return labels;
}

/** Builds every metric's plan; `warnings` collects entries Istio would log and skip. */
export function buildPlans(config: StatsConfig, warnings: string[]): MetricPlans {
  const plans = new MetricPlans();
  const prefix = config.statPrefix + "_";
  for (let i = 0; i < <i32>StandardMetric.Count; i++) {
    plans.standard.push(new MetricPlan(prefix + unchecked(METRIC_NAMES[i]), metricType(<StandardMetric>i), -1, i));
  }
  for (let i = 0, n = config.definitions.length; i < n; i++) {
    const definition = unchecked(config.definitions[i]);
    plans.custom.push(new MetricPlan(prefix + definition.name, definition.type, definition.valueExpression, <i32>StandardMetric.Count + i));
    plans.usesExpressions = true;
  }
  for (let o = 0, n = config.overrides.length; o < n; o++) {
    const metricOverride = unchecked(config.overrides[o]);
    const where = "metrics[" + o.toString() + "]";
    const standard = new Array<MetricPlan>();
    const custom = new Array<MetricPlan>();
    if (metricOverride.name.length == 0) {
      for (let i = 0; i < plans.standard.length; i++) standard.push(unchecked(plans.standard[i]));
      for (let i = 0; i < plans.custom.length; i++) custom.push(unchecked(plans.custom[i]));
    } else {
      const index = metricIndex(metricOverride.name);
      if (index >= 0) standard.push(unchecked(plans.standard[index]));
      for (let i = 0; i < config.definitions.length; i++) {
        if (unchecked(config.definitions[i]).name == metricOverride.name) custom.push(unchecked(plans.custom[i]));
      }
      if (standard.length == 0 && custom.length == 0) warnings.push(where + ": no metric named '" + metricOverride.name + "'");
    }
    if (metricOverride.drop) {
      if (metricOverride.name.length == 0) warnings.push(where + ": drop needs a metric name (as in Istio)");
      for (let i = 0; i < standard.length; i++) unchecked(standard[i]).dropped = true;
      continue;
    }
    for (let t = 0; t < metricOverride.tagsToRemove.length; t++) {
      const label = labelIndex(unchecked(metricOverride.tagsToRemove[t]));
      if (label < 0) { warnings.push(where + ": tag '" + metricOverride.tagsToRemove[t] + "' is not standard"); continue; }
      for (let i = 0; i < standard.length; i++) unchecked(unchecked(standard[i]).labelOverrides[label] = REMOVED);
    }
    for (let d = 0; d < metricOverride.dimensionNames.length; d++) {
      const name = unchecked(metricOverride.dimensionNames[d]);
      const expression = unchecked(metricOverride.dimensionExpressions[d]);
      const label = labelIndex(name);
      plans.usesExpressions = true;
      for (let i = 0; i < standard.length; i++) {
        const plan = unchecked(standard[i]);
        if (label >= 0) unchecked(plan.labelOverrides[label] = expression);
        else plan.add(name, expression);
      }
      for (let i = 0; i < custom.length; i++) unchecked(custom[i]).add(name, expression);
    }
  }
  const http = httpLabels();
  const tcp = tcpLabels();
  const none = new Array<i32>();
  for (let i = 0; i < plans.standard.length; i++) unchecked(plans.standard[i]).finish(isTcpMetric(<StandardMetric>i) ? tcp : http);
  for (let i = 0; i < plans.custom.length; i++) unchecked(plans.custom[i]).finish(none);
  shareTagNames(plans.standard);
  return plans;
}

/**
 * Lets plans with the same tag names share one array (the HTTP metrics have
 * one list, the TCP metrics another, unless overrides differ): collections
 * between callbacks mark every plan, and a shared array is marked once.
 */
function shareTagNames(plans: MetricPlan[]): void {
  for (let i = 1, n = plans.length; i < n; i++) {
    const plan = unchecked(plans[i]);
    for (let j = 0; j < i; j++) {
      const earlier = unchecked(plans[j]).tagNames;
      if (sameStrings(earlier, plan.tagNames)) { plan.tagNames = earlier; break; }
    }
  }
}

function sameStrings(a: string[], b: string[]): bool {
  if (a.length != b.length) return false;
  for (let i = 0, n = a.length; i < n; i++) if (unchecked(a[i]) != unchecked(b[i])) return false;
  return true;
}
