// Adds a response header and counts requests per method. The plugin configuration, when
// given, is `<header-name>: <value>` (default `x-wasmixer: hello`); plain text keeps it small.
export * from "../../sdk/exports";
import { Action, Counter, HttpContext, RootContext, logError, registerRootContext } from "../../sdk";

const requests = new Counter("hello_requests_total", ["method"]);

class HelloRoot extends RootContext {
  headerName: string = "x-wasmixer";
  headerValue: string = "hello";
  onConfigure(size: u32): bool {
    if (size == 0) return true;
    const config = this.pluginConfigurationText();
    const colon = config.indexOf(":");
    const name = colon > 0 ? config.substring(0, colon).trim() : "";
    let valid = name.length > 0;
    for (let i = 0; i < name.length; i++) valid = valid && isTokenChar(name.charCodeAt(i));
    if (!valid) logError("hello: configuration must be '<lowercase-header-name>: <value>', got '" + config + "'");
    this.headerName = name;
    this.headerValue = config.substring(colon + 1).trim();
    return valid;
  }
  createHttpContext(id: u32): HttpContext | null { return new Hello(id, this); }
}

function isTokenChar(c: i32): bool { return c == 45 || (c >= 97 && c <= 122) || (c >= 48 && c <= 57); }
class Hello extends HttpContext {
  onRequestHeaders(count: u32, endOfStream: bool): Action {
    const method = this.requestHeaders.get(":method");
    requests.increment(1, [method === null ? "unknown" : method]);
    return Action.Continue;
  }
  onResponseHeaders(count: u32, endOfStream: bool): Action {
    this.responseHeaders.replace(changetype<HelloRoot>(this.root).headerName, changetype<HelloRoot>(this.root).headerValue);
    return Action.Continue;
  }
}

registerRootContext((id: u32): RootContext => new HelloRoot(id));
