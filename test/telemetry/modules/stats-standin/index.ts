// Stands in for build/stats.wasm in the Prometheus end-to-end test: records Istio's request count and
// duration under the same tagged names the stats filter uses, as the server-side (destination) reporter.
// The duration comes from the `x-test-duration-ms` request header so the test controls the histogram.
export * from "../../../../assembly/sdk/exports";
import { Action, Counter, Histogram, HttpContext, RootContext, registerRootContext } from "../../../../assembly/sdk";

const requests = new Counter("istio_requests_total", ["reporter", "response_code"]);
const durations = new Histogram("istio_request_duration_milliseconds", ["reporter"]);

class Root extends RootContext {
  createHttpContext(id: u32): HttpContext | null { return new Stream(id, this); }
}

class Stream extends HttpContext {
  durationMs: u64 = 0;
  onRequestHeaders(count: u32, endOfStream: bool): Action {
    const header = this.requestHeaders.get("x-test-duration-ms");
    this.durationMs = header === null ? 0 : U64.parseInt(header);
    return Action.Continue;
  }
  onResponseHeaders(count: u32, endOfStream: bool): Action {
    const status = this.responseHeaders.get(":status");
    requests.increment(1, ["destination", status === null ? "0" : status]);
    durations.record(this.durationMs, ["destination"]);
    return Action.Continue;
  }
}

registerRootContext((id: u32): RootContext => new Root(id));
