// The cheapest SDK-built HTTP filter: every stream gets a context whose
// callbacks all continue. Measures (and tests) the SDK's own per-stream cost.
export * from "../../../assembly/sdk/exports";
import { Action, HttpContext, RootContext, registerRootContext } from "../../../assembly/sdk";

class Root extends RootContext {
  createHttpContext(id: u32): HttpContext | null { return new Stream(id, this); }
}

class Stream extends HttpContext {
  onRequestHeaders(headerCount: u32, endOfStream: bool): Action { return Action.Continue; }
}

registerRootContext((id: u32): RootContext => new Root(id));
