/**
 * The host clock. In "manual" mode (tests) time moves only when
 * `advance(ms)` is called, and every timer that falls due runs in time order
 * during that call. In "real" mode timers are Node timers, unref'd so that a
 * forgotten plugin never keeps the process alive.
 */

export type ClockMode = "manual" | "real";

/** A scheduled callback; cancel() is idempotent. */
export interface ScheduledTask {
  cancel(): void;
}

interface ManualTask {
  dueMs: number;
  periodMs: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

export class HostClock {
  private manualNowMs = 0;
  private readonly tasks: ManualTask[] = [];
  private seq = 0;
  private readonly startWallNs: bigint;
  private readonly startHr = process.hrtime.bigint();
  /** wallNs() of manual mode, for the manual time it was computed at. */
  private wallNsAtMs = Number.NaN;
  private manualWallNs = 0n;

  constructor(readonly mode: ClockMode = "manual", startTimeNs?: bigint) {
    this.startWallNs = startTimeNs ?? BigInt(Date.now()) * 1_000_000n;
  }

  /** Milliseconds since the host started (monotonic). */
  elapsedMs(): number {
    if (this.mode === "manual") return this.manualNowMs;
    return Number(process.hrtime.bigint() - this.startHr) / 1e6;
  }

  /** Wall-clock time in Unix nanoseconds (proxy_get_current_time_nanoseconds). */
  wallNs(): bigint {
    if (this.mode === "manual") {
      // Every stream start and clock read asks; manual time moves rarely, and BigInt arithmetic costs ~50 ns a step here.
      if (this.wallNsAtMs !== this.manualNowMs) {
        this.wallNsAtMs = this.manualNowMs;
        this.manualWallNs = this.startWallNs + BigInt(Math.round(this.manualNowMs * 1e6));
      }
      return this.manualWallNs;
    }
    return this.startWallNs + (process.hrtime.bigint() - this.startHr);
  }

  /** Monotonic nanoseconds since the host started (WASI clock 1). */
  monotonicNs(): bigint {
    if (this.mode === "manual") return BigInt(Math.round(this.manualNowMs * 1e6));
    return process.hrtime.bigint() - this.startHr;
  }

  /** Runs `run` once after `delayMs`. */
  after(delayMs: number, run: () => void): ScheduledTask {
    return this.schedule(delayMs, 0, run);
  }

  /** Runs `run` every `periodMs` (> 0). */
  every(periodMs: number, run: () => void): ScheduledTask {
    return this.schedule(periodMs, periodMs, run);
  }

  private schedule(delayMs: number, periodMs: number, run: () => void): ScheduledTask {
    if (this.mode === "real") {
      const handle = periodMs > 0 ? setInterval(run, periodMs) : setTimeout(run, Math.max(0, delayMs));
      handle.unref();
      return { cancel: () => (periodMs > 0 ? clearInterval(handle) : clearTimeout(handle)) };
    }
    const task: ManualTask = { dueMs: this.manualNowMs + Math.max(0, delayMs), periodMs, seq: this.seq++, run, cancelled: false };
    this.tasks.push(task);
    return {
      cancel: () => {
        task.cancelled = true;
        const i = this.tasks.indexOf(task);
        if (i >= 0) this.tasks.splice(i, 1);
      },
    };
  }

  /**
   * Manual mode: moves time forward by `ms`, running each due task at its own
   * due time (earliest first, then in scheduling order). In real mode this
   * throws, since real time cannot be moved.
   */
  advance(ms: number): void {
    if (this.mode === "real") throw new Error("advance() needs a manual clock");
    if (!(ms >= 0)) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    const target = this.manualNowMs + ms;
    for (;;) {
      let next: ManualTask | undefined;
      for (const task of this.tasks) {
        if (task.dueMs > target) continue;
        if (!next || task.dueMs < next.dueMs || (task.dueMs === next.dueMs && task.seq < next.seq)) next = task;
      }
      if (!next) break;
      this.manualNowMs = Math.max(this.manualNowMs, next.dueMs);
      if (next.periodMs > 0) {
        next.dueMs += next.periodMs;
        next.seq = this.seq++;
      } else {
        this.tasks.splice(this.tasks.indexOf(next), 1);
      }
      next.run();
    }
    this.manualNowMs = target;
  }

  /** Number of pending manual tasks (tests). */
  get pendingTasks(): number {
    return this.tasks.length;
  }
}
