/**
 * The network-filter callbacks. The SDK fixes a context's kind when the
 * context is created, but Envoy creates HTTP and TCP contexts alike
 * (proxy_on_context_create) and only the next callback tells which one it
 * is. So the stats module keeps one context class for both and routes the
 * TCP callbacks here instead of through the SDK's dispatch.
 */
import { Action } from "../../sdk";
import { findContext } from "../../sdk/registry";
import { enterCallback, leaveCallback } from "../../sdk/gc-policy";
import { StatsStream } from "./stream";

function stream(contextId: u32): StatsStream | null {
  const context = findContext(contextId);
  return context instanceof StatsStream ? changetype<StatsStream>(context) : null;
}

export function proxy_on_new_connection(context_id: u32): u32 {
  enterCallback();
  const target = stream(context_id);
  if (target !== null) target.tcpNewConnection();
  leaveCallback();
  return Action.Continue;
}

export function proxy_on_downstream_data(context_id: u32, data_size: u32, end_of_stream: u32): u32 {
  enterCallback();
  const target = stream(context_id);
  if (target !== null) target.tcpDownstreamData(data_size);
  leaveCallback();
  return Action.Continue;
}

export function proxy_on_upstream_data(context_id: u32, data_size: u32, end_of_stream: u32): u32 {
  enterCallback();
  const target = stream(context_id);
  if (target !== null) target.tcpUpstreamData(data_size);
  leaveCallback();
  return Action.Continue;
}

export function proxy_on_downstream_connection_close(context_id: u32, peer_type: u32): void {}

export function proxy_on_upstream_connection_close(context_id: u32, peer_type: u32): void {}
