import { describe, expect, it } from "vitest";
import { Status } from "../../src/host/abi.js";
import { SharedData } from "../../src/host/shared-data.js";
import { SharedQueues } from "../../src/host/shared-queues.js";

const b = (s: string) => new Uint8Array(Buffer.from(s));

describe("SharedData (cpp-host CAS)", () => {
  it("cas 0 always writes; a stale cas is CasMismatch; namespaces are per vm_id", () => {
    const data = new SharedData();
    expect(data.get("vm", "k")).toBeUndefined();
    expect(data.set("vm", "k", b("1"), 0)).toBe(Status.Ok);
    const first = data.get("vm", "k")!;
    expect(data.set("vm", "k", b("2"), first.cas)).toBe(Status.Ok);
    expect(data.set("vm", "k", b("3"), first.cas)).toBe(Status.CasMismatch);
    expect(Buffer.from(data.get("vm", "k")!.value).toString()).toBe("2");
    expect(data.get("other", "k")).toBeUndefined();
  });
});

describe("SharedQueues", () => {
  it("resolves by vm_id + name, notifies the owner per enqueue, dequeues FIFO then Empty", () => {
    const queues = new SharedQueues();
    const ready: number[] = [];
    const token = queues.register("vm", "q", (t) => ready.push(t));
    expect(queues.register("vm", "q", (t) => ready.push(t))).toBe(token);
    expect(queues.resolve("vm", "q")).toBe(token);
    expect(queues.resolve("other", "q")).toBe(0);
    queues.enqueue(token, b("a"));
    queues.enqueue(token, b("b"));
    expect(ready).toEqual([token, token]);
    expect(Buffer.from(queues.dequeue(token).value!).toString()).toBe("a");
    expect(Buffer.from(queues.dequeue(token).value!).toString()).toBe("b");
    expect(queues.dequeue(token).status).toBe(Status.Empty);
    expect(queues.enqueue(999, b("x"))).toBe(Status.NotFound);
  });
});
