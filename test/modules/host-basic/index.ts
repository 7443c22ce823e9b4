// A scriptable raw proxy-wasm module for the host tests: the request header
// `x-op` picks what on_request_headers does, and results are reported as log
// lines ("<op> key=value ...") or request headers. It uses only the raw ABI.
import {
  proxy_log, proxy_get_header_map_value, proxy_add_header_map_value, proxy_replace_header_map_value,
  proxy_remove_header_map_value, proxy_get_header_map_pairs, proxy_set_header_map_pairs, proxy_get_header_map_size,
  proxy_get_buffer_bytes, proxy_set_buffer_bytes, proxy_get_buffer_status, proxy_send_local_response,
  proxy_get_property, proxy_set_property, proxy_define_metric, proxy_increment_metric, proxy_record_metric,
  proxy_get_metric, proxy_get_shared_data, proxy_set_shared_data, proxy_register_shared_queue,
  proxy_resolve_shared_queue, proxy_enqueue_shared_queue, proxy_dequeue_shared_queue, proxy_http_call,
  proxy_grpc_call, proxy_grpc_stream, proxy_grpc_send, proxy_grpc_cancel, proxy_grpc_close, proxy_get_status,
  proxy_set_tick_period_milliseconds, proxy_call_foreign_function, proxy_set_effective_context, proxy_continue_stream,
  proxy_close_stream, proxy_get_current_time_nanoseconds, proxy_get_log_level, proxy_done, wasi_fd_write,
  wasi_clock_time_get, wasi_random_get,
} from "../../../assembly/sdk/abi";

const RET_PTR = memory.data(8);
const RET_SIZE = memory.data(8);
const RET_EXTRA = memory.data(8);

// ---------------------------------------------------------------- plumbing

export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_memory_allocate(size: usize): usize {
  return heap.alloc(size);
}

@global export function wasmixer_abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  log("abort: " + (message ? message : "") + " at " + (fileName ? fileName : "") + ":" + line.toString());
  unreachable();
}

function log(message: string, level: u32 = 2): void {
  const bytes = String.UTF8.encode(message);
  proxy_log(level, changetype<usize>(bytes), bytes.byteLength);
}

function bytesOf(s: string): ArrayBuffer {
  return String.UTF8.encode(s);
}

function takeString(): string {
  const ptr = load<usize>(RET_PTR);
  const size = load<usize>(RET_SIZE);
  const s = String.UTF8.decodeUnsafe(ptr, size);
  if (ptr != 0) heap.free(ptr);
  return s;
}

function takeHex(): string {
  const ptr = load<usize>(RET_PTR);
  const size = load<usize>(RET_SIZE);
  let out = "";
  for (let i: usize = 0; i < size; i++) {
    const b = load<u8>(ptr + i);
    out += (b < 16 ? "0" : "") + b.toString(16);
  }
  if (ptr != 0) heap.free(ptr);
  return out;
}

function getHeader(map: u32, name: string): string | null {
  const key = bytesOf(name);
  const status = proxy_get_header_map_value(map, changetype<usize>(key), key.byteLength, RET_PTR, RET_SIZE);
  if (status != 0) return null;
  return takeString();
}

function getHeaderStatus(map: u32, name: string): u32 {
  const key = bytesOf(name);
  const status = proxy_get_header_map_value(map, changetype<usize>(key), key.byteLength, RET_PTR, RET_SIZE);
  if (status == 0) takeString();
  return status;
}

function addHeader(map: u32, name: string, value: string): u32 {
  const k = bytesOf(name);
  const v = bytesOf(value);
  return proxy_add_header_map_value(map, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength);
}

function replaceHeader(map: u32, name: string, value: string): u32 {
  const k = bytesOf(name);
  const v = bytesOf(value);
  return proxy_replace_header_map_value(map, changetype<usize>(k), k.byteLength, changetype<usize>(v), v.byteLength);
}

