// Routes HTTP requests the way an Istio VirtualService does, inside one Wasm
// filter: the outcome is a cluster name in a header that Envoy's route reads
// (`cluster_header`), plus header, path and authority changes, redirects,
// direct responses and injected faults. Configuration: docs/router-config.md.
export * from "../../sdk/exports";
import {
  Action, Header, HttpContext, RootContext, clearRouteCache, getCurrentTimeNanoseconds, logError, logInfo,
  registerRootContext, requestHeaders, responseHeaders,
} from "../../sdk";
import { sendLocalResponse, setEffectiveContext } from "../../sdk/hostcalls";
import { configError } from "../../sdk/config-error";
import { applyHeaderOperations, requestOperations, responseOperations } from "./header-operations";
import { Fault, HeaderOperations, MatchCondition, Route, RouterConfig } from "./model";
import { parseRouterConfig } from "./parse-config";
import { randomUnit } from "./random";
import { RequestView, authorityHost, authorityPort } from "./request-view";
import { findVirtualService, pickDestination, selectRoute } from "./route-table";

/** A request held back by a delay fault until `resumeAtNs` (host clock). */
class PausedStream {
  constructor(readonly stream: RouterStream, readonly resumeAtNs: u64) {}
}

class RouterRoot extends RootContext {
  config: RouterConfig | null = null;
  paused: PausedStream[] = [];
  tickRunning: bool = false;

  onConfigure(size: u32): bool {
    const bytes = this.pluginConfiguration();
    if (bytes === null || bytes.byteLength == 0) {
      logError("router: rejected configuration: it is empty (a JSON object is required)");
      return false;
    }
    const config = parseRouterConfig(bytes);
    if (config === null) {
      logError("router: rejected configuration: " + configError());
      return false;
    }
    this.config = config;
    logInfo("router: configured " + config.virtualServices.length.toString() + " virtual services");
    return true;
  }

  createHttpContext(id: u32): HttpContext | null {
    return new RouterStream(id, this);
  }

  /** Holds `stream` for `delayMs`; the timer runs only while some stream waits. */
  pause(stream: RouterStream, delayMs: i64): void {
    this.paused.push(new PausedStream(stream, getCurrentTimeNanoseconds() + <u64>delayMs * 1_000_000));
    if (!this.tickRunning) {
      // A tenth of the shortest delay (1-100 ms) keeps every resume within 10% of its delay.
      const config = this.config!;
      const period = <u32>min(max(config.shortestDelayMs / 10, 1), 100);
      this.setTickPeriod(period);
      this.tickRunning = true;
    }
  }

  onTick(): void {
    const now = getCurrentTimeNanoseconds();
    const waiting = new Array<PausedStream>();
    const due = new Array<RouterStream>();
    for (let i = 0; i < this.paused.length; i++) {
      const entry = this.paused[i];
      if (now >= entry.resumeAtNs) due.push(entry.stream);
      else waiting.push(entry);
    }
    this.paused = waiting;
    for (let i = 0; i < due.length; i++) due[i].resumeAfterDelay();
    if (this.paused.length == 0 && this.tickRunning) {
      this.setTickPeriod(0);
      this.tickRunning = false;
    }
  }

  /** The stream ended (e.g. the client went away) while it may still be waiting. */
  forget(stream: RouterStream): void {
    for (let i = 0; i < this.paused.length; i++) {
      if (this.paused[i].stream === stream) {
        this.paused.splice(i, 1);
        return;
      }
    }
  }
}

function percentHit(percent: f64): bool {
  return percent > 0 && randomUnit() * 100 < percent;
}

class RouterStream extends HttpContext {
  private destinationResponseOperations: HeaderOperations | null = null;
  private routeResponseOperations: HeaderOperations | null = null;
  /** The abort to send when the delay ends, or null to forward the request. */
  private abortAfterDelay: Fault | null = null;

