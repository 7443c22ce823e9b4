/**
 * Shared queues (cpp-host src/shared_queue.cc): a queue is registered by
 * (vm_id, name) and owned by the root context that registered it (a stream
 * context registers on behalf of its root, context.cc `registerSharedQueue`);
 * anyone can resolve it by vm_id and name and enqueue. Each enqueue tells the
 * owner through proxy_on_queue_ready(root_context_id, token). Registering the
 * same (vm_id, name) again keeps the token and moves ownership.
 */
import { Status } from "./abi.js";

/** Who gets told that a queue has data. */
export type QueueReadyListener = (token: number) => void;

interface Queue {
  token: number;
  vmId: string;
  name: string;
  items: Uint8Array[];
  onReady: QueueReadyListener;
}

export class SharedQueues {
  private readonly byToken = new Map<number, Queue>();
  private readonly byName = new Map<string, Queue>();
  private nextToken = 1;

  register(vmId: string, name: string, onReady: QueueReadyListener): number {
    const key = `${vmId}\0${name}`;
    const existing = this.byName.get(key);
    if (existing) {
      existing.onReady = onReady;
      return existing.token;
    }
    const queue: Queue = { token: this.nextToken++, vmId, name, items: [], onReady };
    this.byName.set(key, queue);
    this.byToken.set(queue.token, queue);
    return queue.token;
  }

  /** Token of (vmId, name), or 0. */
  resolve(vmId: string, name: string): number {
    return this.byName.get(`${vmId}\0${name}`)?.token ?? 0;
  }

  enqueue(token: number, value: Uint8Array): Status {
    const queue = this.byToken.get(token);
    if (!queue) return Status.NotFound;
    queue.items.push(value.slice());
    queue.onReady(token);
    return Status.Ok;
  }

  dequeue(token: number): { status: Status; value?: Uint8Array } {
    const queue = this.byToken.get(token);
    if (!queue) return { status: Status.NotFound };
    const value = queue.items.shift();
    return value ? { status: Status.Ok, value } : { status: Status.Empty };
  }

  /** Number of items waiting in a queue (tests). */
  depth(token: number): number {
    return this.byToken.get(token)?.items.length ?? 0;
  }
}
