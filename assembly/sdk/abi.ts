/**
 * The raw proxy-wasm ABI v0.2.1: every host function the spec names, with the
 * spec's exact Wasm signature, and the enums it defines.
 *
 * Source: proxy-wasm/spec abi-versions/v0.2.1/README.md. Nothing here is
 * friendly on purpose; `assembly/sdk/*.ts` builds the typed layer on top.
 * Only the functions a module actually calls end up as imports of the module
 * (AssemblyScript drops unused declarations), so a filter that never calls
 * gRPC does not import `proxy_grpc_*`.
 */

// ---------------------------------------------------------------- enums

/** proxy_log_level_t */
export const enum LogLevel { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5 }

/** proxy_status_t (the spec leaves 5, 9 and 11 unassigned; Envoy uses 11 for BrokenConnection) */
export const enum Status {
  Ok = 0, NotFound = 1, BadArgument = 2, SerializationFailure = 3, ParseFailure = 4,
  InvalidMemoryAccess = 6, Empty = 7, CasMismatch = 8, InternalFailure = 10,
  BrokenConnection = 11, Unimplemented = 12,
}

/** proxy_action_t */
export const enum Action { Continue = 0, Pause = 1 }

/** proxy_buffer_type_t */
export const enum BufferType {
  HttpRequestBody = 0, HttpResponseBody = 1, DownstreamData = 2, UpstreamData = 3,
  HttpCallResponseBody = 4, GrpcCallMessage = 5, VmConfiguration = 6,
  PluginConfiguration = 7, ForeignFunctionArguments = 8,
}

/** proxy_map_type_t */
export const enum MapType {
  HttpRequestHeaders = 0, HttpRequestTrailers = 1, HttpResponseHeaders = 2,
  HttpResponseTrailers = 3, GrpcCallInitialMetadata = 4, GrpcCallTrailingMetadata = 5,
  HttpCallResponseHeaders = 6, HttpCallResponseTrailers = 7,
}

/** proxy_peer_type_t */
export const enum PeerType { Unknown = 0, Local = 1, Remote = 2 }

/** proxy_stream_type_t */
export const enum StreamType { HttpRequest = 0, HttpResponse = 1, Downstream = 2, Upstream = 3 }

/** proxy_metric_type_t */
export const enum MetricType { Counter = 0, Gauge = 1, Histogram = 2 }

// ---------------------------------------------------------------- integration / context

@external("env", "proxy_done")
export declare function proxy_done(): u32;
@external("env", "proxy_set_effective_context")
export declare function proxy_set_effective_context(context_id: u32): u32;

// ---------------------------------------------------------------- logging, clock, timers

@external("env", "proxy_log")
export declare function proxy_log(level: u32, message_data: usize, message_size: usize): u32;
@external("env", "proxy_get_log_level")
export declare function proxy_get_log_level(return_log_level: usize): u32;
@external("env", "proxy_get_current_time_nanoseconds")
export declare function proxy_get_current_time_nanoseconds(return_time: usize): u32;
@external("env", "proxy_set_tick_period_milliseconds")
export declare function proxy_set_tick_period_milliseconds(tick_period: u32): u32;

// ---------------------------------------------------------------- buffers

@external("env", "proxy_get_buffer_bytes")
export declare function proxy_get_buffer_bytes(buffer_id: u32, start: usize, max_size: usize, return_data: usize, return_size: usize): u32;
@external("env", "proxy_set_buffer_bytes")
export declare function proxy_set_buffer_bytes(buffer_id: u32, start: usize, size: usize, value_data: usize, value_size: usize): u32;
@external("env", "proxy_get_buffer_status")
export declare function proxy_get_buffer_status(buffer_id: u32, return_buffer_size: usize, return_unused: usize): u32;

// ---------------------------------------------------------------- header maps

@external("env", "proxy_get_header_map_size")
export declare function proxy_get_header_map_size(map_id: u32, return_size: usize): u32;
@external("env", "proxy_get_header_map_pairs")
export declare function proxy_get_header_map_pairs(map_id: u32, return_data: usize, return_size: usize): u32;
@external("env", "proxy_set_header_map_pairs")
export declare function proxy_set_header_map_pairs(map_id: u32, map_data: usize, map_size: usize): u32;
@external("env", "proxy_get_header_map_value")
export declare function proxy_get_header_map_value(map_id: u32, key_data: usize, key_size: usize, return_value_data: usize, return_value_size: usize): u32;
@external("env", "proxy_add_header_map_value")
export declare function proxy_add_header_map_value(map_id: u32, key_data: usize, key_size: usize, value_data: usize, value_size: usize): u32;
@external("env", "proxy_replace_header_map_value")
export declare function proxy_replace_header_map_value(map_id: u32, key_data: usize, key_size: usize, value_data: usize, value_size: usize): u32;
@external("env", "proxy_remove_header_map_value")
export declare function proxy_remove_header_map_value(map_id: u32, key_data: usize, key_size: usize): u32;

