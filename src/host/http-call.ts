/**
 * HTTP callouts (proxy_http_call). A call goes to a named cluster, which is
 * either an in-process handler (tests) or a real HTTP(S) base URL.
 * Responses follow Envoy's async client (envoy source/extensions/common/wasm/context.cc
 * `httpCall`, `onHttpCallSuccess`, `onHttpCallFailure`): a timeout is a 504
 * "upstream request timeout" response, a failed connection is a 503 response,
 * only a reset reaches the module as (token, 0, 0, 0) with get_status BrokenConnection.
 */
import * as http from "node:http";
import * as https from "node:https";
import { type HeadersInput } from "./header-map.js";
import type { GrpcCallHandler } from "./grpc.js";

/** A callout as the module made it (UTF-8 text; body as bytes). */
export interface HttpCallRequest {
  /** The token the module got back. */
  readonly id: number;
  readonly cluster: string;
  readonly headers: [string, string][];
  readonly body: Uint8Array;
  readonly bodyText: string;
  readonly trailers: [string, string][];
  /** 0 means no timeout. */
  readonly timeoutMs: number;
  readonly method: string;
  readonly path: string;
  readonly authority: string;
}

/** A response to a callout. `:status` is added from `status`. */
export interface HttpCallResponse {
  status: number;
  headers?: HeadersInput;
  body?: string | Uint8Array;
  trailers?: HeadersInput;
}

/** A response, or "reset" for a connection reset. */
export type HttpCallOutcome = HttpCallResponse | "reset";

/**
 * Answers callouts in-process. Return undefined to leave the call pending
 * (answer it later with `plugin.respondToHttpCall`).
 */
export type HttpCallHandler = (request: HttpCallRequest) => HttpCallOutcome | undefined | Promise<HttpCallOutcome | undefined>;

/** A named upstream cluster. */
export type ClusterConfig =
  | HttpCallHandler
  | {
      /** Real HTTP(S) base URL; the call's :path is appended. */
      url?: string;
      /** In-process HTTP handler (wins over url). */
      http?: HttpCallHandler;
      /** In-process gRPC handler; without one gRPC calls stay pending. */
      grpc?: GrpcCallHandler;
    };

/** Envoy's router reply when the route timeout fires (source/common/router/router.cc). */
export const UPSTREAM_TIMEOUT_RESPONSE: HttpCallResponse = {
  status: 504,
  headers: [["content-length", "24"], ["content-type", "text/plain"]],
  body: "upstream request timeout",
};

/** Envoy's router reply when no connection could be made. */
export const UPSTREAM_CONNECT_FAILURE_RESPONSE: HttpCallResponse = {
  status: 503,
  headers: [["content-length", "91"], ["content-type", "text/plain"]],
  body: "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
};

/** Upper bound for a real request whose module asked for no timeout: the host never waits forever. */
export const MAX_REAL_CALLOUT_MS = 60_000;

/**
 * Sends a callout over the network. Resolves with the upstream response, the
 * 503 connect-failure reply, the 504 timeout reply, or "reset".
 */
export function sendOverNetwork(baseUrl: string, request: HttpCallRequest, timeoutMs: number): Promise<HttpCallOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: HttpCallOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const url = joinUrl(baseUrl, request.path);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of request.headers) {
      if (k.startsWith(":")) continue;
      const existing = headers[k];
      headers[k] = existing === undefined ? v : ([] as string[]).concat(existing, v);
    }
    headers["host"] = request.authority;
    if (request.body.byteLength > 0) headers["content-length"] = String(request.body.byteLength);
    const client = url.protocol === "https:" ? https : http;
    let responseStarted = false;
    const req = client.request(url, { method: request.method, headers }, (res) => {
      responseStarted = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const pairs: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        const trailers: [string, string][] = [];
        for (let i = 0; i < res.rawTrailers.length; i += 2) trailers.push([res.rawTrailers[i]!.toLowerCase(), res.rawTrailers[i + 1]!]);
        finish({ status: res.statusCode ?? 0, headers: pairs, body: new Uint8Array(Buffer.concat(chunks)), trailers });
      });
      res.on("error", () => finish("reset"));
      res.on("aborted", () => finish("reset"));
    });
    req.on("error", () => finish(responseStarted ? "reset" : UPSTREAM_CONNECT_FAILURE_RESPONSE));
    const limit = timeoutMs > 0 ? timeoutMs : MAX_REAL_CALLOUT_MS;
    const timer = setTimeout(() => {
      finish(UPSTREAM_TIMEOUT_RESPONSE);
      req.destroy();
    }, limit);
    timer.unref();
    if (request.body.byteLength > 0) req.write(request.body);
    req.end();
  });
}

/** Base URL + the call's :path (a base path prefix is kept). */
export function joinUrl(baseUrl: string, path: string): URL {
  const base = new URL(baseUrl);
  const prefix = base.pathname.endsWith("/") ? base.pathname.slice(0, -1) : base.pathname;
  return new URL(prefix + (path.startsWith("/") ? path : "/" + path), base.origin);
}