function removeHeader(map: u32, name: string): u32 {
  const k = bytesOf(name);
  return proxy_remove_header_map_value(map, changetype<usize>(k), k.byteLength);
}

/** Serialized map of alternating key/value strings. */
function pairs(kv: string[]): ArrayBuffer {
  const n = kv.length / 2;
  let size = 4 + n * 8;
  const encoded = new Array<ArrayBuffer>(kv.length);
  for (let i = 0; i < kv.length; i++) {
    encoded[i] = bytesOf(kv[i]);
    size += encoded[i].byteLength + 1;
  }
  const out = new ArrayBuffer(size);
  const base = changetype<usize>(out);
  store<u32>(base, n);
  let data = base + 4 + n * 8;
  for (let i = 0; i < kv.length; i++) {
    store<u32>(base + 4 + i * 4, encoded[i].byteLength);
    memory.copy(data, changetype<usize>(encoded[i]), encoded[i].byteLength);
    data += encoded[i].byteLength;
    store<u8>(data, 0);
    data += 1;
  }
  return out;
}

/** Path from "a.b.c" to the NUL-separated form the SDKs send. */
function propertyPath(dotted: string): ArrayBuffer {
  return bytesOf(dotted.replaceAll(".", "\0"));
}

// ---------------------------------------------------------------- state

let rootId: u32 = 0;
let ticks: u32 = 0;
let tickCounter: u32 = 0;
let queueToken: u32 = 0;
let bodyOp = "";
let responseOp = "";
const streamOps = new Map<u32, string>();

// ---------------------------------------------------------------- lifecycle

export function proxy_on_context_create(contextId: u32, parentId: u32): void {
  if (parentId == 0) rootId = contextId;
  log("create " + contextId.toString() + " parent=" + parentId.toString(), 1);
}

export function proxy_on_vm_start(contextId: u32, vmConfigSize: usize): bool {
  const status = proxy_get_buffer_bytes(6, 0, vmConfigSize, RET_PTR, RET_SIZE);
  const config = vmConfigSize > 0 && status == 0 ? takeString() : "";
  log("vm_start config=" + config);
  if (config == "fail") return false;
  return true;
}

export function proxy_on_configure(contextId: u32, configSize: usize): bool {
  const status = proxy_get_buffer_bytes(7, 0, configSize, RET_PTR, RET_SIZE);
  const config = configSize > 0 && status == 0 ? takeString() : "";
  log("configure config=" + config);
  if (config == "fail") {
    log("configuration rejected: fail requested", 4);
    return false;
  }
  if (config == "trap") unreachable();
  if (config.startsWith("tick:")) {
    proxy_set_tick_period_milliseconds(<u32>I32.parseInt(config.substring(5)));
    const name = bytesOf("ticks_total");
    proxy_define_metric(0, changetype<usize>(name), name.byteLength, RET_EXTRA);
    tickCounter = load<u32>(RET_EXTRA);
  }
  if (config == "queue-owner") {
    const name = bytesOf("jobs");
    const s = proxy_register_shared_queue(changetype<usize>(name), name.byteLength, RET_EXTRA);
    queueToken = load<u32>(RET_EXTRA);
    log("registered status=" + s.toString() + " token=" + queueToken.toString());
  }
  return true;
}

export function proxy_on_tick(contextId: u32): void {
  ticks++;
  proxy_increment_metric(tickCounter, 1);
  log("tick " + ticks.toString() + " context=" + contextId.toString());
}

export function proxy_on_queue_ready(contextId: u32, token: u32): void {
  const s = proxy_dequeue_shared_queue(token, RET_PTR, RET_SIZE);
  const item = s == 0 ? takeString() : "";
  const again = proxy_dequeue_shared_queue(token, RET_PTR, RET_SIZE);
  log("queue_ready context=" + contextId.toString() + " token=" + token.toString() + " status=" + s.toString() + " item=" + item + " next=" + again.toString());
}

