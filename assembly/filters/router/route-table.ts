import { MatchCondition, NamedMatcher, Route, RouterConfig, StickyKey, VirtualService, WeightedDestination } from "./model";
import { RequestView } from "./request-view";
import { randomUnit } from "./random";

/**
 * The virtual service for `host` (port stripped, lower case), choosing like
 * Envoy's virtual host lookup: an exact name first, then the longest
 * `*.suffix` wildcard, then `*`.
 */
export function findVirtualService(config: RouterConfig, host: string): VirtualService | null {
  let best: VirtualService | null = null;
  let bestLength = -1;
  const services = config.virtualServices;
  for (let s = 0; s < services.length; s++) {
    const hosts = services[s].hosts;
    for (let h = 0; h < hosts.length; h++) {
      const candidate = hosts[h];
      if (candidate == host) return services[s];
      let length = -1;
      if (candidate == "*") length = 0;
      else if (candidate.startsWith("*") && host.length > candidate.length - 1 && host.endsWith(candidate.substring(1))) length = candidate.length;
      if (length > bestLength) {
        best = services[s];
        bestLength = length;
      }
    }
  }
  return best;
}

function headersMatch(matchers: NamedMatcher[], request: RequestView): bool {
  for (let i = 0; i < matchers.length; i++) {
    if (!matchers[i].matcher.matchesOptional(request.header(matchers[i].name))) return false;
  }
  return true;
}

function conditionMatches(condition: MatchCondition, request: RequestView): bool {
  if (condition.port != 0 && condition.port != request.port) return false;
  if (condition.uri !== null && !condition.uri!.matches(request.path)) return false;
  if (condition.method !== null && !condition.method!.matches(request.method)) return false;
  if (condition.scheme !== null && !condition.scheme!.matches(request.scheme)) return false;
  if (condition.authority !== null && !condition.authority!.matches(request.authority)) return false;
  if (!headersMatch(condition.headers, request)) return false;
  // Istio: "If a header is matched with a matching rule among withoutHeader, the
  // traffic becomes not matched" (istio/api networking/v1alpha3/virtual_service.proto).
  const without = condition.withoutHeaders;
  for (let i = 0; i < without.length; i++) {
    if (without[i].matcher.matchesOptional(request.header(without[i].name))) return false;
  }
  const params = condition.queryParams;
  for (let i = 0; i < params.length; i++) {
    if (!params[i].matcher.matchesOptional(request.queryParameter(params[i].name))) return false;
  }
  return true;
}

/** The route that handles `request`: the first whose conditions match (OR across match blocks). */
export class RouteSelection {
  constructor(readonly route: Route, readonly condition: MatchCondition | null) {}
}

export function selectRoute(service: VirtualService, request: RequestView): RouteSelection | null {
  const routes = service.routes;
  for (let r = 0; r < routes.length; r++) {
    const route = routes[r];
    if (route.matches.length == 0) return new RouteSelection(route, null);
    for (let m = 0; m < route.matches.length; m++) {
      if (conditionMatches(route.matches[m], request)) return new RouteSelection(route, route.matches[m]);
    }
  }
  return null;
}

/** FNV-1a over the UTF-16 code units of `value`: stable across VMs and restarts. */
function stableHash(value: string): u32 {
  let hash: u32 = 0x811C9DC5;
  for (let i = 0; i < value.length; i++) {
    const unit = <u32>value.charCodeAt(i);
    hash = (hash ^ (unit & 0xFF)) * 0x01000193;
    hash = (hash ^ (unit >> 8)) * 0x01000193;
  }
  // Final avalanche so nearby values land in distant buckets.
  hash ^= hash >> 16;
  hash *= 0x85EBCA6B;
  hash ^= hash >> 13;
  return hash;
}

function stickyValue(key: StickyKey, request: RequestView): string | null {
  if (key.header.length > 0) return request.header(key.header);
  if (key.cookie.length > 0) return request.cookie(key.cookie);
  if (key.queryParameter.length > 0) return request.queryParameter(key.queryParameter);
  return null;
}

/**
 * Picks a destination in proportion to the weights. With a consistentHash in
 * the DestinationRule and the value present, the value's hash chooses the
 * point in the weight space, so a client keeps its destination.
 */
export function pickDestination(route: Route, request: RequestView): WeightedDestination {
  const destinations = route.destinations;
  if (destinations.length == 1) return destinations[0];
  let point: i64;
  const sticky = route.sticky;
  let value: string | null = null;
  if (sticky !== null) value = stickyValue(sticky, request);
  if (value !== null) point = <i64>(stableHash(value) % <u32>route.totalWeight);
  else point = <i64>Math.floor(randomUnit() * <f64>route.totalWeight);
  let cumulative: i64 = 0;
  for (let i = 0; i < destinations.length; i++) {
    cumulative += destinations[i].weight;
    if (point < cumulative) return destinations[i];
  }
  return destinations[destinations.length - 1];
}
