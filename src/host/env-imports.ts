/**
 * The proxy-wasm ABI v0.2.1 host functions (module `env`). Argument checks
 * and status codes follow cpp-host src/exports.cc and Envoy's context.cc;
 * each function acts on the effective context (`ContextOrEffectiveContext`).
 * Pointers arrive as i32 and are read unsigned.
 */
import { PropertyPathCache } from "./property-path-cache.js";
import { BufferType, LogLevel, MapType, Status, StreamType } from "./abi.js";
import { BodyBuffer } from "./buffers.js";
import type { ContextBase } from "./context-base.js";
import type { HeaderMap } from "./header-map.js";
import type { HostServices } from "./host-services.js";
import { parsePairs } from "./memory.js";
import { FilterStateWrites } from "./filter-state-writes.js";
import { splitPropertyPath } from "./properties.js";
import type { RootContext } from "./root-context.js";
import type { WasmVm } from "./vm.js";
import { textFromByteString } from "./byte-strings.js";

/** The highest value host functions accept for each enum argument: a const enum, so tsc writes the numbers in place. */
const enum Highest { Map = MapType.HttpCallResponseTrailers, Buffer = BufferType.ForeignFunctionArguments }

/** Header maps 4..7 live on the root context while their callback runs (Envoy `getConstMap`). */
function calloutMap(root: RootContext, type: MapType): HeaderMap | undefined {
  switch (type) {
    case MapType.GrpcCallInitialMetadata: return root.grpcInitialMetadata;
    case MapType.GrpcCallTrailingMetadata: return root.grpcTrailingMetadata;
    case MapType.HttpCallResponseHeaders: return root.httpCallResponse?.headers;
    case MapType.HttpCallResponseTrailers: return root.httpCallResponse?.trailers;
    default: return undefined;
  }
}

