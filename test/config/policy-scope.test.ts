import { expect, test } from "vitest";
import { exportedTo, policyApplies } from "../../src/config/policy-scope.js";

const workload = { namespace: "shop", labels: { app: "cart", version: "v1" } };

test("selector-less policies apply namespace-wide, or mesh-wide from the root namespace", () => {
  expect(policyApplies({ namespace: "shop", selector: undefined }, workload, "istio-system")).toBe(true);
  expect(policyApplies({ namespace: "other", selector: undefined }, workload, "istio-system")).toBe(false);
  expect(policyApplies({ namespace: "istio-system", selector: {} }, workload, "istio-system")).toBe(true);
});

test("selectors match labels within scope", () => {
  expect(policyApplies({ namespace: "shop", selector: { app: "cart" } }, workload, "istio-system")).toBe(true);
  expect(policyApplies({ namespace: "shop", selector: { app: "cart", version: "v2" } }, workload, "istio-system")).toBe(false);
  expect(policyApplies({ namespace: "istio-system", selector: { app: "cart" } }, workload, "istio-system")).toBe(true);
  expect(policyApplies({ namespace: "other", selector: { app: "cart" } }, workload, "istio-system")).toBe(false);
});

test("exportTo", () => {
  expect(exportedTo({ namespace: "a" }, "b")).toBe(true);
  expect(exportedTo({ namespace: "a", exportTo: ["."] }, "a")).toBe(true);
  expect(exportedTo({ namespace: "a", exportTo: ["."] }, "b")).toBe(false);
  expect(exportedTo({ namespace: "a", exportTo: ["b", "c"] }, "c")).toBe(true);
});
