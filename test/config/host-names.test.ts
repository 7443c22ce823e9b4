import { expect, test } from "vitest";
import { hostAliases, hostMatches, parseServiceHost, qualifyHost } from "../../src/config/host-names.js";

test("qualifies only short names, as Istio does", () => {
  expect(qualifyHost("Reviews", "default")).toBe("reviews.default.svc.cluster.local");
  expect(qualifyHost("reviews.prod", "default")).toBe("reviews.prod");
  expect(qualifyHost("*.example.com", "default")).toBe("*.example.com");
  expect(qualifyHost("*", "default")).toBe("*");
});

test("aliases include the short name only for clients in the service's namespace", () => {
  const host = "reviews.prod.svc.cluster.local";
  expect(hostAliases(host, "prod")).toEqual([host, "reviews", "reviews.prod", "reviews.prod.svc"]);
  expect(hostAliases(host, "default")).toEqual([host, "reviews.prod", "reviews.prod.svc"]);
  expect(hostAliases("api.example.com", "default")).toEqual(["api.example.com"]);
  expect(parseServiceHost("a.b.c.svc.cluster.local")).toBeUndefined();
});

test("wildcard matching", () => {
  expect(hostMatches("*.example.com", "api.example.com")).toBe(true);
  expect(hostMatches("*.example.com", "example.com")).toBe(false);
  expect(hostMatches("*", "anything")).toBe(true);
});
