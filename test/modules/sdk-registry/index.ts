// Streams that remember their request's header count and report it with their
// id, so tests can tell whether each callback reached the context it was meant
// for (assembly/sdk/registry.ts), however contexts come and go.
export * from "../../../assembly/sdk/exports";
import { Action, HttpContext, RootContext, logInfo, registerRootContext } from "../../../assembly/sdk";

class Root extends RootContext {
  createHttpContext(id: u32): HttpContext | null { return new TaggedStream(id, this); }
}

class TaggedStream extends HttpContext {
  tag: u32 = 0;

  onRequestHeaders(headerCount: u32, endOfStream: bool): Action {
    this.tag = headerCount;
    return Action.Continue;
  }

  onResponseHeaders(headerCount: u32, endOfStream: bool): Action {
    this.responseHeaders.add("x-context", this.describe());
    return Action.Continue;
  }

  onLog(): void { logInfo("log " + this.describe()); }

  /** Logs one fresh string twice; a host can re-enter the module in between (gc-policy tests). */
  onDone(): bool {
    const line = "done " + this.describe();
    logInfo(line);
    logInfo(line);
    return true;
  }
  onDelete(): void { logInfo("delete " + this.describe()); }

  private describe(): string {
    return this.id.toString() + ":" + this.tag.toString();
  }
}

registerRootContext((id: u32): RootContext => new Root(id));