export function proxy_on_done(contextId: u32): bool {
  log("done " + contextId.toString());
  if (contextId == rootId && ticks == 999) return false;
  return true;
}

export function proxy_on_log(contextId: u32): void {
  const path = getHeader(0, ":path");
  const status = getHeader(2, ":status");
  log("log " + contextId.toString() + " path=" + (path ? path! : "-") + " status=" + (status ? status! : "-") + " trailers=" + getHeaderStatus(1, "x").toString());
  if (streamOps.has(contextId) && streamOps.get(contextId) == "trap-log") unreachable();
}

export function proxy_on_delete(contextId: u32): void {
  log("delete " + contextId.toString());
  streamOps.delete(contextId);
}

// ---------------------------------------------------------------- HTTP

export function proxy_on_request_headers(contextId: u32, headerCount: u32, endOfStream: bool): u32 {
  const opOrNull = getHeader(0, "x-op");
  const op = opOrNull ? opOrNull! : "";
  streamOps.set(contextId, op);
  log("request_headers " + contextId.toString() + " count=" + headerCount.toString() + " eos=" + (endOfStream ? "1" : "0") + " op=" + op);

  if (op == "headers") {
    const a = getHeader(0, "X-A");
    log("headers first=" + (a ? a! : "null") +
      " missing=" + getHeaderStatus(0, "x-missing").toString() +
      " badmap=" + getHeaderStatus(9, "x-a").toString() +
      " response=" + getHeaderStatus(2, ":status").toString() +
      " callout=" + getHeaderStatus(6, ":status").toString());
    addHeader(0, "X-Added", "one");
    addHeader(0, "x-added", "two");
    replaceHeader(0, "X-Rep", "replaced");
    removeHeader(0, "x-del");
    proxy_get_header_map_size(0, RET_EXTRA);
    log("headers size=" + load<u32>(RET_EXTRA).toString() + " path=" + getHeader(0, ":path")! + " method=" + getHeader(0, ":method")! +
      " authority=" + getHeader(0, ":authority")! + " scheme=" + getHeader(0, ":scheme")!);
    proxy_get_header_map_pairs(0, RET_PTR, RET_SIZE);
    const ptr = load<usize>(RET_PTR);
    log("headers pairs=" + load<u32>(ptr).toString() + " bytes=" + load<usize>(RET_SIZE).toString());
    heap.free(ptr);
    return 0;
  }
  if (op == "set-pairs") {
    const p = pairs([":path", "/new", "X-Only", "1"]);
    log("set-pairs status=" + proxy_set_header_map_pairs(0, changetype<usize>(p), p.byteLength).toString());
    return 0;
  }
  if (op == "local") {
    const details = bytesOf("denied by\tpolicy now");
    const body = bytesOf("nope");
    const h = pairs(["X-Custom", "v1", "x-other", "v2"]);
    const grpc = getHeader(0, "x-grpc");
    const s = proxy_send_local_response(403, changetype<usize>(details), details.byteLength, changetype<usize>(body), body.byteLength,
      changetype<usize>(h), h.byteLength, grpc ? I32.parseInt(grpc!) : -1);
    log("local status=" + s.toString());
    return 0;
  }
  if (op == "trap") unreachable();
  if (op == "abort") throw new Error("boom");
  if (op == "property") {
    const path = propertyPath(getHeader(0, "x-path")!);
    const s = proxy_get_property(changetype<usize>(path), path.byteLength, RET_PTR, RET_SIZE);
    log("property status=" + s.toString() + " hex=" + (s == 0 ? takeHex() : ""));
    return 0;
  }
  if (op == "set-property") {
    const path = bytesOf("my_key");
    const value = bytesOf("my value");
    const s = proxy_set_property(changetype<usize>(path), path.byteLength, changetype<usize>(value), value.byteLength);
    const back = proxy_get_property(changetype<usize>(path), path.byteLength, RET_PTR, RET_SIZE);
    log("set-property status=" + s.toString() + " read=" + back.toString() + " value=" + (back == 0 ? takeString() : ""));
    return 0;
  }
  if (op == "metrics") {
    const c = bytesOf("reporter=.=dst;.;my_total");
    const g = bytesOf("my_gauge");
    const h = bytesOf("my_histogram");
    proxy_define_metric(0, changetype<usize>(c), c.byteLength, RET_EXTRA);
    const counter = load<u32>(RET_EXTRA);
    proxy_define_metric(1, changetype<usize>(g), g.byteLength, RET_EXTRA);
    const gauge = load<u32>(RET_EXTRA);
    proxy_define_metric(2, changetype<usize>(h), h.byteLength, RET_EXTRA);
    const histogram = load<u32>(RET_EXTRA);
    const badType = proxy_define_metric(7, changetype<usize>(h), h.byteLength, RET_EXTRA);
    proxy_define_metric(0, changetype<usize>(c), c.byteLength, RET_EXTRA);
    const again = load<u32>(RET_EXTRA);
    const inc0 = proxy_increment_metric(counter, 0);
    const incNeg = proxy_increment_metric(counter, -1);
    const inc = proxy_increment_metric(counter, 2);
    const rec = proxy_record_metric(counter, 5);
    proxy_get_metric(counter, RET_PTR);
    const cv = load<u64>(RET_PTR);
    proxy_record_metric(gauge, 10);
    const gdec = proxy_increment_metric(gauge, -3);
    proxy_get_metric(gauge, RET_PTR);
    const gv = load<u64>(RET_PTR);
    const hinc = proxy_increment_metric(histogram, 1);
    proxy_record_metric(histogram, 7);
    proxy_record_metric(histogram, 700);
    const hget = proxy_get_metric(histogram, RET_PTR);
    const unknown = proxy_increment_metric(0xfffff0, 1);
    log("metrics same=" + (again == counter ? "1" : "0") + " badType=" + badType.toString() + " inc0=" + inc0.toString() +
      " incNeg=" + incNeg.toString() + " inc=" + inc.toString() + " rec=" + rec.toString() + " counter=" + cv.toString() +
      " gdec=" + gdec.toString() + " gauge=" + gv.toString() + " hinc=" + hinc.toString() + " hget=" + hget.toString() +
      " unknown=" + unknown.toString());
    return 0;
  }
  if (op == "shared") {
    const k = bytesOf("k");
    const missing = proxy_get_shared_data(changetype<usize>(k), k.byteLength, RET_PTR, RET_SIZE, RET_EXTRA);
    const v1 = bytesOf("v1");
    const set1 = proxy_set_shared_data(changetype<usize>(k), k.byteLength, changetype<usize>(v1), v1.byteLength, 0);
    proxy_get_shared_data(changetype<usize>(k), k.byteLength, RET_PTR, RET_SIZE, RET_EXTRA);
    const got = takeString();
    const cas = load<u32>(RET_EXTRA);
    const v2 = bytesOf("v2");
    const stale = proxy_set_shared_data(changetype<usize>(k), k.byteLength, changetype<usize>(v2), v2.byteLength, cas + 1);
    const fresh = proxy_set_shared_data(changetype<usize>(k), k.byteLength, changetype<usize>(v2), v2.byteLength, cas);
    const reuse = proxy_set_shared_data(changetype<usize>(k), k.byteLength, changetype<usize>(v1), v1.byteLength, cas);
    proxy_get_shared_data(changetype<usize>(k), k.byteLength, RET_PTR, RET_SIZE, RET_EXTRA);
    log("shared missing=" + missing.toString() + " set=" + set1.toString() + " got=" + got + " casNonZero=" + (cas != 0 ? "1" : "0") +
      " stale=" + stale.toString() + " fresh=" + fresh.toString() + " reuse=" + reuse.toString() + " final=" + takeString());
    return 0;
  }
  if (op == "enqueue") {
    const vm = bytesOf("");
    const name = bytesOf(getHeader(0, "x-queue")!);
    const r = proxy_resolve_shared_queue(changetype<usize>(vm), 0, changetype<usize>(name), name.byteLength, RET_EXTRA);
    const token = load<u32>(RET_EXTRA);
    const item = bytesOf("job-1");
    const e = r == 0 ? proxy_enqueue_shared_queue(token, changetype<usize>(item), item.byteLength) : 99;
    const bad = proxy_enqueue_shared_queue(12345, changetype<usize>(item), item.byteLength);
    log("enqueue resolve=" + r.toString() + " enqueue=" + e.toString() + " bad=" + bad.toString());
    return 0;
  }
  if (op == "http-call" || op == "http-call-bad") {
    const cluster = bytesOf(getHeader(0, "x-cluster")!);
    const h = op == "http-call"
      ? pairs([":method", "POST", ":path", "/check?x=1", ":authority", "auth.local", "x-token", "abc"])
      : pairs([":method", "GET", ":authority", "auth.local"]);
    const body = bytesOf("payload");
    const t = pairs(["x-trailer", "t1"]);
    const timeout = getHeader(0, "x-timeout");
    const s = proxy_http_call(changetype<usize>(cluster), cluster.byteLength, changetype<usize>(h), h.byteLength,
      changetype<usize>(body), body.byteLength, changetype<usize>(t), t.byteLength, timeout ? <u32>I32.parseInt(timeout!) : 1000, RET_EXTRA);
    log("http-call status=" + s.toString() + " token=" + load<u32>(RET_EXTRA).toString());
    return s == 0 ? 1 : 0;
  }
  if (op == "grpc-call" || op == "grpc-stream") {
    const cluster = bytesOf(getHeader(0, "x-cluster")!);
    const service = bytesOf("pkg.Service");
    const method = bytesOf("Method");
    const md = pairs(["x-md", "1"]);
    const msg = bytesOf("request-bytes");
    let s: u32;
    if (op == "grpc-call") {
      s = proxy_grpc_call(changetype<usize>(cluster), cluster.byteLength, changetype<usize>(service), service.byteLength,
        changetype<usize>(method), method.byteLength, changetype<usize>(md), md.byteLength, changetype<usize>(msg), msg.byteLength, 5000, RET_EXTRA);
    } else {
      s = proxy_grpc_stream(changetype<usize>(cluster), cluster.byteLength, changetype<usize>(service), service.byteLength,
        changetype<usize>(method), method.byteLength, changetype<usize>(md), md.byteLength, RET_EXTRA);
    }
    const token = load<u32>(RET_EXTRA);
    let sent: u32 = 99;
    let sendOnCall: u32 = 99;
    if (s == 0 && op == "grpc-stream") {
      sent = proxy_grpc_send(token, changetype<usize>(msg), msg.byteLength, 0);
      sendOnCall = proxy_grpc_send(token + 1, changetype<usize>(msg), msg.byteLength, 0);
    }
    log(op + " status=" + s.toString() + " token=" + token.toString() + " send=" + sent.toString() + " sendOnCall=" + sendOnCall.toString() +
      " cancelUnknown=" + proxy_grpc_cancel(777).toString() + " closeUnknown=" + proxy_grpc_close(778).toString());
    return 0;
  }
  if (op == "foreign") {
    const name = bytesOf(getHeader(0, "x-fn")!);
    const args = bytesOf("args!");
    const s = proxy_call_foreign_function(changetype<usize>(name), name.byteLength, changetype<usize>(args), args.byteLength, RET_PTR, RET_SIZE);
    log("foreign status=" + s.toString() + " result=" + (s == 0 ? takeString() : ""));
    return 0;
  }
  if (op == "effective") {
    const bad = proxy_set_effective_context(9999);
    const good = proxy_set_effective_context(rootId);
    // The root context has no request headers: BadArgument proves the switch.
    log("effective bad=" + bad.toString() + " good=" + good.toString() + " mapFromRoot=" + getHeaderStatus(0, "x-op").toString() +
      " setPropertyFromRoot=" + proxy_set_property(changetype<usize>(bytesOf("k")), 1, changetype<usize>(bytesOf("v")), 1).toString());
    return 0;
  }
  if (op == "misc") {
    proxy_get_current_time_nanoseconds(RET_PTR);
    const now = load<u64>(RET_PTR);
    proxy_get_log_level(RET_EXTRA);
    const level = load<u32>(RET_EXTRA);
    const badLevel = proxy_log(9, 0, 0);
    const done = proxy_done();
    const cont = proxy_continue_stream(7);
    const contUp = proxy_continue_stream(3);
    const closeBad = proxy_close_stream(9);
    const st = proxy_get_status(RET_EXTRA, RET_PTR, RET_SIZE);
    const code = load<u32>(RET_EXTRA);
    takeString();
    const oob = proxy_get_header_map_value(0, 0xfffffff0, 64, RET_PTR, RET_SIZE);
    const bufNotFound = proxy_get_buffer_bytes(4, 0, 10, RET_PTR, RET_SIZE);
    const cfgNotFound = proxy_get_buffer_bytes(7, 0, 10, RET_PTR, RET_SIZE);
    const bufBad = proxy_get_buffer_bytes(42, 0, 10, RET_PTR, RET_SIZE);
    const ro = proxy_set_buffer_bytes(6, 0, 0, changetype<usize>(bytesOf("x")), 1);
    log("misc nowMs=" + (now / 1000000).toString() + " level=" + level.toString() + " badLevel=" + badLevel.toString() +
      " done=" + done.toString() + " cont=" + cont.toString() + " contUp=" + contUp.toString() + " closeBad=" + closeBad.toString() +
      " status=" + st.toString() + " code=" + code.toString() + " oob=" + oob.toString() + " bufNotFound=" + bufNotFound.toString() +
      " cfgNotFound=" + cfgNotFound.toString() + " bufBad=" + bufBad.toString() + " readOnly=" + ro.toString());
    return 0;
  }
  if (op == "wasi") {
    const text = bytesOf("hello from stdout\n");
    const iov = memory.data(8);
    store<u32>(iov, changetype<u32>(text));
    store<u32>(iov + 4, text.byteLength);
    const w = wasi_fd_write(1, iov, 1, RET_EXTRA);
    const written = load<u32>(RET_EXTRA);
    const bad = wasi_fd_write(5, iov, 1, RET_EXTRA);
    const c = wasi_clock_time_get(0, 0, RET_PTR);
    const now = load<u64>(RET_PTR);
    const c2 = wasi_clock_time_get(9, 0, RET_PTR);
    const r = wasi_random_get(RET_PTR, 8);
    log("wasi write=" + w.toString() + " written=" + written.toString() + " badFd=" + bad.toString() + " clock=" + c.toString() +
      " nowPositive=" + (now > 0 ? "1" : "0") + " badClock=" + c2.toString() + " random=" + r.toString());
    return 0;
  }
  if (op == "continue-later") {
    return 1;
  }
  if (op.startsWith("body-") || op.startsWith("resp-") || op == "trap-log") {
    bodyOp = op;
    responseOp = op;
    return 0;
  }
  return 0;
}

