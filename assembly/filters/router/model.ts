import { Header } from "../../sdk";
import { StringMatcher } from "../../expr/string-match";

/** Istio HeaderOperations: applied as remove, then set, then add (the order Envoy applies them). */
export class HeaderOperations {
  overwrite: Header[] = [];
  append: Header[] = [];
  removals: string[] = [];
}

/** Istio Headers: operations on the request and on the response. */
export class HeadersPolicy {
  request: HeaderOperations | null = null;
  response: HeaderOperations | null = null;
}

/** A header or query parameter condition. */
export class NamedMatcher {
  constructor(readonly name: string, readonly matcher: StringMatcher) {}
}

/** Istio HTTPMatchRequest: every condition present must hold. */
export class MatchCondition {
  uri: StringMatcher | null = null;
  /** Whether `uri` is a prefix match, which `rewrite.uri` then replaces. */
  uriIsPrefix: bool = false;
  scheme: StringMatcher | null = null;
  method: StringMatcher | null = null;
  authority: StringMatcher | null = null;
  headers: NamedMatcher[] = [];
  withoutHeaders: NamedMatcher[] = [];
  queryParams: NamedMatcher[] = [];
  /** 0 = any port. */
  port: i32 = 0;
}

/** Istio HTTPRouteDestination with its destination. */
export class WeightedDestination {
  host: string = "";
  subset: string = "";
  /** 0 = not given. */
  port: i32 = 0;
  weight: i32 = 0;
  headers: HeadersPolicy | null = null;
}

/** Where DestinationRule consistentHash takes the value that keeps a client sticky. */
export class StickyKey {
  header: string = "";
  cookie: string = "";
  queryParameter: string = "";
}

export class Redirect {
  uri: string = "";
  authority: string = "";
  scheme: string = "";
  /** 0 = keep the request's port. */
  port: i32 = 0;
  code: i32 = 301;
}

export class DirectResponse {
  status: i32 = 200;
  body: ArrayBuffer = new ArrayBuffer(0);
}

export class Fault {
  /** Percent of requests delayed (0-100). */
  delayPercent: f64 = 0;
  delayMs: i64 = 0;
  /** Percent of requests aborted (0-100). */
  abortPercent: f64 = 0;
  abortHttpStatus: i32 = 0;
  /** gRPC status code for the abort, -1 when not given. */
  abortGrpcStatus: i32 = -1;
}

/** Istio HTTPRoute. */
export class Route {
  name: string = "";
  /** Empty = matches every request. */
  matches: MatchCondition[] = [];
  destinations: WeightedDestination[] = [];
  totalWeight: i32 = 0;
  sticky: StickyKey | null = null;
  redirect: Redirect | null = null;
  directResponse: DirectResponse | null = null;
  /** rewrite.uri; null when not rewriting. */
  rewriteUri: string | null = null;
  rewriteAuthority: string = "";
  headers: HeadersPolicy | null = null;
  fault: Fault | null = null;
}

export class VirtualService {
  name: string = "";
  hosts: string[] = [];
  routes: Route[] = [];
}

export class RouterConfig {
  clusterHeader: string = "x-wasmixer-cluster";
  virtualServices: VirtualService[] = [];
  /** Shortest fixedDelay of any fault (0 = none), to pick the timer period. */
  shortestDelayMs: i64 = 0;
}
