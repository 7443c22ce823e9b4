/**
 * A context per HTTP stream. Callbacks default to Continue; helpers act on the
 * current stream (the host's effective context, which the SDK sets before
 * every callback it dispatches).
 */
import { Action, StreamType, Status } from "./abi";
import { Context, ContextKind } from "./context";
import { RootContext } from "./root-context";
import { HeaderMap, requestHeaders, requestTrailers, responseHeaders, responseTrailers } from "./header-map";
import { HostBuffer, requestBody, responseBody } from "./host-buffer";
import { Header } from "./pairs";
import * as host from "./hostcalls";
import { utf8 } from "./memory";

export class HttpContext extends Context {
  constructor(id: u32, readonly root: RootContext) {
    super(id, ContextKind.Http);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): Action { return Action.Continue; }
  /** `bodySize` is the size of the body buffered so far (this chunk, or all of it after a Pause). */
  onRequestBody(bodySize: u32, endOfStream: bool): Action { return Action.Continue; }
  onRequestTrailers(trailerCount: u32): Action { return Action.Continue; }
  onResponseHeaders(headerCount: u32, endOfStream: bool): Action { return Action.Continue; }
  onResponseBody(bodySize: u32, endOfStream: bool): Action { return Action.Continue; }
  onResponseTrailers(trailerCount: u32): Action { return Action.Continue; }

  get requestHeaders(): HeaderMap { return requestHeaders; }
  get requestTrailers(): HeaderMap { return requestTrailers; }
  get responseHeaders(): HeaderMap { return responseHeaders; }
  get responseTrailers(): HeaderMap { return responseTrailers; }
  get requestBody(): HostBuffer { return requestBody; }
  get responseBody(): HostBuffer { return responseBody; }

  /** Resumes a request paused by returning Pause. */
  continueRequest(): Status { return host.continueStream(StreamType.HttpRequest); }

  /** Resumes a response paused by returning Pause. */
  continueResponse(): Status { return host.continueStream(StreamType.HttpResponse); }

  /** Resets the stream (Envoy resets the whole HTTP stream for either direction). */
  closeStream(): Status { return host.closeStream(StreamType.HttpRequest); }

  /**
   * Answers the request from the filter; the host stops the filter chain.
   * Envoy lowercases and appends `headers`, turns whitespace in `details` into
   * `_`, and uses `grpcStatus` (0-16; -1 = unset) only for gRPC requests.
   */
  sendLocalResponse(status: u32, body: string, headers: Header[] = [], details: string = "", grpcStatus: i32 = -1): Status {
    return host.sendLocalResponse(status, details, utf8(body), headers, grpcStatus);
  }
}
