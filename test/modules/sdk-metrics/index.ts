// Tagged counters, gauges and histograms. Each request counts itself by
// method and path kind, tracks active streams in a gauge and records its body
// size; the response reports what the host returns for the counter.
export * from "../../../assembly/sdk/exports";
import { Action, Counter, Gauge, Histogram, HttpContext, RootContext, Status, registerRootContext } from "../../../assembly/sdk";

const requests = new Counter("sdk_requests_total", ["method", "kind"]);
const untagged = new Counter("sdk_plain_total");
const active = new Gauge("sdk_active_streams", ["kind"]);
const bodySizes = new Histogram("sdk_body_bytes", ["method"]);

class Root extends RootContext {
  createHttpContext(id: u32): HttpContext | null { return new Stream(id, this); }
}

class Stream extends HttpContext {
  method: string = "";
  kind: string = "";

  onRequestHeaders(count: u32, endOfStream: bool): Action {
    const method = this.requestHeaders.get(":method");
    const path = this.requestHeaders.get(":path");
    this.method = method === null ? "" : method;
    this.kind = path !== null && path.startsWith("/api") ? "api" : "web";
    requests.increment(1, [this.method, this.kind]);
    untagged.increment(2);
    active.add(1, [this.kind]);
    const delta = this.requestHeaders.get("x-delta");
    if (delta !== null) {
      const status = untagged.increment(<u64>I64.parseInt(delta));
      this.requestHeaders.add("x-increment-status", (<i32>status).toString());
    }
    return Action.Continue;
  }

  onRequestBody(size: u32, endOfStream: bool): Action {
    bodySizes.record(size, [this.method]);
    return Action.Continue;
  }

  onResponseHeaders(count: u32, endOfStream: bool): Action {
    this.responseHeaders.add("x-requests", requests.get([this.method, this.kind]).toString());
    this.responseHeaders.add("x-active", active.get([this.kind]).toString());
    this.responseHeaders.add("x-name", requests.fullName([this.method, this.kind]));
    return Action.Continue;
  }

  onDone(): bool {
    active.add(-1, [this.kind]);
    return true;
  }
}

registerRootContext((id: u32): RootContext => new Root(id));