export function proxy_on_request_body(contextId: u32, bodySize: usize, endOfStream: bool): u32 {
  const op = streamOps.has(contextId) ? streamOps.get(contextId) : "";
  proxy_get_buffer_status(0, RET_EXTRA, RET_PTR);
  const status = load<u32>(RET_EXTRA);
  const g = proxy_get_buffer_bytes(0, 0, bodySize, RET_PTR, RET_SIZE);
  const body = g == 0 && bodySize > 0 ? takeString() : "";
  let s: u32 = 0;
  if (op == "body-replace") s = proxy_set_buffer_bytes(0, 0, bodySize, changetype<usize>(bytesOf("replaced")), 8);
  if (op == "body-prepend") s = proxy_set_buffer_bytes(0, 0, 0, changetype<usize>(bytesOf("pre-")), 4);
  if (op == "body-append") s = proxy_set_buffer_bytes(0, bodySize, 0, changetype<usize>(bytesOf("-post")), 5);
  if (op == "body-middle") s = proxy_set_buffer_bytes(0, 1, 1, changetype<usize>(bytesOf("z")), 1);
  if (op == "body-trailers") s = addHeader(1, "x-added-trailer", "yes");
  const part = proxy_get_buffer_bytes(0, 2, 3, RET_PTR, RET_SIZE);
  const partText = part == 0 && bodySize > 2 ? takeString() : "";
  log("request_body size=" + bodySize.toString() + " status=" + status.toString() + " eos=" + (endOfStream ? "1" : "0") + " body=" + body +
    " set=" + s.toString() + " part=" + partText + " headers=" + getHeaderStatus(0, ":path").toString());
  if (op == "body-buffer" && !endOfStream) return 1;
  return 0;
}

