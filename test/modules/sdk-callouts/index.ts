// HTTP and gRPC callouts answered on the stream that made them. The request
// header `x-scenario` picks the callout; the stream pauses until the handler
// resumes it or sends a local reply.
export * from "../../../assembly/sdk/exports";
import {
  Action, Context, GrpcHandler, GrpcStream, Header, HttpCallHandler, HttpCallResponse, HttpContext, RootContext, Status,
  registerRootContext,
} from "../../../assembly/sdk";

class Root extends RootContext {
  createHttpContext(id: u32): HttpContext | null { return new Stream(id, this); }
}

class AuthCheck extends HttpCallHandler {
  onHttpCallResponse(context: Context, response: HttpCallResponse): void {
    const stream = changetype<Stream>(context);
    if (response.failed) {
      stream.sendLocalResponse(503, "callout failed");
      return;
    }
    if (response.status != 200) {
      stream.sendLocalResponse(403, "denied " + response.status.toString() + ": " + response.bodyText());
      return;
    }
    const user = response.headers.get("x-user");
    stream.requestHeaders.add("x-user", user === null ? "?" : user);
    stream.requestHeaders.add("x-auth-body", response.bodyText());
    const trailer = response.trailers.get("x-trailer");
    if (trailer !== null) stream.requestHeaders.add("x-auth-trailer", trailer);
    stream.requestHeaders.add("x-handled-by", stream.id.toString());
    stream.continueRequest();
  }
}

class Lookup extends GrpcHandler {
  onGrpcMessage(context: Context, message: ArrayBuffer): void {
    const stream = changetype<Stream>(context);
    stream.requestHeaders.add("x-grpc-reply", String.UTF8.decode(message));
    stream.continueRequest();
  }

  onGrpcClose(context: Context, status: u32, message: string): void {
    changetype<Stream>(context).sendLocalResponse(503, "grpc " + status.toString() + " " + message);
  }
}

class Chat extends GrpcHandler {
  received: string[] = [];

  onGrpcInitialMetadata(context: Context, metadata: Header[]): void {
    for (let i = 0; i < metadata.length; i++) this.received.push("meta:" + metadata[i].name + "=" + metadata[i].value);
  }

  onGrpcMessage(context: Context, message: ArrayBuffer): void {
    this.received.push("msg:" + String.UTF8.decode(message));
  }

  onGrpcTrailingMetadata(context: Context, metadata: Header[]): void {
    for (let i = 0; i < metadata.length; i++) this.received.push("trailer:" + metadata[i].name + "=" + metadata[i].value);
  }

  onGrpcClose(context: Context, status: u32, message: string): void {
    const stream = changetype<Stream>(context);
    this.received.push("close:" + status.toString());
    stream.requestHeaders.add("x-chat", this.received.join(";"));
    stream.continueRequest();
  }
}

class Stream extends HttpContext {
  onRequestHeaders(count: u32, endOfStream: bool): Action {
    const scenario = this.requestHeaders.get("x-scenario");
    if (scenario == "http") {
      const status = this.httpCall("auth", [
        new Header(":method", "POST"), new Header(":path", "/check"), new Header(":authority", "auth.local"),
        new Header("x-stream", this.id.toString()),
      ], String.UTF8.encode("token=abc"), [], 500, new AuthCheck());
      if (status != Status.Ok) {
        this.sendLocalResponse(500, "httpCall status " + (<i32>status).toString());
      }
      return Action.Pause;
    }
    if (scenario == "http-bad") {
      // No :authority: Envoy refuses the call with BadArgument.
      const status = this.httpCall("auth", [new Header(":method", "GET"), new Header(":path", "/")], null, [], 500, new AuthCheck());
      this.requestHeaders.add("x-call-status", (<i32>status).toString());
      return Action.Continue;
    }
    if (scenario == "grpc") {
      const status = this.grpcCall("grpc-backend", "test.Lookup", "Find", [new Header("x-meta", "1")], String.UTF8.encode("ping"), 1000, new Lookup());
      if (status != Status.Ok) this.sendLocalResponse(500, "grpcCall status " + (<i32>status).toString());
      return Action.Pause;
    }
    if (scenario == "grpc-stream") {
      const stream = this.grpcStream("grpc-backend", "test.Chat", "Talk", [], new Chat());
      if (stream === null) {
        this.sendLocalResponse(500, "grpcStream refused");
        return Action.Pause;
      }
      stream.send(String.UTF8.encode("hello"));
      stream.send(String.UTF8.encode("bye"), true);
      return Action.Pause;
    }
    return Action.Continue;
  }
}

registerRootContext((id: u32): RootContext => new Root(id));
