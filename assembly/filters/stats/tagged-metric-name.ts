/**
 * Metric names with their tags embedded the way Envoy's stats_tags and the
 * SDK's tagged metrics expect (`<tag>=.=<value>;.;` per tag, then the name;
 * see assembly/sdk/metrics.ts), and the host's id for each name.
 */
import { MetricType, Status } from "../../sdk";
import * as host from "../../sdk/hostcalls";

const SEPARATOR = "=.=";
const TERMINATOR = ";.;";

/** Ids of every metric name defined so far, shared by all metrics of the plugin. */
const ids = new Map<string, u32>();

export class TaggedMetricName {
  constructor(readonly baseName: string) {}

  /** `tagNames[i]=.=tagValues[i];.;`... followed by the base name, built in one allocation. */
  compose(tagNames: string[], tagValues: string[]): string {
    const count = tagNames.length;
    let length = this.baseName.length + count * (SEPARATOR.length + TERMINATOR.length);
    for (let i = 0; i < count; i++) length += unchecked(tagNames[i]).length + unchecked(tagValues[i]).length;
    const name = changetype<string>(__new(<usize>length << 1, idof<string>()));
    let at = changetype<usize>(name);
    for (let i = 0; i < count; i++) {
      at = append(at, unchecked(tagNames[i]));
      at = append(at, SEPARATOR);
      at = append(at, unchecked(tagValues[i]));
      at = append(at, TERMINATOR);
    }
    append(at, this.baseName);
    return name;
  }

  /** The host's id for `name` (a result of {@link compose}), defining the metric on first use; 0 on failure. */
  id(type: MetricType, name: string): u32 {
    if (ids.has(name)) return ids.get(name);
    const id = host.defineMetric(type, name);
    if (host.lastHostStatus() != Status.Ok) return 0;
    ids.set(name, id);
    return id;
  }
}

function append(at: usize, text: string): usize {
  const bytes = <usize>text.length << 1;
  memory.copy(at, changetype<usize>(text), bytes);
  return at + bytes;
}