export function proxy_on_request_trailers(contextId: u32, count: u32): u32 {
  const t = getHeader(1, "x-t");
  log("request_trailers count=" + count.toString() + " x-t=" + (t ? t! : "null"));
  return 0;
}

export function proxy_on_response_headers(contextId: u32, count: u32, endOfStream: bool): u32 {
  const op = streamOps.has(contextId) ? streamOps.get(contextId) : "";
  proxy_get_header_map_pairs(2, RET_PTR, RET_SIZE);
  const ptr = load<usize>(RET_PTR);
  const firstKeySize = load<u32>(ptr + 4);
  const n = load<u32>(ptr);
  const firstKey = String.UTF8.decodeUnsafe(ptr + 4 + n * 8, firstKeySize);
  heap.free(ptr);
  log("response_headers count=" + count.toString() + " first=" + firstKey + " request=" + getHeaderStatus(0, ":path").toString());
  if (op == "resp-trap") unreachable();
  if (op == "resp-header") addHeader(2, "x-resp", "added");
  return 0;
}

export function proxy_on_response_body(contextId: u32, bodySize: usize, endOfStream: bool): u32 {
  const op = streamOps.has(contextId) ? streamOps.get(contextId) : "";
  if (op == "resp-body") proxy_set_buffer_bytes(1, 0, bodySize, changetype<usize>(bytesOf("rewritten")), 9);
  log("response_body size=" + bodySize.toString());
  return 0;
}