export function createEnvImports(vm: WasmVm, services: HostServices): Record<string, (...args: never[]) => unknown> {
  const memory = () => vm.memory;
  const ctx = (): ContextBase => {
    const context = vm.context();
    if (!context) throw new Error("host function called outside of a context");
    return context;
  };
  const u = (n: number) => n >>> 0;
  const propertyPaths = new PropertyPathCache();
  const filterStateWrites = new FilterStateWrites();

  const mapOf = (context: ContextBase, type: number, forWrite: boolean): HeaderMap | undefined =>
    type <= MapType.HttpResponseTrailers ? context.streamMap(type, forWrite) : forWrite ? undefined : calloutMap(context.root, type);
  /** mapOf(ctx(), type, false), taking the request headers the callback has open straight from the VM (WasmVm.currentRequestHeaders). */
  const readableMap = (type: number): HeaderMap | undefined => {
    const open = vm.currentRequestHeaders;
    return type === MapType.HttpRequestHeaders && open !== undefined && vm.effectiveId === 0 ? open : mapOf(ctx(), type, false);
  };

  const bufferOf = (context: ContextBase, type: number): BodyBuffer | undefined => {
    switch (type) {
      case BufferType.HttpRequestBody:
      case BufferType.HttpResponseBody:
      case BufferType.DownstreamData:
      case BufferType.UpstreamData:
        return context.streamBuffer(type);
      case BufferType.HttpCallResponseBody:
        return context.root.httpCallResponse?.body;
      case BufferType.GrpcCallMessage:
        return context.root.grpcMessage;
      case BufferType.VmConfiguration:
        return new BodyBuffer(services.vmConfiguration, true);
      case BufferType.PluginConfiguration:
        return context.root.configuring ? new BodyBuffer(services.pluginConfiguration, true) : undefined;
      default:
        return undefined;
    }
  };

  const readBytes = (ptr: number, size: number): Uint8Array | undefined => {
    const mem = memory();
    return mem.inBounds(u(ptr), u(size)) ? mem.readBytes(u(ptr), u(size)) : undefined;
  };
  const readString = (ptr: number, size: number): string | undefined => {
    const mem = memory();
    return mem.inBounds(u(ptr), u(size)) ? mem.readByteString(u(ptr), u(size)) : undefined;
  };
  const readPairs = (ptr: number, size: number): [string, string][] | undefined => {
    const bytes = readBytes(ptr, size);
    return bytes ? parsePairs(bytes) ?? [] : undefined;
  };
  const writeU32 = (ptr: number, value: number): boolean => memory().writeU32(u(ptr), value);

  /** add (appends) or replace (Envoy `setCopy`: removes every entry, adds one); both clear the route cache. */
  function writeHeaderValue(operation: "add" | "replace", type: number, keyPtr: number, keySize: number, valuePtr: number, valueSize: number): number {
    if (u(type) > Highest.Map) return Status.BadArgument;
    const context = ctx();
    const key = readString(keyPtr, keySize);
    const value = readString(valuePtr, valueSize);
    if (key === undefined || value === undefined) return Status.InvalidMemoryAccess;
    const map = mapOf(context, u(type), true);
    if (!map) return Status.BadArgument;
    map[operation](key, value);
    context.onHeadersModified(u(type));
    return Status.Ok;
  }

  return {
    // ---------------------------------------------------------------- integration
    proxy_set_effective_context(contextId: number): number {
      const id = u(contextId);
      if (!vm.contexts.has(id)) return Status.BadArgument;
      vm.effectiveId = id;
      return Status.Ok;
    },
    proxy_done(): number {
      return services.done(ctx());
    },
    proxy_call_foreign_function(namePtr: number, nameSize: number, argsPtr: number, argsSize: number, resultPtr: number, resultSizePtr: number): number {
      const name = readString(namePtr, nameSize);
      const args = readBytes(argsPtr, argsSize);
      if (name === undefined || args === undefined) return Status.InvalidMemoryAccess;
      const fn = services.foreignFunction(name);
      if (!fn) return Status.NotFound;
      const context = ctx();
      const result = fn(args, {
        contextId: context.id,
        clearRouteCache: () => context.clearRouteCache(),
        log: (message) => services.log(LogLevel.Info, message, context),
      });
      if (result !== undefined && typeof result === "object" && !(result instanceof Uint8Array)) return result.status;
      const bytes = result === undefined ? new Uint8Array(0) : typeof result === "string" ? new Uint8Array(Buffer.from(result, "utf8")) : result;
      const mem = memory();
      if (u(resultPtr) !== 0) {
        const ptr = bytes.length > 0 ? mem.allocate(bytes.length) : 0;
        if (bytes.length > 0) mem.writeBytes(ptr, bytes);
        if (!mem.writeU32(u(resultPtr), ptr)) return Status.InvalidMemoryAccess;
      }
      if (u(resultSizePtr) !== 0 && !mem.writeU32(u(resultSizePtr), bytes.length)) return Status.InvalidMemoryAccess;
      return Status.Ok;
    },

    // ---------------------------------------------------------------- logging, clock, timers
    proxy_log(level: number, messagePtr: number, messageSize: number): number {
      if (u(level) > LogLevel.Critical) return Status.BadArgument;
      const mem = memory();
      if (!mem.inBounds(u(messagePtr), u(messageSize))) return Status.InvalidMemoryAccess;
      services.log(u(level), mem.readUtf8(u(messagePtr), u(messageSize)), vm.context());
      return Status.Ok;
    },
    proxy_get_log_level(levelPtr: number): number {
      return writeU32(levelPtr, services.logLevel()) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_get_current_time_nanoseconds(timePtr: number): number {
      return memory().writeU64(u(timePtr), services.clock.wallNs()) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_set_tick_period_milliseconds(periodMs: number): number {
      services.setTickPeriod(ctx().root, u(periodMs));
      return Status.Ok;
    },

    // ---------------------------------------------------------------- buffers
    proxy_get_buffer_bytes(type: number, start: number, maxSize: number, dataPtrPtr: number, sizePtr: number): number {
      if (u(type) > Highest.Buffer) return Status.BadArgument;
      const buffer = bufferOf(ctx(), u(type));
      if (!buffer) return Status.NotFound;
      if (u(start) + u(maxSize) > 0xffffffff) return Status.BadArgument;
      const bytes = buffer.slice(u(start), u(maxSize));
      // cpp-host writes nothing for an empty range; writing (0, 0) keeps SDKs from reading stale slots.
      if (bytes.length === 0) return writeU32(dataPtrPtr, 0) && writeU32(sizePtr, 0) ? Status.Ok : Status.InvalidMemoryAccess;
      return memory().copyToPointerSize(bytes, u(dataPtrPtr), u(sizePtr)) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_set_buffer_bytes(type: number, start: number, size: number, dataPtr: number, dataSize: number): number {
      if (u(type) > Highest.Buffer) return Status.BadArgument;
      const buffer = bufferOf(ctx(), u(type));
      if (!buffer) return Status.NotFound;
      const data = readBytes(dataPtr, dataSize);
      if (!data) return Status.InvalidMemoryAccess;
      return buffer.copyFrom(u(start), u(size), data);
    },
    proxy_get_buffer_status(type: number, lengthPtr: number, flagsPtr: number): number {
      if (u(type) > Highest.Buffer) return Status.BadArgument;
      const buffer = bufferOf(ctx(), u(type));
      if (!buffer) return Status.NotFound;
      return writeU32(lengthPtr, buffer.length) && writeU32(flagsPtr, 0) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    // ---------------------------------------------------------------- header maps
    proxy_get_header_map_value(type: number, keyPtr: number, keySize: number, valuePtrPtr: number, valueSizePtr: number): number {
      if (type < 0 || type > Highest.Map) return Status.BadArgument;
      const map = readableMap(type);
      if (!map) return ctx().mapMissingIsNotFound(type) ? Status.NotFound : Status.BadArgument;
      const mem = vm.memory;
      const guest = mem.guestViews();
      if (keyPtr < 0 || keySize < 0 || keyPtr + keySize > guest.size) return Status.InvalidMemoryAccess;
      const index = map.indexOfGuestName(guest, keyPtr, keySize);
      if (index < 0) return Status.NotFound;
      const cached = map.repeatedValueBytes(index);
      const copied = cached !== undefined
        ? mem.copyCachedBytesToPointerSize(cached, valuePtrPtr >>> 0, valueSizePtr >>> 0)
        : mem.copyByteStringToPointerSize(map.valueAt(index), valuePtrPtr >>> 0, valueSizePtr >>> 0);
      return copied ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_get_header_map_pairs(type: number, dataPtrPtr: number, sizePtr: number): number {
      if (u(type) > Highest.Map) return Status.BadArgument;
      const map = readableMap(u(type));
      // cpp-host `getPairs`: an empty map is returned as an empty string.
      if (!map || map.size === 0) return memory().copyToPointerSize(new Uint8Array(0), u(dataPtrPtr), u(sizePtr)) ? Status.Ok : Status.InvalidMemoryAccess;
      return memory().copyPairsToPointerSize(map.entryNames, map.entryValues, u(dataPtrPtr), u(sizePtr)) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_set_header_map_pairs(type: number, dataPtr: number, dataSize: number): number {
      if (u(type) > Highest.Map) return Status.BadArgument;
      const context = ctx();
      const pairs = readPairs(dataPtr, dataSize);
      if (!pairs) return Status.InvalidMemoryAccess;
      const map = mapOf(context, u(type), true);
      if (!map) return Status.BadArgument;
      map.setPairs(pairs);
      context.onHeadersModified(u(type));
      return Status.Ok;
    },
    proxy_get_header_map_size(type: number, sizePtr: number): number {
      if (u(type) > Highest.Map) return Status.BadArgument;
      const map = mapOf(ctx(), u(type), true);
      if (!map) return Status.BadArgument;
      return writeU32(sizePtr, map.byteSize()) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_add_header_map_value(type: number, keyPtr: number, keySize: number, valuePtr: number, valueSize: number): number {
      return writeHeaderValue("add", type, keyPtr, keySize, valuePtr, valueSize);
    },
    proxy_replace_header_map_value(type: number, keyPtr: number, keySize: number, valuePtr: number, valueSize: number): number {
      return writeHeaderValue("replace", type, keyPtr, keySize, valuePtr, valueSize);
    },
    proxy_remove_header_map_value(type: number, keyPtr: number, keySize: number): number {
      if (u(type) > Highest.Map) return Status.BadArgument;
      const context = ctx();
      const guest = memory().guestViews();
      if (u(keyPtr) + u(keySize) > guest.size) return Status.InvalidMemoryAccess;
      const map = mapOf(context, u(type), true);
      if (!map) return Status.BadArgument;
      // Filters strip headers that are usually absent (internal ones, on every request): finding
      // the name in place avoids decoding it and rewriting the map.
      const index = map.indexOfGuestName(guest, u(keyPtr), u(keySize));
      if (index >= 0) map.removeNameOf(index);
      context.onHeadersModified(u(type));
      return Status.Ok;
    },

    // ---------------------------------------------------------------- streams, local replies
    proxy_continue_stream(type: number): number {
      if (u(type) > StreamType.Upstream) return Status.BadArgument;
      return ctx().continueStream(u(type));
    },
    proxy_close_stream(type: number): number {
      if (u(type) > StreamType.Upstream) return Status.BadArgument;
      return ctx().closeStream(u(type));
    },
    proxy_send_local_response(statusCode: number, detailsPtr: number, detailsSize: number, bodyPtr: number, bodySize: number, headersPtr: number, headersSize: number, grpcStatus: number): number {
      const details = readString(detailsPtr, detailsSize);
      const body = readBytes(bodyPtr, bodySize);
      const headers = readPairs(headersPtr, headersSize);
      if (details === undefined || body === undefined || headers === undefined) return Status.InvalidMemoryAccess;
      ctx().sendLocalResponse({ statusCode: u(statusCode), details, body, headers, grpcStatus });
      vm.stopNextIteration = true;
      return Status.Ok;
    },
    proxy_get_status(codePtr: number, messagePtrPtr: number, messageSizePtr: number): number {
      // cpp-host exports.cc get_status reads the root context of the effective context.
      const context = ctx().root;
      if (!writeU32(codePtr, context.statusCode)) return Status.InvalidMemoryAccess;
      return memory().copyByteStringToPointerSize(context.statusMessage, u(messagePtrPtr), u(messageSizePtr)) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    // ---------------------------------------------------------------- HTTP and gRPC callouts
    proxy_http_call(clusterPtr: number, clusterSize: number, headersPtr: number, headersSize: number, bodyPtr: number, bodySize: number, trailersPtr: number, trailersSize: number, timeoutMs: number, tokenPtr: number): number {
      const root = ctx().root;
      const cluster = readString(clusterPtr, clusterSize);
      const headers = readPairs(headersPtr, headersSize);
      const body = readBytes(bodyPtr, bodySize);
      const trailers = readPairs(trailersPtr, trailersSize);
      if (cluster === undefined || headers === undefined || body === undefined || trailers === undefined) return Status.InvalidMemoryAccess;
      if (!writeU32(tokenPtr, 0)) return Status.InvalidMemoryAccess;
      // Envoy takes the timeout as a signed int: a negative one is BadArgument.
      const { status, token } = services.httpCall(root, { cluster, headers, body, trailers, timeoutMs: timeoutMs | 0 });
      writeU32(tokenPtr, token);
      return status;
    },
    proxy_grpc_call(clusterPtr: number, clusterSize: number, servicePtr: number, serviceSize: number, methodPtr: number, methodSize: number, metadataPtr: number, metadataSize: number, messagePtr: number, messageSize: number, timeoutMs: number, tokenPtr: number): number {
      const root = ctx().root;
      const cluster = readString(clusterPtr, clusterSize);
      const service = readString(servicePtr, serviceSize);
      const method = readString(methodPtr, methodSize);
      const initialMetadata = readPairs(metadataPtr, metadataSize);
      const message = readBytes(messagePtr, messageSize);
      if (cluster === undefined || service === undefined || method === undefined || initialMetadata === undefined || message === undefined) {
        return Status.InvalidMemoryAccess;
      }
      const { status, token } = services.grpcCall(root, { cluster, service, method, initialMetadata, message, timeoutMs: u(timeoutMs) });
      if (status !== Status.Ok) return status;
      return writeU32(tokenPtr, token) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_grpc_stream(clusterPtr: number, clusterSize: number, servicePtr: number, serviceSize: number, methodPtr: number, methodSize: number, metadataPtr: number, metadataSize: number, tokenPtr: number): number {
      const root = ctx().root;
      const cluster = readString(clusterPtr, clusterSize);
      const service = readString(servicePtr, serviceSize);
      const method = readString(methodPtr, methodSize);
      const initialMetadata = readPairs(metadataPtr, metadataSize);
      if (cluster === undefined || service === undefined || method === undefined || initialMetadata === undefined) return Status.InvalidMemoryAccess;
      const { status, token } = services.grpcStream(root, { cluster, service, method, initialMetadata });
      if (status !== Status.Ok) return status;
      return writeU32(tokenPtr, token) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_grpc_send(token: number, messagePtr: number, messageSize: number, endStream: number): number {
      const message = readBytes(messagePtr, messageSize);
      if (!message) return Status.InvalidMemoryAccess;
      return services.grpcSend(u(token), message, endStream !== 0);
    },
    proxy_grpc_cancel(token: number): number {
      return services.grpcCancel(u(token));
    },
    proxy_grpc_close(token: number): number {
      return services.grpcClose(u(token));
    },

    // ---------------------------------------------------------------- shared data and queues
    proxy_get_shared_data(keyPtr: number, keySize: number, valuePtrPtr: number, valueSizePtr: number, casPtr: number): number {
      const key = readString(keyPtr, keySize);
      if (key === undefined) return Status.InvalidMemoryAccess;
      const entry = services.sharedData.get(services.vmId, key);
      if (!entry) return Status.NotFound;
      if (!memory().copyToPointerSize(entry.value, u(valuePtrPtr), u(valueSizePtr))) return Status.InvalidMemoryAccess;
      return writeU32(casPtr, entry.cas) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_set_shared_data(keyPtr: number, keySize: number, valuePtr: number, valueSize: number, cas: number): number {
      const key = readString(keyPtr, keySize);
      const value = readBytes(valuePtr, valueSize);
      if (key === undefined || value === undefined) return Status.InvalidMemoryAccess;
      return services.sharedData.set(services.vmId, key, value, u(cas));
    },
    proxy_register_shared_queue(namePtr: number, nameSize: number, tokenPtr: number): number {
      const name = readString(namePtr, nameSize);
      if (name === undefined) return Status.InvalidMemoryAccess;
      const token = services.registerQueue(ctx().root, name);
      return writeU32(tokenPtr, token) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_resolve_shared_queue(vmIdPtr: number, vmIdSize: number, namePtr: number, nameSize: number, tokenPtr: number): number {
      const vmId = readString(vmIdPtr, vmIdSize);
      const name = readString(namePtr, nameSize);
      if (vmId === undefined || name === undefined) return Status.InvalidMemoryAccess;
      const token = services.sharedQueues.resolve(vmId === "" ? services.vmId : textFromByteString(vmId), name);
      if (token === 0) return Status.NotFound;
      return writeU32(tokenPtr, token) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_enqueue_shared_queue(token: number, valuePtr: number, valueSize: number): number {
      const value = readBytes(valuePtr, valueSize);
      if (!value) return Status.InvalidMemoryAccess;
      return services.sharedQueues.enqueue(u(token), value);
    },
    proxy_dequeue_shared_queue(token: number, valuePtrPtr: number, valueSizePtr: number): number {
      const { status, value } = services.sharedQueues.dequeue(u(token));
      if (status !== Status.Ok || !value) return status;
      return memory().copyToPointerSize(value, u(valuePtrPtr), u(valueSizePtr)) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    // ---------------------------------------------------------------- metrics
    proxy_define_metric(type: number, namePtr: number, nameSize: number, idPtr: number): number {
      const mem = memory();
      if (!mem.inBounds(u(namePtr), u(nameSize))) return Status.InvalidMemoryAccess;
      const { status, id } = services.metrics.define(u(type), mem.readUtf8(u(namePtr), u(nameSize)));
      if (status !== Status.Ok) return status;
      return writeU32(idPtr, id) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_increment_metric(id: number, delta: bigint): number {
      return services.metrics.increment(u(id), BigInt.asIntN(64, delta));
    },
    proxy_record_metric(id: number, value: bigint): number {
      return services.metrics.record(u(id), BigInt.asUintN(64, value));
    },
    proxy_get_metric(id: number, valuePtr: number): number {
      const { status, value } = services.metrics.get(u(id));
      if (status !== Status.Ok) return status;
      return memory().writeU64(u(valuePtr), value) ? Status.Ok : Status.InvalidMemoryAccess;
    },

    // ---------------------------------------------------------------- properties
    proxy_get_property(pathPtr: number, pathSize: number, valuePtrPtr: number, valueSizePtr: number): number {
      const mem = memory();
      const guest = mem.guestViews();
      const ptr = u(pathPtr), size = u(pathSize);
      if (ptr + size > guest.size) return Status.InvalidMemoryAccess;
      let parts = propertyPaths.find(guest, ptr, size);
      if (parts === undefined) {
        parts = splitPropertyPath(mem.readByteString(ptr, size));
        propertyPaths.remember(guest, ptr, size, parts);
      }
      const value = ctx().lookupProperty(parts);
      if (!value) return Status.NotFound;
      return mem.copyShortBytesToPointerSize(value, u(valuePtrPtr), u(valueSizePtr)) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_set_property(pathPtr: number, pathSize: number, valuePtr: number, valueSize: number): number {
      const mem = memory();
      const guest = mem.guestViews();
      const ptr = u(pathPtr), size = u(pathSize), at = u(valuePtr), length = u(valueSize);
      if (ptr + size > guest.size || at + length > guest.size) return Status.InvalidMemoryAccess;
      // Filters set the same few paths, often to the same values, on every request (filter-state-writes.ts).
      const write = filterStateWrites.forPath(mem, guest, ptr, size);
      write.take(mem, guest, at, length);
      return ctx().setProperty(write.key, write.value);
    },
  };
}

/** Names of every `env` function this host provides. */
export const ENV_FUNCTION_NAMES: readonly string[] = Object.keys(
  createEnvImports({} as WasmVm, {} as HostServices),
);
