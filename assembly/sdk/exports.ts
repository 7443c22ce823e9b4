/**
 * Every module callback of proxy-wasm ABI 0.2.1, with the spec's exact Wasm
 * signatures, dispatching to the context classes. A filter's entry file
 * re-exports this module (`export * from "../../sdk/exports";`), so nothing
 * but spec callbacks may be exported here.
 */
import { Action, LogLevel } from "./abi";
import * as abi from "./abi";
import { ContextKind } from "./context";
import { RootContext } from "./root-context";
import { HttpContext } from "./http-context";
import { TcpContext } from "./tcp-context";
import { createContext, findContext, forgetContext } from "./registry";
import { enterCallback, leaveCallback } from "./gc-policy";
import { allocateForHost } from "./host-handoff";
import { deliverHttpCallResponse } from "./http-call";
import { deliverGrpcClose, deliverGrpcInitialMetadata, deliverGrpcMessage, deliverGrpcTrailingMetadata } from "./grpc-call";

// Not exported: `--use abort=wasmixer_abort` only needs the global name, and
// an export would leak a non-spec name through the filter's `export *`.
@global function wasmixer_abort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {
  const text = (message === null ? "abort" : message) + " at " + (fileName === null ? "?" : fileName) + ":" + lineNumber.toString();
  const bytes = String.UTF8.encode(text);
  abi.proxy_log(LogLevel.Critical, changetype<usize>(bytes), bytes.byteLength);
  unreachable();
}

function root(contextId: u32): RootContext | null {
  const context = findContext(contextId);
  return context !== null && context.contextKind == ContextKind.Root ? changetype<RootContext>(context) : null;
}

function http(contextId: u32): HttpContext | null {
  const context = findContext(contextId);
  return context !== null && context.contextKind == ContextKind.Http ? changetype<HttpContext>(context) : null;
}

function tcp(contextId: u32): TcpContext | null {
  const context = findContext(contextId);
  return context !== null && context.contextKind == ContextKind.Tcp ? changetype<TcpContext>(context) : null;
}

// ------------------------------------------------------------ integration

export function proxy_abi_version_0_2_1(): void {}

/** The host asks for `size` bytes it will fill and hand back; the SDK releases them after copying. */
export function proxy_on_memory_allocate(size: usize): usize {
  return allocateForHost(size);
}

// ------------------------------------------------------------ context lifecycle

function proxy_on_context_create_inner(context_id: u32, parent_context_id: u32): void {
  createContext(context_id, parent_context_id);
}

function proxy_on_vm_start_inner(root_context_id: u32, vm_configuration_size: u32): u32 {
  const context = root(root_context_id);
  return context === null || context.onVmStart(vm_configuration_size) ? 1 : 0;
}

function proxy_on_configure_inner(root_context_id: u32, plugin_configuration_size: u32): u32 {
  const context = root(root_context_id);
  return context === null || context.onConfigure(plugin_configuration_size) ? 1 : 0;
}

function proxy_on_tick_inner(root_context_id: u32): void {
  const context = root(root_context_id);
  if (context !== null) context.onTick();
}

function proxy_on_done_inner(context_id: u32): u32 {
  const context = findContext(context_id);
  return context === null || context.onDone() ? 1 : 0;
}

function proxy_on_log_inner(context_id: u32): void {
  const context = findContext(context_id);
  if (context !== null) context.onLog();
}

function proxy_on_delete_inner(context_id: u32): void {
  const context = findContext(context_id);
  if (context === null) return;
  context.onDelete();
  forgetContext(context_id);
}

// ------------------------------------------------------------ TCP

function proxy_on_new_connection_inner(context_id: u32): u32 {
  const context = tcp(context_id);
  return context === null ? Action.Continue : context.onNewConnection();
}

function proxy_on_downstream_data_inner(context_id: u32, data_size: u32, end_of_stream: u32): u32 {
  const context = tcp(context_id);
  return context === null ? Action.Continue : context.onDownstreamData(data_size, end_of_stream != 0);
}

function proxy_on_downstream_connection_close_inner(context_id: u32, peer_type: u32): void {
  const context = tcp(context_id);
  if (context !== null) context.onDownstreamConnectionClose(<abi.PeerType>peer_type);
}

function proxy_on_upstream_data_inner(context_id: u32, data_size: u32, end_of_stream: u32): u32 {
  const context = tcp(context_id);
  return context === null ? Action.Continue : context.onUpstreamData(data_size, end_of_stream != 0);
}

