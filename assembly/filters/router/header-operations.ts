import { HeaderMap } from "../../sdk";
import { HeaderOperations, HeadersPolicy } from "./model";

/** Applies Istio HeaderOperations in Envoy's order: remove, then set (overwrite), then add (append). */
export function applyHeaderOperations(operations: HeaderOperations | null, headers: HeaderMap): void {
  if (operations === null) return;
  for (let i = 0; i < operations.removals.length; i++) headers.remove(operations.removals[i]);
  for (let i = 0; i < operations.overwrite.length; i++) headers.replace(operations.overwrite[i].name, operations.overwrite[i].value);
  for (let i = 0; i < operations.append.length; i++) headers.add(operations.append[i].name, operations.append[i].value);
}

export function requestOperations(policy: HeadersPolicy | null): HeaderOperations | null {
  return policy === null ? null : policy.request;
}

export function responseOperations(policy: HeadersPolicy | null): HeaderOperations | null {
  return policy === null ? null : policy.response;
}
