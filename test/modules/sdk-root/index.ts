// Root-context features: timers, shared data with CAS, shared queues,
// properties and filter state, foreign functions, several root ids and a TCP
// root. HTTP requests pick a scenario with `x-scenario` and get the outcome in
// a local reply body.
export * from "../../../assembly/sdk/exports";
import {
  Action, Counter, HttpContext, RootContext, SharedQueue, Status, TcpContext, clearRouteCache, connectionMtls,
  destinationPort, getCurrentTimeNanoseconds, getPropertyInt, getPropertyString, getSharedData, logInfo, nodeMetadata,
  pluginName, pluginRootId, requestHeader, requestHost, requestMethod, requestPath, requestScheme, responseCode,
  setPropertyString, setSharedDataText, sourceAddress, sourcePort, upstreamAddress, verifySignature, pluginVmId,
  connectionRequestedServerName, connectionUriSanPeerCertificate, destinationAddress, PeerType, registerRootContext,
} from "../../../assembly/sdk";

const ticks = new Counter("sdk_ticks_total");

function orNone(value: string | null): string {
  return value === null ? "<none>" : value;
}

function hexToBytes(hex: string): ArrayBuffer {
  const bytes = new ArrayBuffer(hex.length / 2);
  for (let i = 0; i < bytes.byteLength; i++) store<u8>(changetype<usize>(bytes) + i, <u8>I32.parseInt(hex.substr(i * 2, 2), 16));
  return bytes;
}

class MainRoot extends RootContext {
  queue: SharedQueue | null = null;

  onVmStart(size: u32): bool {
    logInfo("vm config: " + this.vmConfigurationText());
    return true;
  }

  onConfigure(size: u32): bool {
    const period = this.pluginConfigurationText();
    if (period.length > 0) this.setTickPeriod(<u32>I32.parseInt(period));
    this.queue = SharedQueue.register("sdk-queue");
    logInfo("main root configured, queue " + (this.queue === null ? "refused" : "registered"));
    return true;
  }

  onTick(): void {
    ticks.increment();
    logInfo("tick at " + (getCurrentTimeNanoseconds() / 1_000_000).toString() + "ms");
  }

  onQueueReady(queueId: u32): void {
    const queue = this.queue;
    if (queue === null || queue.id != queueId) return;
    let item = queue.dequeueText();
    while (item !== null) {
      logInfo("dequeued " + item);
      item = queue.dequeueText();
    }
  }

  createHttpContext(id: u32): HttpContext | null { return new Stream(id, this); }
}

class OtherRoot extends RootContext {
  onConfigure(size: u32): bool {
    logInfo("other root configured: " + this.pluginConfigurationText());
    return true;
  }
}

class TcpRoot extends RootContext {
  createTcpContext(id: u32): TcpContext | null { return new Connection(id, this); }
}

class Connection extends TcpContext {
  onNewConnection(): Action {
    logInfo("tcp new connection");
    return Action.Continue;
  }

  onDownstreamData(size: u32, endOfStream: bool): Action {
    this.downstreamData.prependText("[" + size.toString() + "]");
    return Action.Continue;
  }

  onUpstreamData(size: u32, endOfStream: bool): Action {
    this.upstreamData.appendText("!");
    return Action.Continue;
  }

  onDownstreamConnectionClose(peer: PeerType): void {
    logInfo("tcp downstream closed by " + (<i32>peer).toString());
  }
}