function proxy_on_upstream_connection_close_inner(context_id: u32, peer_type: u32): void {
  const context = tcp(context_id);
  if (context !== null) context.onUpstreamConnectionClose(<abi.PeerType>peer_type);
}

// ------------------------------------------------------------ HTTP

function proxy_on_request_headers_inner(context_id: u32, num_headers: u32, end_of_stream: u32): u32 {
  const context = http(context_id);
  return context === null ? Action.Continue : context.onRequestHeaders(num_headers, end_of_stream != 0);
}

function proxy_on_request_body_inner(context_id: u32, body_size: u32, end_of_stream: u32): u32 {
  const context = http(context_id);
  return context === null ? Action.Continue : context.onRequestBody(body_size, end_of_stream != 0);
}

function proxy_on_request_trailers_inner(context_id: u32, num_trailers: u32): u32 {
  const context = http(context_id);
  return context === null ? Action.Continue : context.onRequestTrailers(num_trailers);
}

function proxy_on_response_headers_inner(context_id: u32, num_headers: u32, end_of_stream: u32): u32 {
  const context = http(context_id);
  return context === null ? Action.Continue : context.onResponseHeaders(num_headers, end_of_stream != 0);
}

function proxy_on_response_body_inner(context_id: u32, body_size: u32, end_of_stream: u32): u32 {
  const context = http(context_id);
  return context === null ? Action.Continue : context.onResponseBody(body_size, end_of_stream != 0);
}

function proxy_on_response_trailers_inner(context_id: u32, num_trailers: u32): u32 {
  const context = http(context_id);
  return context === null ? Action.Continue : context.onResponseTrailers(num_trailers);
}

// ------------------------------------------------------------ callouts

function proxy_on_http_call_response_inner(context_id: u32, token: u32, num_headers: u32, body_size: u32, num_trailers: u32): void {
  deliverHttpCallResponse(token, num_headers, body_size, num_trailers);
}

function proxy_on_grpc_receive_initial_metadata_inner(context_id: u32, token: u32, num_elements: u32): void {
  deliverGrpcInitialMetadata(token);
}

function proxy_on_grpc_receive_inner(context_id: u32, token: u32, message_size: u32): void {
  deliverGrpcMessage(token, message_size);
}

function proxy_on_grpc_receive_trailing_metadata_inner(context_id: u32, token: u32, num_elements: u32): void {
  deliverGrpcTrailingMetadata(token);
}

function proxy_on_grpc_close_inner(context_id: u32, token: u32, status_code: u32): void {
  deliverGrpcClose(token, status_code);
}

// ------------------------------------------------------------ queues and foreign functions

function proxy_on_queue_ready_inner(root_context_id: u32, queue_id: u32): void {
  const context = root(root_context_id);
  if (context !== null) context.onQueueReady(queue_id);
}

function proxy_on_foreign_function_inner(root_context_id: u32, function_id: u32, arguments_size: u32): void {
  const context = root(root_context_id);
  if (context !== null) context.onForeignFunction(function_id, arguments_size);
}

// ------------------------------------------------------------ exported entry points
// Each callback is bracketed so garbage is collected only when no Wasm frame is
// live (see gc-policy.ts).

export function proxy_on_context_create(context_id: u32, parent_context_id: u32): void {
  enterCallback();
  proxy_on_context_create_inner(context_id, parent_context_id);
  leaveCallback();
}

export function proxy_on_vm_start(root_context_id: u32, vm_configuration_size: u32): u32 {
  enterCallback();
  const result = proxy_on_vm_start_inner(root_context_id, vm_configuration_size);
  leaveCallback();
  return result;
}

export function proxy_on_configure(root_context_id: u32, plugin_configuration_size: u32): u32 {
  enterCallback();
  const result = proxy_on_configure_inner(root_context_id, plugin_configuration_size);
  leaveCallback();
  return result;
}

export function proxy_on_tick(root_context_id: u32): void {
  enterCallback();
  proxy_on_tick_inner(root_context_id);
  leaveCallback();
}

export function proxy_on_done(context_id: u32): u32 {
  enterCallback();
  const result = proxy_on_done_inner(context_id);
  leaveCallback();
  return result;
}

export function proxy_on_log(context_id: u32): void {
  enterCallback();
  proxy_on_log_inner(context_id);
  leaveCallback();
}

