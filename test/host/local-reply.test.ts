import { describe, expect, it } from "vitest";
import { buildLocalResponse, grpcStatusForHttp, isGrpcContentType } from "../../src/host/local-reply.js";

const body = new Uint8Array(Buffer.from("denied"));

describe("local replies (Envoy sendLocalReply)", () => {
  it("plain HTTP: status, text/plain body, extra headers lowercased and appended, details without whitespace", () => {
    const r = buildLocalResponse({ statusCode: 401, details: "no token\there", body, headers: [["X-Why", "jwt"]], grpcStatus: -1 }, false);
    expect(r.status).toBe(401);
    expect(r.details).toBe("no_token_here");
    expect(r.headers).toEqual([[":status", "401"], ["content-length", "6"], ["content-type", "text/plain"], ["x-why", "jwt"]]);
    expect(r.grpcStatus).toBe(-1);
  });

  it("gRPC request: trailers-only 200 with grpc-status (given or mapped) and grpc-message", () => {
    const given = buildLocalResponse({ statusCode: 403, details: "", body, headers: [], grpcStatus: 7 }, true);
    expect(given.status).toBe(200);
    expect(given.headers).toContainEqual(["grpc-status", "7"]);
    expect(given.headers).toContainEqual(["grpc-message", "denied"]);
    const mapped = buildLocalResponse({ statusCode: 401, details: "", body, headers: [], grpcStatus: 42 }, true);
    expect(mapped.grpcStatus).toBe(16);
    expect(grpcStatusForHttp(503)).toBe(14);
    expect(grpcStatusForHttp(418)).toBe(2);
  });

  it("recognises gRPC content types", () => {
    expect(isGrpcContentType("application/grpc")).toBe(true);
    expect(isGrpcContentType("application/grpc+proto")).toBe(true);
    expect(isGrpcContentType("application/grpcx")).toBe(false);
    expect(isGrpcContentType(undefined)).toBe(false);
  });
});