export function proxy_on_response_trailers(contextId: u32, count: u32): u32 {
  return 0;
}

// ---------------------------------------------------------------- callouts

export function proxy_on_http_call_response(contextId: u32, token: u32, headers: u32, bodySize: usize, trailers: u32): void {
  const status = getHeader(6, ":status");
  const g = proxy_get_buffer_bytes(4, 0, bodySize, RET_PTR, RET_SIZE);
  const body = g == 0 && bodySize > 0 ? takeString() : "";
  const trailer = getHeader(7, "x-rt");
  proxy_get_status(RET_EXTRA, RET_PTR, RET_SIZE);
  const code = load<u32>(RET_EXTRA);
  const message = takeString();
  log("http_response context=" + contextId.toString() + " token=" + token.toString() + " headers=" + headers.toString() +
    " body_size=" + bodySize.toString() + " trailers=" + trailers.toString() + " status=" + (status ? status! : "null") +
    " body=" + body + " trailer=" + (trailer ? trailer! : "null") + " code=" + code.toString() + " message=" + message);
  if (body == "trap") unreachable();
  if (body == "resume") {
    // Resume the paused stream named in the trailer.
    const stream = I32.parseInt(getHeader(6, "x-stream")!);
    proxy_set_effective_context(<u32>stream);
    proxy_continue_stream(0);
  }
}

