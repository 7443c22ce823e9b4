// Istio telemetry v2 in Wasm: the standard istio_* metrics and custom ones from Istio's stats
// PluginConfig, as one module that works as an HTTP filter and as a network (TCP) filter.
// Every SDK callback but the TCP ones, which tcp-callbacks.ts provides (see there why).
export {
  proxy_abi_version_0_2_1, proxy_on_memory_allocate, proxy_on_context_create, proxy_on_vm_start, proxy_on_configure,
  proxy_on_tick, proxy_on_done, proxy_on_log, proxy_on_delete, proxy_on_request_headers, proxy_on_request_body,
  proxy_on_request_trailers, proxy_on_response_headers, proxy_on_response_body, proxy_on_response_trailers,
  proxy_on_http_call_response, proxy_on_grpc_receive_initial_metadata, proxy_on_grpc_receive,
  proxy_on_grpc_receive_trailing_metadata, proxy_on_grpc_close, proxy_on_queue_ready, proxy_on_foreign_function,
} from "../../sdk/exports";
export {
  proxy_on_new_connection, proxy_on_downstream_data, proxy_on_upstream_data, proxy_on_downstream_connection_close,
  proxy_on_upstream_connection_close,
} from "./tcp-callbacks";
import { RootContext, registerRootContext } from "../../sdk";
import { StatsRoot } from "./root";

registerRootContext((id: u32): RootContext => new StatsRoot(id));
