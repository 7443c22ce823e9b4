/**
 * Typed accessors for Envoy attributes (envoy docs/root/intro/arch_overview/
 * advanced/attributes.rst). Each returns null (or the fallback) when the
 * attribute is absent in the current context, e.g. `response.*` before the
 * response or `request.*` in a TCP filter.
 */
import { getPropertyBool, getPropertyInt, getPropertyString } from "./properties";

/** `request.path`: path with query. */
export function requestPath(): string | null { return getPropertyString(["request", "path"]); }
/** `request.url_path`: path without query. */
export function requestUrlPath(): string | null { return getPropertyString(["request", "url_path"]); }
/** `request.method`. */
export function requestMethod(): string | null { return getPropertyString(["request", "method"]); }
/** `request.host`. */
export function requestHost(): string | null { return getPropertyString(["request", "host"]); }
/** `request.scheme`. */
export function requestScheme(): string | null { return getPropertyString(["request", "scheme"]); }
/** `request.protocol`, e.g. "HTTP/1.1". */
export function requestProtocol(): string | null { return getPropertyString(["request", "protocol"]); }
/** `request.id` (x-request-id). */
export function requestId(): string | null { return getPropertyString(["request", "id"]); }
/** `request.headers[name]`; repeated headers come comma-joined. */
export function requestHeader(name: string): string | null { return getPropertyString(["request", "headers", name]); }
/** `response.code`, or -1 before the response. */
export function responseCode(): i64 { return getPropertyInt(["response", "code"], -1); }
/** `response.code_details`. */
export function responseCodeDetails(): string | null { return getPropertyString(["response", "code_details"]); }
/** `source.address` ("ip:port" in Envoy). */
export function sourceAddress(): string | null { return getPropertyString(["source", "address"]); }
/** `source.port`, or -1 when absent. */
export function sourcePort(): i64 { return getPropertyInt(["source", "port"], -1); }
/** `destination.address`. */
export function destinationAddress(): string | null { return getPropertyString(["destination", "address"]); }
/** `destination.port`, or -1 when absent. */
export function destinationPort(): i64 { return getPropertyInt(["destination", "port"], -1); }
/** `connection.mtls`: TLS with a peer certificate. */
export function connectionMtls(): bool { return getPropertyBool(["connection", "mtls"]); }
/** `connection.requested_server_name` (SNI). */
export function connectionRequestedServerName(): string | null { return getPropertyString(["connection", "requested_server_name"]); }
/** `connection.uri_san_peer_certificate`: the first URI SAN of the peer (a SPIFFE id under Istio). */
export function connectionUriSanPeerCertificate(): string | null { return getPropertyString(["connection", "uri_san_peer_certificate"]); }
/** `upstream.address`. */
export function upstreamAddress(): string | null { return getPropertyString(["upstream", "address"]); }
/**
 * One field of the node metadata, `xds.node.metadata.<key>` (the top-level
 * `node` alias was removed in Envoy 1.33). Only string values decode usefully.
 */
export function nodeMetadata(key: string): string | null { return getPropertyString(["xds", "node", "metadata", key]); }
/** `plugin_name`. */
export function pluginName(): string | null { return getPropertyString(["plugin_name"]); }
/** `plugin_root_id`. */
export function pluginRootId(): string | null { return getPropertyString(["plugin_root_id"]); }
/** `plugin_vm_id`. */
export function pluginVmId(): string | null { return getPropertyString(["plugin_vm_id"]); }
