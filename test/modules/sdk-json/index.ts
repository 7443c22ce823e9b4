// Parses the request body as JSON and answers with a local reply: 200 and the
// value re-serialized, or 400 and `<error>|<position>`. `x-max-depth` sets the
// depth limit. The plugin configuration, if any, must be a JSON object.
export * from "../../../assembly/sdk/exports";
import {
  Action, HttpContext, JsonArray, JsonObject, JsonType, JsonValue, RootContext, logInfo, parseJson, parseJsonBytes,
  registerRootContext, DEFAULT_MAX_DEPTH,
} from "../../../assembly/sdk";

function hex4(code: i32): string {
  const digits = "0123456789abcdef";
  let out = "\\u";
  for (let shift = 12; shift >= 0; shift -= 4) out += digits.charAt((code >> shift) & 15);
  return out;
}

function quote(text: string): string {
  let out = "\"";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x22) out += "\\\"";
    else if (c == 0x5c) out += "\\\\";
    else if (c < 0x20) out += hex4(c);
    else out += text.charAt(i);
  }
  return out + "\"";
}

function serialize(value: JsonValue): string {
  switch (value.type) {
    case JsonType.Null: return "null";
    case JsonType.Bool: return value.asBool() ? "true" : "false";
    case JsonType.Number: {
      const n = value.asNumber();
      if (Math.abs(n) < 9007199254740992 && Math.floor(n) == n) return (<i64>n).toString();
      return n.toString();
    }
    case JsonType.String: return quote(value.asString()!);
    case JsonType.Array: {
      const items = changetype<JsonArray>(value).items;
      const parts = new Array<string>();
      for (let i = 0; i < items.length; i++) parts.push(serialize(items[i]));
      return "[" + parts.join(",") + "]";
    }
    default: {
      const object = changetype<JsonObject>(value);
      const parts = new Array<string>();
      for (let i = 0; i < object.keys.length; i++) parts.push(quote(object.keys[i]) + ":" + serialize(object.values[i]));
      return "{" + parts.join(",") + "}";
    }
  }
}

class Root extends RootContext {
  onConfigure(size: u32): bool {
    if (size == 0) return true;
    const result = parseJson(this.pluginConfigurationText());
    if (!result.ok) {
      logInfo("config error: " + result.error);
      return false;
    }
    const config = result.value!.asObject();
    if (config === null) return false;
    logInfo("config name=" + (config.getString("name") || "?") + " retries=" + config.getNumber("retries", -1).toString()
      + " enabled=" + (config.getBool("enabled") ? "true" : "false") + " tags=" + (config.getArray("tags") === null ? "0" : config.getArray("tags")!.items.length.toString())
      + " nested=" + (config.getObject("nested") === null ? "no" : "yes"));
    return true;
  }

  createHttpContext(id: u32): HttpContext | null { return new Stream(id, this); }
}

class Stream extends HttpContext {
  maxDepth: i32 = DEFAULT_MAX_DEPTH;

  onRequestHeaders(count: u32, endOfStream: bool): Action {
    const depth = this.requestHeaders.get("x-max-depth");
    if (depth !== null) this.maxDepth = I32.parseInt(depth);
    return Action.Continue;
  }

  onRequestBody(size: u32, endOfStream: bool): Action {
    if (!endOfStream) return Action.Pause;
    const bytes = this.requestBody.read();
    const result = parseJsonBytes(bytes === null ? new ArrayBuffer(0) : bytes!, this.maxDepth);
    if (result.ok) this.sendLocalResponse(200, serialize(result.value!));
    else this.sendLocalResponse(400, result.error + "|" + result.position.toString());
    return Action.Pause;
  }
}

registerRootContext((id: u32): RootContext => new Root(id));
