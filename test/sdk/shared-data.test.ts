// getSharedData / setSharedData with CAS (module test/modules/sdk-root, scenario "shared-data").
import { expect, it } from "vitest";
import { ProxyHost, Status } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

const request = { ":method": "GET", ":path": "/", ":authority": "a", "x-scenario": "shared-data" };

it("returns value and CAS, and refuses a write with a stale CAS", async () => {
  const host = new ProxyHost();
  const plugin = await host.startPlugin({ wasm: testModule("sdk-root"), rootId: "sdk-root" });
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders(request, true);
  expect(http.localResponse?.bodyText.split("\n")).toEqual([
    `initial=<none> status=${Status.NotFound}`,
    `set0=${Status.Ok}`,
    "read=one cas=set",
    `setWithCas=${Status.Ok}`,
    `setStaleCas=${Status.CasMismatch}`,
    "final=two casChanged=yes",
  ]);
});

it("shares values between plugins of one host", async () => {
  const host = new ProxyHost();
  const first = await host.startPlugin({ wasm: testModule("sdk-root"), rootId: "sdk-root", name: "first" });
  const second = await host.startPlugin({ wasm: testModule("sdk-root"), rootId: "sdk-root", name: "second" });
  first.newHttpContext().callOnRequestHeaders(request, true);
  const http = second.newHttpContext();
  http.callOnRequestHeaders(request, true);
  // The second plugin finds the first one's value, and its unconditional write wins.
  expect(http.localResponse?.bodyText.split("\n").slice(0, 2)).toEqual([`initial=two status=${Status.Ok}`, `set0=${Status.Ok}`]);
});