export function proxy_on_grpc_receive_initial_metadata(contextId: u32, token: u32, count: u32): void {
  const v = getHeader(4, "x-init");
  log("grpc_initial_metadata token=" + token.toString() + " count=" + count.toString() + " x-init=" + (v ? v! : "null"));
}

export function proxy_on_grpc_receive(contextId: u32, token: u32, size: usize): void {
  const g = proxy_get_buffer_bytes(5, 0, size, RET_PTR, RET_SIZE);
  log("grpc_receive context=" + contextId.toString() + " token=" + token.toString() + " message=" + (g == 0 && size > 0 ? takeString() : ""));
}

export function proxy_on_grpc_receive_trailing_metadata(contextId: u32, token: u32, count: u32): void {
  const v = getHeader(5, "x-trail");
  log("grpc_trailing_metadata token=" + token.toString() + " count=" + count.toString() + " x-trail=" + (v ? v! : "null"));
}

export function proxy_on_grpc_close(contextId: u32, token: u32, status: u32): void {
  proxy_get_status(RET_EXTRA, RET_PTR, RET_SIZE);
  log("grpc_close token=" + token.toString() + " status=" + status.toString() + " get_status=" + load<u32>(RET_EXTRA).toString() + " message=" + takeString());
}

// ---------------------------------------------------------------- TCP