  onRequestHeaders(headerCount: u32, endOfStream: bool): Action {
    const root = changetype<RouterRoot>(this.root);
    if (root.config === null) return Action.Continue;
    const config = root.config!;
    const request = new RequestView();
    const service = findVirtualService(config, authorityHost(request.authority));
    // Hosts no virtual service claims are not ours to route.
    if (service === null) return Action.Continue;
    const selection = selectRoute(service, request);
    if (selection === null) {
      this.sendLocalResponse(404, "", [], "route_not_found");
      return Action.Pause;
    }
    const route = selection.route;
    this.routeResponseOperations = responseOperations(route.headers);
    if (route.redirect !== null) return this.redirect(route, request);
    if (route.directResponse !== null) {
      const response = route.directResponse!;
      sendLocalResponse(response.status, "direct_response", response.body, [], -1);
      return Action.Pause;
    }
    let delayed = false;
    let aborted = false;
    const fault = route.fault;
    if (fault !== null) {
      delayed = fault.delayMs > 0 && percentHit(fault.delayPercent);
      aborted = fault.abortHttpStatus > 0 && percentHit(fault.abortPercent);
      if (aborted && !delayed) {
        this.abort(fault);
        return Action.Pause;
      }
    }
    this.forward(config, route, selection.condition, request);
    if (delayed) {
      // Envoy's fault filter delays first, then aborts when both apply.
      this.abortAfterDelay = aborted ? fault : null;
      root.pause(this, fault!.delayMs);
      return Action.Pause;
    }
    return Action.Continue;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): Action {
    // Envoy applies the weighted destination's headers before the route's.
    applyHeaderOperations(this.destinationResponseOperations, responseHeaders);
    applyHeaderOperations(this.routeResponseOperations, responseHeaders);
    return Action.Continue;
  }

  onDone(): bool {
    changetype<RouterRoot>(this.root).forget(this);
    return true;
  }

  resumeAfterDelay(): void {
    setEffectiveContext(this.id);
    const fault = this.abortAfterDelay;
    if (fault !== null) this.abort(fault);
    else this.continueRequest();
  }

  private forward(config: RouterConfig, route: Route, condition: MatchCondition | null, request: RequestView): void {
    const destination = pickDestination(route, request);
    applyHeaderOperations(requestOperations(destination.headers), requestHeaders);
    applyHeaderOperations(requestOperations(route.headers), requestHeaders);
    this.destinationResponseOperations = responseOperations(destination.headers);
    const rewriteUri = route.rewriteUri;
    if (rewriteUri !== null) {
      // Istio turns rewrite.uri into Envoy's prefix_rewrite: after a prefix match only the
      // matched prefix is replaced; otherwise the whole path (the query string stays).
      let rewritten: string;
      if (condition !== null && condition.uriIsPrefix) {
        rewritten = rewriteUri + request.fullPath.substring(condition.uri!.value.length);
      } else {
        rewritten = request.query.length > 0 ? rewriteUri + "?" + request.query : rewriteUri;
      }
      requestHeaders.replace(":path", rewritten);
    }
    if (route.rewriteAuthority.length > 0) requestHeaders.replace(":authority", route.rewriteAuthority);
    let port = destination.port;
    if (port == 0) port = authorityPort(request.authority);
    if (port == 0) port = 80;
    // Istio's cluster naming: outbound|<port>|<subset>|<host> (pilot/pkg/model/service.go BuildSubsetKey).
    requestHeaders.replace(config.clusterHeader, "outbound|" + port.toString() + "|" + destination.subset + "|" + destination.host);
    // ABI 0.2.1 header changes already clear Envoy's route cache; newer Envoy also offers
    // the foreign function (shared/envoy-wasm-behaviour.md section 3). NotFound is fine.
    clearRouteCache();
  }

  private redirect(route: Route, request: RequestView): Action {
    const redirect = route.redirect!;
    const scheme = redirect.scheme.length > 0 ? redirect.scheme : request.scheme;
    let authority = redirect.authority.length > 0 ? redirect.authority : request.authority;
    if (redirect.port > 0) {
      const hostEnd = authorityPort(authority) > 0 ? authority.lastIndexOf(":") : authority.length;
      authority = authority.substring(0, hostEnd) + ":" + redirect.port.toString();
    }
    const path = redirect.uri.length > 0 ? redirect.uri : request.fullPath;
    this.sendLocalResponse(redirect.code, "", [new Header("location", scheme + "://" + authority + path)], "redirect");
    return Action.Pause;
  }

  private abort(fault: Fault): void {
    this.sendLocalResponse(fault.abortHttpStatus, "fault filter abort", [], "fault_filter_abort", fault.abortGrpcStatus);
  }
}

registerRootContext((id: u32): RootContext => new RouterRoot(id));
