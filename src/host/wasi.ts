/**
 * The WASI preview1 subset the proxy-wasm spec names, as cpp-host implements
 * it (src/exports.cc `wasi_unstable_*`): stdout/stderr become logs (info /
 * error, one trailing newline dropped), the clock is the host clock, there
 * are no arguments, the environment is what the plugin was given, and
 * proc_exit only logs an error (it does not stop the module).
 */
import { randomFillSync } from "node:crypto";
import { LogLevel } from "./abi.js";
import type { HostServices } from "./host-services.js";
import type { WasmVm } from "./vm.js";

const ESUCCESS = 0;
const EBADF = 8;
const EFAULT = 21;
const ENOSYS = 52;
const ENOTSUP = 58;

export function createWasiImports(vm: WasmVm, services: HostServices): Record<string, (...args: never[]) => unknown> {
  const u = (n: number) => n >>> 0;
  const environ = services.environment.map(([k, v]) => Buffer.from(`${k}=${v}\0`, "utf8"));

  return {
    fd_write(fd: number, iovs: number, iovsLen: number, writtenPtr: number): number {
      const level = fd === 1 ? LogLevel.Info : fd === 2 ? LogLevel.Error : undefined;
      if (level === undefined) return EBADF;
      const mem = vm.memory;
      const chunks: Buffer[] = [];
      for (let i = 0; i < u(iovsLen); i++) {
        const entry = u(iovs) + i * 8;
        if (!mem.inBounds(entry, 8)) return EFAULT;
        const ptr = mem.readU32(entry);
        const len = mem.readU32(entry + 4);
        if (len === 0) continue;
        if (!mem.inBounds(ptr, len)) return EFAULT;
        chunks.push(Buffer.from(mem.readBytes(ptr, len)));
      }
      const all = Buffer.concat(chunks);
      if (all.length > 0) {
        const text = all.toString("utf8");
        services.log(level, text.endsWith("\n") ? text.slice(0, -1) : text, vm.context());
      }
      return mem.writeU32(u(writtenPtr), all.length) ? ESUCCESS : EFAULT;
    },
    fd_read(): number {
      return ENOSYS;
    },
    fd_close(): number {
      services.log(LogLevel.Error, "wasi_unstable fd_close", vm.context());
      return ESUCCESS;
    },
    fd_seek(): number {
      services.log(LogLevel.Error, "wasi_unstable fd_seek", vm.context());
      return ESUCCESS;
    },
    fd_fdstat_get(fd: number, statPtr: number): number {
      if (fd !== 1 && fd !== 2) return EBADF;
      const stat = new Uint8Array(24);
      new DataView(stat.buffer).setBigUint64(8, 64n, true);
      return vm.memory.writeBytes(u(statPtr), stat) ? ESUCCESS : EFAULT;
    },
    fd_prestat_get(): number {
      return EBADF;
    },
    fd_prestat_dir_name(): number {
      return ENOSYS;
    },
    clock_time_get(clockId: number, _precision: bigint, timePtr: number): number {
      let now: bigint;
      if (clockId === 0) now = services.clock.wallNs();
      else if (clockId === 1) now = services.clock.monotonicNs();
      else return ENOTSUP;
      return vm.memory.writeU64(u(timePtr), now) ? ESUCCESS : EFAULT;
    },
    random_get(bufPtr: number, bufLen: number): number {
      const bytes = randomFillSync(new Uint8Array(u(bufLen)));
      return vm.memory.writeBytes(u(bufPtr), bytes) ? ESUCCESS : EFAULT;
    },
    environ_sizes_get(countPtr: number, sizePtr: number): number {
      const size = environ.reduce((n, e) => n + e.length, 0);
      return vm.memory.writeU32(u(countPtr), environ.length) && vm.memory.writeU32(u(sizePtr), size) ? ESUCCESS : EFAULT;
    },
    environ_get(arrayPtr: number, bufPtr: number): number {
      let entry = u(arrayPtr);
      let buf = u(bufPtr);
      for (const e of environ) {
        if (!vm.memory.writeU32(entry, buf) || !vm.memory.writeBytes(buf, e)) return EFAULT;
        entry += 4;
        buf += e.length;
      }
      return ESUCCESS;
    },
    args_sizes_get(countPtr: number, sizePtr: number): number {
      return vm.memory.writeU32(u(countPtr), 0) && vm.memory.writeU32(u(sizePtr), 0) ? ESUCCESS : EFAULT;
    },
    args_get(): number {
      return ESUCCESS;
    },
    proc_exit(): void {
      services.log(LogLevel.Error, "wasi_unstable proc_exit", vm.context());
    },
  };
}

/** Names of every WASI function this host provides. */
export const WASI_FUNCTION_NAMES: readonly string[] = Object.keys(createWasiImports({} as WasmVm, { environment: [] } as unknown as HostServices));