export function proxy_on_new_connection(contextId: u32): u32 {
  log("new_connection " + contextId.toString());
  return 0;
}

export function proxy_on_downstream_data(contextId: u32, size: usize, endOfStream: bool): u32 {
  const g = proxy_get_buffer_bytes(2, 0, size, RET_PTR, RET_SIZE);
  const data = g == 0 && size > 0 ? takeString() : "";
  log("downstream_data " + data);
  if (data == "trap") unreachable();
  proxy_set_buffer_bytes(2, size, 0, changetype<usize>(bytesOf("!")), 1);
  return 0;
}

export function proxy_on_upstream_data(contextId: u32, size: usize, endOfStream: bool): u32 {
  log("upstream_data size=" + size.toString());
  return 0;
}

export function proxy_on_downstream_connection_close(contextId: u32, peer: u32): void {
  log("downstream_close peer=" + peer.toString());
}

export function proxy_on_upstream_connection_close(contextId: u32, peer: u32): void {
  log("upstream_close peer=" + peer.toString());
}

// ---------------------------------------------------------------- benchmark hook

/** Looks up `x-bench` in the request headers `n` times (only valid inside a request callback). */
export function bench_get_header(n: i32): u32 {
  const key = bytesOf("x-bench");
  const k = changetype<usize>(key);
  const len = key.byteLength;
  let total: u32 = 0;
  for (let i = 0; i < n; i++) {
    proxy_get_header_map_value(0, k, len, RET_PTR, RET_SIZE);
    total += load<u32>(RET_SIZE);
    heap.free(load<usize>(RET_PTR));
  }
  return total;
}

/** Same loop without the host call (baseline for the benchmark). */
export function bench_baseline(n: i32): u32 {
  let total: u32 = 0;
  for (let i = 0; i < n; i++) {
    const p = heap.alloc(8);
    total += <u32>p & 1;
    heap.free(p);
  }
  return total;
}

/** Like bench_get_header, leaving the returned values allocated (isolates the guest allocator's share). */
export function bench_get_header_leak(n: i32): u32 {
  const key = bytesOf("x-bench");
  const k = changetype<usize>(key);
  const len = key.byteLength;
  let total: u32 = 0;
  for (let i = 0; i < n; i++) {
    proxy_get_header_map_value(0, k, len, RET_PTR, RET_SIZE);
    total += load<u32>(RET_SIZE);
  }
  return total;
}
