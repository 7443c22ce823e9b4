/**
 * Envoy's `stats_config.histogram_bucket_settings` (envoy api config/metrics/v3/stats.proto
 * `HistogramBucketSettings`): the first setting whose matcher accepts a histogram's FULL stat name
 * (before tag extraction, `wasmcustom.` included) gives its buckets, sorted; no match keeps the defaults
 * (source/common/stats/histogram_impl.cc `HistogramSettingsImpl::buckets`).
 */
import { DEFAULT_HISTOGRAM_BUCKETS } from "../host/index.js";
import { translateEnvoyRegex } from "./stats-tags.js";

/** `envoy.type.matcher.v3.StringMatcher` in proto3 JSON form (one of the match fields). */
export interface StringMatcher {
  exact?: string;
  prefix?: string;
  suffix?: string;
  contains?: string;
  safe_regex?: { regex: string };
  ignore_case?: boolean;
}

/** `envoy.config.metrics.v3.HistogramBucketSettings`. */
export interface HistogramBucketSetting {
  match: StringMatcher;
  buckets: number[];
}

/** Compiles a StringMatcher; a regex must match the whole name (Envoy's safe_regex semantics). */
export function compileStringMatcher(matcher: StringMatcher): (value: string) => boolean {
  const kinds = (["exact", "prefix", "suffix", "contains", "safe_regex"] as const).filter((kind) => matcher[kind] !== undefined);
  if (kinds.length !== 1) throw new TypeError(`a string matcher needs exactly one of exact, prefix, suffix, contains, safe_regex; got ${kinds.join(", ") || "none"}`);
  const fold = matcher.ignore_case === true ? (s: string) => s.toLowerCase() : (s: string) => s;
  if (matcher.safe_regex !== undefined) {
    const regex = new RegExp(`^(?:${translateEnvoyRegex(matcher.safe_regex.regex)})$`);
    return (value) => regex.test(value);
  }
  if (matcher.exact !== undefined) { const want = fold(matcher.exact); return (value) => fold(value) === want; }
  if (matcher.prefix !== undefined) { const want = fold(matcher.prefix); return (value) => fold(value).startsWith(want); }
  if (matcher.suffix !== undefined) { const want = fold(matcher.suffix); return (value) => fold(value).endsWith(want); }
  const want = fold(matcher.contains as string);
  return (value) => fold(value).includes(want);
}

/**
 * A bucket resolver for `new ProxyHost({ histogramBuckets })`. Throws a TypeError for a setting Envoy
 * would reject (no buckets, a bound not above 0, duplicates).
 */
export function histogramBucketResolver(settings: readonly HistogramBucketSetting[]): (statName: string) => readonly number[] {
  const compiled = settings.map((setting, index) => {
    const buckets = [...setting.buckets].sort((a, b) => a - b);
    if (buckets.length === 0) throw new TypeError(`histogram_bucket_settings[${index}]: buckets must not be empty`);
    if (buckets.some((b) => !(b > 0) || !Number.isFinite(b))) throw new TypeError(`histogram_bucket_settings[${index}]: every bucket must be a finite number above 0`);
    if (new Set(buckets).size !== buckets.length) throw new TypeError(`histogram_bucket_settings[${index}]: buckets must be unique`);
    return { matches: compileStringMatcher(setting.match), buckets: Object.freeze(buckets) };
  });
  return (statName) => compiled.find((setting) => setting.matches(statName))?.buckets ?? DEFAULT_HISTOGRAM_BUCKETS;
}
