// SharedQueue register/resolve/enqueue/dequeue and onQueueReady (module test/modules/sdk-root).
import { expect, it } from "vitest";
import { ProxyHost, Status } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

it("delivers enqueued items to the registering root context", async () => {
  const host = new ProxyHost();
  const plugin = await host.startPlugin({ wasm: testModule("sdk-root"), rootId: "sdk-root", vmId: "vm-1" });
  for (const item of ["a", "b"]) {
    const http = plugin.newHttpContext();
    http.callOnRequestHeaders({ ":method": "GET", ":path": "/", ":authority": "a", "x-scenario": "enqueue", "x-item": item }, true);
    expect(http.localResponse?.bodyText).toBe(`enqueue=${Status.Ok} missing=null`);
  }
  await host.settle();
  expect(plugin.logs().filter((line) => line.startsWith("dequeued"))).toEqual(["dequeued a", "dequeued b"]);
});
