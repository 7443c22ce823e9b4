/** What the host functions need from the plugin and host around a VM. */
import type { LogLevel, Status } from "./abi.js";
import type { HostClock } from "./clock.js";
import type { ContextBase } from "./context-base.js";
import type { ForeignFunction } from "./foreign-functions.js";
import type { MetricRegistry } from "./metrics.js";
import type { RootContext } from "./root-context.js";
import type { SharedData } from "./shared-data.js";
import type { SharedQueues } from "./shared-queues.js";

export interface OutgoingHttpCall {
  cluster: string;
  headers: [string, string][];
  body: Uint8Array;
  trailers: [string, string][];
  timeoutMs: number;
}

export interface OutgoingGrpcCall {
  cluster: string;
  service: string;
  method: string;
  initialMetadata: [string, string][];
  message: Uint8Array;
  timeoutMs: number;
}

export interface HostServices {
  readonly vmId: string;
  readonly clock: HostClock;
  readonly metrics: MetricRegistry;
  readonly sharedData: SharedData;
  readonly sharedQueues: SharedQueues;
  readonly vmConfiguration: Uint8Array;
  readonly pluginConfiguration: Uint8Array;
  readonly environment: readonly [string, string][];
  logLevel(): LogLevel;
  log(level: LogLevel, message: string, context: ContextBase | undefined): void;
  setTickPeriod(root: RootContext, periodMs: number): void;
  httpCall(root: RootContext, call: OutgoingHttpCall): { status: Status; token: number };
  grpcCall(root: RootContext, call: OutgoingGrpcCall): { status: Status; token: number };
  grpcStream(root: RootContext, call: Omit<OutgoingGrpcCall, "message" | "timeoutMs">): { status: Status; token: number };
  grpcSend(token: number, message: Uint8Array, endStream: boolean): Status;
  grpcCancel(token: number): Status;
  grpcClose(token: number): Status;
  registerQueue(root: RootContext, name: string): number;
  foreignFunction(name: string): ForeignFunction | undefined;
  done(context: ContextBase): Status;
}
