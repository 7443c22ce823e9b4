/**
 * Shared queues: a root context registers a queue by name and gets
 * onQueueReady when items arrive; any VM can resolve it by (vm_id, name) and
 * enqueue.
 */
import { Status } from "./abi";
import * as host from "./hostcalls";
import { utf8 } from "./memory";

export class SharedQueue {
  constructor(readonly id: u32) {}

  /** Registers queue `name` owned by the current root context; null when the host refused. */
  static register(name: string): SharedQueue | null {
    const id = host.registerSharedQueue(name);
    return host.lastHostStatus() == Status.Ok ? new SharedQueue(id) : null;
  }

  /** Finds queue `name` registered by VM `vmId`; null when it does not exist. */
  static resolve(vmId: string, name: string): SharedQueue | null {
    const id = host.resolveSharedQueue(vmId, name);
    return host.lastHostStatus() == Status.Ok ? new SharedQueue(id) : null;
  }

  enqueue(value: ArrayBuffer): Status { return host.enqueueSharedQueue(this.id, value); }

  enqueueText(value: string): Status { return host.enqueueSharedQueue(this.id, utf8(value)); }

  /** The oldest item, or null when the queue is empty (or gone). */
  dequeue(): ArrayBuffer | null { return host.dequeueSharedQueue(this.id); }

  /** {@link dequeue} decoded as UTF-8. */
  dequeueText(): string | null {
    const value = host.dequeueSharedQueue(this.id);
    if (value === null) return null;
    return String.UTF8.decode(value);
  }
}