export function proxy_on_delete(context_id: u32): void {
  enterCallback();
  proxy_on_delete_inner(context_id);
  leaveCallback();
}

export function proxy_on_new_connection(context_id: u32): u32 {
  enterCallback();
  const result = proxy_on_new_connection_inner(context_id);
  leaveCallback();
  return result;
}

export function proxy_on_downstream_data(context_id: u32, data_size: u32, end_of_stream: u32): u32 {
  enterCallback();
  const result = proxy_on_downstream_data_inner(context_id, data_size, end_of_stream);
  leaveCallback();
  return result;
}

export function proxy_on_downstream_connection_close(context_id: u32, peer_type: u32): void {
  enterCallback();
  proxy_on_downstream_connection_close_inner(context_id, peer_type);
  leaveCallback();
}

export function proxy_on_upstream_data(context_id: u32, data_size: u32, end_of_stream: u32): u32 {
  enterCallback();
  const result = proxy_on_upstream_data_inner(context_id, data_size, end_of_stream);
  leaveCallback();
  return result;
}

export function proxy_on_upstream_connection_close(context_id: u32, peer_type: u32): void {
  enterCallback();
  proxy_on_upstream_connection_close_inner(context_id, peer_type);
  leaveCallback();
}

export function proxy_on_request_headers(context_id: u32, num_headers: u32, end_of_stream: u32): u32 {
  enterCallback();
  const result = proxy_on_request_headers_inner(context_id, num_headers, end_of_stream);
  leaveCallback();
  return result;
}

export function proxy_on_request_body(context_id: u32, body_size: u32, end_of_stream: u32): u32 {
  enterCallback();
  const result = proxy_on_request_body_inner(context_id, body_size, end_of_stream);
  leaveCallback();
  return result;
}

export function proxy_on_request_trailers(context_id: u32, num_trailers: u32): u32 {
  enterCallback();
  const result = proxy_on_request_trailers_inner(context_id, num_trailers);
  leaveCallback();
  return result;
}

export function proxy_on_response_headers(context_id: u32, num_headers: u32, end_of_stream: u32): u32 {
  enterCallback();
  const result = proxy_on_response_headers_inner(context_id, num_headers, end_of_stream);
  leaveCallback();
  return result;
}

export function proxy_on_response_body(context_id: u32, body_size: u32, end_of_stream: u32): u32 {
  enterCallback();
  const result = proxy_on_response_body_inner(context_id, body_size, end_of_stream);
  leaveCallback();
  return result;
}

export function proxy_on_response_trailers(context_id: u32, num_trailers: u32): u32 {
  enterCallback();
  const result = proxy_on_response_trailers_inner(context_id, num_trailers);
  leaveCallback();
  return result;
}

export function proxy_on_http_call_response(context_id: u32, token: u32, num_headers: u32, body_size: u32, num_trailers: u32): void {
  enterCallback();
  proxy_on_http_call_response_inner(context_id, token, num_headers, body_size, num_trailers);
  leaveCallback();
}

export function proxy_on_grpc_receive_initial_metadata(context_id: u32, token: u32, num_elements: u32): void {
  enterCallback();
  proxy_on_grpc_receive_initial_metadata_inner(context_id, token, num_elements);
  leaveCallback();
}

export function proxy_on_grpc_receive(context_id: u32, token: u32, message_size: u32): void {
  enterCallback();
  proxy_on_grpc_receive_inner(context_id, token, message_size);
  leaveCallback();
}

export function proxy_on_grpc_receive_trailing_metadata(context_id: u32, token: u32, num_elements: u32): void {
  enterCallback();
  proxy_on_grpc_receive_trailing_metadata_inner(context_id, token, num_elements);
  leaveCallback();
}

export function proxy_on_grpc_close(context_id: u32, token: u32, status_code: u32): void {
  enterCallback();
  proxy_on_grpc_close_inner(context_id, token, status_code);
  leaveCallback();
}

export function proxy_on_queue_ready(root_context_id: u32, queue_id: u32): void {
  enterCallback();
  proxy_on_queue_ready_inner(root_context_id, queue_id);
  leaveCallback();
}

export function proxy_on_foreign_function(root_context_id: u32, function_id: u32, arguments_size: u32): void {
  enterCallback();
  proxy_on_foreign_function_inner(root_context_id, function_id, arguments_size);
  leaveCallback();
}