// ---------------------------------------------------------------- streams, local replies

@external("env", "proxy_continue_stream")
export declare function proxy_continue_stream(stream_type: u32): u32;
@external("env", "proxy_close_stream")
export declare function proxy_close_stream(stream_type: u32): u32;
@external("env", "proxy_send_local_response")
export declare function proxy_send_local_response(status_code: u32, details_data: usize, details_size: usize, body_data: usize, body_size: usize, headers_data: usize, headers_size: usize, grpc_status: i32): u32;
@external("env", "proxy_get_status")
export declare function proxy_get_status(return_status_code: usize, return_message_data: usize, return_message_size: usize): u32;

// ---------------------------------------------------------------- HTTP and gRPC callouts

@external("env", "proxy_http_call")
export declare function proxy_http_call(upstream_data: usize, upstream_size: usize, headers_data: usize, headers_size: usize, body_data: usize, body_size: usize, trailers_data: usize, trailers_size: usize, timeout_ms: u32, return_call_id: usize): u32;
@external("env", "proxy_grpc_call")
export declare function proxy_grpc_call(upstream_data: usize, upstream_size: usize, service_data: usize, service_size: usize, method_data: usize, method_size: usize, metadata_data: usize, metadata_size: usize, message_data: usize, message_size: usize, timeout_ms: u32, return_call_id: usize): u32;
@external("env", "proxy_grpc_stream")
export declare function proxy_grpc_stream(upstream_data: usize, upstream_size: usize, service_data: usize, service_size: usize, method_data: usize, method_size: usize, metadata_data: usize, metadata_size: usize, return_stream_id: usize): u32;
@external("env", "proxy_grpc_send")
export declare function proxy_grpc_send(stream_id: u32, message_data: usize, message_size: usize, end_stream: u32): u32;
@external("env", "proxy_grpc_cancel")
export declare function proxy_grpc_cancel(call_or_stream_id: u32): u32;
@external("env", "proxy_grpc_close")
export declare function proxy_grpc_close(call_or_stream_id: u32): u32;

// ---------------------------------------------------------------- shared data and queues

@external("env", "proxy_set_shared_data")
export declare function proxy_set_shared_data(key_data: usize, key_size: usize, value_data: usize, value_size: usize, cas: u32): u32;
@external("env", "proxy_get_shared_data")
export declare function proxy_get_shared_data(key_data: usize, key_size: usize, return_value_data: usize, return_value_size: usize, return_cas: usize): u32;
@external("env", "proxy_register_shared_queue")
export declare function proxy_register_shared_queue(name_data: usize, name_size: usize, return_queue_id: usize): u32;
@external("env", "proxy_resolve_shared_queue")
export declare function proxy_resolve_shared_queue(vm_id_data: usize, vm_id_size: usize, name_data: usize, name_size: usize, return_queue_id: usize): u32;
@external("env", "proxy_enqueue_shared_queue")
export declare function proxy_enqueue_shared_queue(queue_id: u32, value_data: usize, value_size: usize): u32;
@external("env", "proxy_dequeue_shared_queue")
export declare function proxy_dequeue_shared_queue(queue_id: u32, return_value_data: usize, return_value_size: usize): u32;

// ---------------------------------------------------------------- metrics

@external("env", "proxy_define_metric")
export declare function proxy_define_metric(metric_type: u32, name_data: usize, name_size: usize, return_metric_id: usize): u32;
@external("env", "proxy_record_metric")
export declare function proxy_record_metric(metric_id: u32, value: u64): u32;
@external("env", "proxy_increment_metric")
export declare function proxy_increment_metric(metric_id: u32, delta: i64): u32;
@external("env", "proxy_get_metric")
export declare function proxy_get_metric(metric_id: u32, return_value: usize): u32;

// ---------------------------------------------------------------- properties and foreign functions

@external("env", "proxy_get_property")
export declare function proxy_get_property(path_data: usize, path_size: usize, return_value_data: usize, return_value_size: usize): u32;
@external("env", "proxy_set_property")
export declare function proxy_set_property(path_data: usize, path_size: usize, value_data: usize, value_size: usize): u32;
@external("env", "proxy_call_foreign_function")
export declare function proxy_call_foreign_function(name_data: usize, name_size: usize, arguments_data: usize, arguments_size: usize, return_results_data: usize, return_results_size: usize): u32;

// ---------------------------------------------------------------- WASI subset named by the spec

@external("wasi_snapshot_preview1", "fd_write")
export declare function wasi_fd_write(fd: u32, iovs: usize, iovs_len: usize, return_written: usize): u32;
@external("wasi_snapshot_preview1", "clock_time_get")
export declare function wasi_clock_time_get(clock_id: u32, precision: u64, return_time: usize): u32;
@external("wasi_snapshot_preview1", "random_get")
export declare function wasi_random_get(buf: usize, buf_len: usize): u32;