class Stream extends HttpContext {
  onRequestHeaders(count: u32, endOfStream: bool): Action {
    const scenario = this.requestHeaders.get("x-scenario");
    if (scenario === null) return Action.Continue;
    let reply = "";
    if (scenario == "shared-data") {
      const key = "sdk-key";
      const first = getSharedData(key);
      reply += "initial=" + orNone(first.text()) + " status=" + (<i32>first.status).toString() + "\n";
      reply += "set0=" + (<i32>setSharedDataText(key, "one")).toString() + "\n";
      const second = getSharedData(key);
      reply += "read=" + orNone(second.text()) + " cas=" + (second.cas != 0 ? "set" : "zero") + "\n";
      reply += "setWithCas=" + (<i32>setSharedDataText(key, "two", second.cas)).toString() + "\n";
      reply += "setStaleCas=" + (<i32>setSharedDataText(key, "three", second.cas)).toString() + "\n";
      const third = getSharedData(key);
      reply += "final=" + orNone(third.text()) + " casChanged=" + (third.cas != second.cas ? "yes" : "no");
    } else if (scenario == "enqueue") {
      const queue = SharedQueue.resolve(orNone(pluginVmId()), "sdk-queue");
      if (queue === null) reply = "unresolved";
      else reply = "enqueue=" + (<i32>queue.enqueueText(orNone(this.requestHeaders.get("x-item")))).toString();
      const missing = SharedQueue.resolve(orNone(pluginVmId()), "no-such-queue");
      reply += " missing=" + (missing === null ? "null" : "found");
    } else if (scenario == "properties") {
      reply += "path=" + orNone(requestPath()) + "\n";
      reply += "method=" + orNone(requestMethod()) + "\n";
      reply += "host=" + orNone(requestHost()) + "\n";
      reply += "scheme=" + orNone(requestScheme()) + "\n";
      reply += "header=" + orNone(requestHeader("x-scenario")) + "\n";
      reply += "source=" + orNone(sourceAddress()) + " port=" + sourcePort().toString() + "\n";
      reply += "destination=" + orNone(destinationAddress()) + " port=" + destinationPort().toString() + "\n";
      reply += "mtls=" + (connectionMtls() ? "true" : "false") + "\n";
      reply += "sni=" + orNone(connectionRequestedServerName()) + "\n";
      reply += "peer=" + orNone(connectionUriSanPeerCertificate()) + "\n";
      reply += "upstream=" + orNone(upstreamAddress()) + "\n";
      reply += "namespace=" + orNone(nodeMetadata("NAMESPACE")) + "\n";
      reply += "plugin=" + orNone(pluginName()) + " root=" + orNone(pluginRootId()) + "\n";
      reply += "custom=" + getPropertyInt(["custom", "number"], -7).toString() + "\n";
      reply += "missing=" + orNone(getPropertyString(["no", "such", "property"]));
    } else if (scenario == "set-property") {
      reply += "set=" + (<i32>setPropertyString(["sdk_state"], "v1")).toString();
      reply += " nested=" + (<i32>setPropertyString(["sdk", "nested"], "v2")).toString();
      reply += " read=" + orNone(getPropertyString(["sdk_state"]));
    } else if (scenario == "foreign") {
      reply += "clear=" + (<i32>clearRouteCache()).toString() + "\n";
      const signature = this.requestHeaders.get("x-signature");
      const key = this.requestHeaders.get("x-key");
      const pem = this.requestHeaders.get("x-key-pem");
      const text = String.UTF8.encode(orNone(this.requestHeaders.get("x-text")));
      const result = pem === null
        ? verifySignature("sha256", hexToBytes(orNone(key)), hexToBytes(orNone(signature)), text)
        : verifySignature("sha256", null, hexToBytes(orNone(signature)), text, pem.replaceAll("|", "\n"));
      reply += "verify status=" + (<i32>result.status).toString() + " valid=" + (result.valid ? "true" : "false") + " error=" + result.error;
    } else if (scenario == "response-code") {
      return Action.Continue;
    } else {
      reply = "unknown scenario";
    }
    this.sendLocalResponse(200, reply);
    return Action.Pause;
  }

  onResponseHeaders(count: u32, endOfStream: bool): Action {
    this.responseHeaders.add("x-response-code", responseCode().toString());
    return Action.Continue;
  }
}

registerRootContext((id: u32): RootContext => new MainRoot(id), "sdk-root");
registerRootContext((id: u32): RootContext => new OtherRoot(id), "other");
registerRootContext((id: u32): RootContext => new TcpRoot(id), "tcp");
