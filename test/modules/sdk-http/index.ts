// Exercises headers, bodies, trailers, local replies and log helpers. The
// request header `x-scenario` picks what the stream does.
export * from "../../../assembly/sdk/exports";
import {
  Action, Header, HttpContext, LogLevel, RootContext, isLogEnabled, logCritical, logDebug, logError, logInfo,
  logTrace, logWarn, registerRootContext,
} from "../../../assembly/sdk";

function describe(pairs: Header[]): string {
  const parts = new Array<string>();
  for (let i = 0; i < pairs.length; i++) parts.push(pairs[i].name + "=" + pairs[i].value);
  return parts.join(",");
}

class Root extends RootContext {
  createHttpContext(id: u32): HttpContext | null { return new Stream(id, this); }
}

class Stream extends HttpContext {
  scenario: string = "";

  onRequestHeaders(count: u32, endOfStream: bool): Action {
    const scenario = this.requestHeaders.get("x-scenario");
    this.scenario = scenario === null ? "" : scenario;
    const headers = this.requestHeaders;
    if (this.scenario == "headers") {
      headers.add("x-all", this.requestHeaders.getAll("X-Multi").join("|"));
      headers.add("x-count", count.toString());
      headers.add("x-missing", headers.get("x-absent") === null ? "null" : "present");
      headers.add("x-has", headers.has("x-remove-me") ? "yes" : "no");
      headers.replace("x-replaced", "new");
      headers.remove("x-remove-me");
      headers.add("x-multi", "three");
    } else if (this.scenario == "set-pairs") {
      const pairs = headers.pairs();
      const reversed = new Array<Header>();
      for (let i = pairs.length - 1; i >= 0; i--) reversed.push(pairs[i]);
      reversed.push(new Header("x-seen", describe(pairs)));
      headers.setPairs(reversed);
    } else if (this.scenario == "local-reply") {
      this.sendLocalResponse(403, "denied by sdk", [new Header("x-reason", "test"), new Header("x-reason", "second")], "sdk denied");
      return Action.Pause;
    } else if (this.scenario == "grpc-local-reply") {
      this.sendLocalResponse(401, "no token", [], "", 16);
      return Action.Pause;
    } else if (this.scenario == "log") {
      logTrace("trace message");
      logDebug("debug message");
      logInfo("info message");
      logWarn("warn message");
      logError("error message");
      logCritical("critical message");
      logInfo("enabled: debug=" + (isLogEnabled(LogLevel.Debug) ? "yes" : "no") + " warn=" + (isLogEnabled(LogLevel.Warn) ? "yes" : "no"));
    } else if (this.scenario == "abort") {
      throw new Error("boom");
    } else if (this.scenario == "close") {
      this.closeStream();
      return Action.Pause;
    }
    return Action.Continue;
  }

  onRequestBody(size: u32, endOfStream: bool): Action {
    const body = this.requestBody;
    if (this.scenario == "body-replace") {
      if (!endOfStream) return Action.Pause;
      body.replaceText("replaced(" + body.readText() + ")," + size.toString());
    } else if (this.scenario == "body-append") {
      body.appendText("-tail");
    } else if (this.scenario == "body-prepend") {
      body.prependText("head-");
    } else if (this.scenario == "body-read") {
      const slice = body.read(2, 3);
      logInfo("slice=" + (slice === null ? "null" : String.UTF8.decode(slice)) + " size=" + body.size().toString());
    }
    return Action.Continue;
  }

  onRequestTrailers(count: u32): Action {
    if (this.scenario == "trailers") {
      const value = this.requestTrailers.get("x-checksum");
      this.requestTrailers.add("x-seen-checksum", value === null ? "none" : value);
      this.requestTrailers.add("x-trailer-count", count.toString());
      this.requestTrailers.remove("x-drop");
    }
    return Action.Continue;
  }

  onResponseHeaders(count: u32, endOfStream: bool): Action {
    if (this.scenario == "headers") {
      const status = this.responseHeaders.get(":status");
      this.responseHeaders.add("x-upstream-status", status === null ? "none" : status);
      this.responseHeaders.replace("server", "wasmixer");
    }
    return Action.Continue;
  }

  onResponseBody(size: u32, endOfStream: bool): Action {
    if (this.scenario == "response-body") {
      if (!endOfStream) return Action.Pause;
      this.responseBody.replaceText(this.responseBody.readText().replaceAll("secret", "******"));
    }
    return Action.Continue;
  }

  onResponseTrailers(count: u32): Action {
    if (this.scenario == "trailers") {
      this.responseTrailers.replace("grpc-status", "0");
      this.responseTrailers.add("x-response-trailer-count", count.toString());
    }
    return Action.Continue;
  }
}

registerRootContext((id: u32): RootContext => new Root(id));
