// Names of google.rpc.Code, in code order, as Istio's `abort.grpcStatus` spells them.
const GRPC_STATUS_NAMES = [
  "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
  "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
  "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
];

/** The numeric gRPC status for its name, or -1. */
export function grpcStatusCode(name: string): i32 {
  return GRPC_STATUS_NAMES.indexOf(name);
}
