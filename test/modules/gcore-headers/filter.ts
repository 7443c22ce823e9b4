// An HTTP filter written with the third-party @gcoredev/proxy-wasm-sdk-as,
// unmodified, to show that the Node host runs modules our own SDK did not build.
// The file is not called index.ts on purpose: test/setup/global.ts compiles
// every test/modules/<name>/index.ts with our flags, and this SDK needs its own
// (see GCORE_SDK_COMPILE in test/third-party/gcore-sdk.test.ts).
//
// Behaviour the test asserts:
// - on configure: keeps the plugin configuration (the SDK reads it), defines the
//   counter "gcore_requests_total" and logs "gcore configured: <configuration>";
// - request headers: on path "/gcore/deny" sends a local 403 reply with body
//   "denied by gcore filter", details "gcore_denied" and header x-denied-by: gcore;
//   otherwise adds request header "x-gcore-config: <configuration>", removes
//   "x-remove-me", increments the counter and logs "gcore request <method> <path>";
// - response headers: adds "x-gcore-seen: <request path>" and replaces
//   "server" with "gcore".
export * from "@gcoredev/proxy-wasm-sdk-as/assembly/proxy";
import {
  Context,
  Counter,
  FilterHeadersStatusValues,
  log,
  LogLevelValues,
  makeHeaderPair,
  registerRootContext,
  RootContext,
  send_http_response,
  stream_context,
} from "@gcoredev/proxy-wasm-sdk-as/assembly";

class GcoreRoot extends RootContext {
  requests: Counter | null = null;

  onConfigure(configuration_size: u32): bool {
    const ok = super.onConfigure(configuration_size);
    this.requests = new Counter("gcore_requests_total");
    log(LogLevelValues.info, "gcore configured: " + this.getConfiguration());
    return ok;
  }

  createContext(context_id: u32): Context {
    return new GcoreHttp(context_id, this);
  }
}

class GcoreHttp extends Context {
  path: string = "";

  constructor(context_id: u32, root: GcoreRoot) {
    super(context_id, root);
  }

  onRequestHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    this.path = stream_context.headers.request.get(":path");
    if (this.path == "/gcore/deny") {
      send_http_response(403, "gcore_denied", String.UTF8.encode("denied by gcore filter"), [makeHeaderPair("x-denied-by", "gcore")]);
      return FilterHeadersStatusValues.StopIteration;
    }
    const root = this.root_context as GcoreRoot;
    stream_context.headers.request.add("x-gcore-config", root.getConfiguration());
    stream_context.headers.request.remove("x-remove-me");
    (root.requests as Counter).increment(1);
    log(LogLevelValues.info, "gcore request " + stream_context.headers.request.get(":method") + " " + this.path);
    return FilterHeadersStatusValues.Continue;
  }

  onResponseHeaders(headers: u32, end_of_stream: bool): FilterHeadersStatusValues {
    stream_context.headers.response.add("x-gcore-seen", this.path);
    stream_context.headers.response.replace("server", "gcore");
    return FilterHeadersStatusValues.Continue;
  }
}

registerRootContext((context_id: u32): RootContext => new GcoreRoot(context_id), "gcore_headers");
