/**
 * A small stand-in for Envoy's admin listener, for the embedded data plane: `/stats/prometheus`
 * (Prometheus scrapes it; Istio's sidecars expose the same path), `/stats` (plain; `?format=prometheus`
 * as Envoy), and `/ready` (`LIVE`). Bound to 127.0.0.1 only: like Envoy's admin port, it is not for
 * other hosts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Metric } from "../host/index.js";
import { renderPlainStats } from "./plain-stats.js";
import { PROMETHEUS_CONTENT_TYPE, PrometheusExposition, type PrometheusOptions } from "./prometheus-exposition.js";

/** Options for {@link startAdminServer}. */
export interface AdminServerOptions {
  /** Where the stats come from: a `ProxyHost` (or anything listing metrics). */
  stats: { listMetrics(): Metric[] };
  /** Port on 127.0.0.1; 0 or absent = an ephemeral port. */
  port?: number;
  /** Tag extraction and namespaces for `/stats/prometheus`. */
  prometheus?: PrometheusOptions;
}

/** A running admin server. */
export interface AdminServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  response.end(body);
}

/** Starts the admin server; resolves once it listens. */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const exposition = new PrometheusExposition(options.prometheus);
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.method !== "GET" && request.method !== "HEAD") {
      send(response, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    const prometheus = url.pathname === "/stats/prometheus" || (url.pathname === "/stats" && url.searchParams.get("format") === "prometheus");
    if (prometheus) {
      send(response, 200, PROMETHEUS_CONTENT_TYPE, await exposition.render(options.stats.listMetrics()));
    } else if (url.pathname === "/stats") {
      send(response, 200, "text/plain; charset=utf-8", renderPlainStats(options.stats.listMetrics()));
    } else if (url.pathname === "/ready") {
      send(response, 200, "text/plain; charset=utf-8", "LIVE\n");
    } else {
      send(response, 404, "text/plain; charset=utf-8", "not found: try /stats/prometheus, /stats or /ready\n");
    }
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, "text/plain; charset=utf-8", `${(error as Error).message}\n`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
