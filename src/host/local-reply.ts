/**
 * Local replies (proxy_send_local_response), shaped like Envoy's
 * `Utility::sendLocalReply` (envoy source/common/http/utility.cc) as called
 * from `Context::sendLocalResponse` (source/extensions/common/wasm/context.cc):
 * details have whitespace replaced by `_`, extra headers are lowercased and
 * appended, grpc_status counts only when 0..16, and a gRPC request gets a
 * trailers-only reply (HTTP 200, grpc-status, grpc-message = body).
 */
import { GrpcStatus } from "./abi.js";
import { asciiLowercase, bytesToText, textFromByteString } from "./byte-strings.js";

export interface LocalResponse {
  /** HTTP status sent to the client (200 for a gRPC trailers-only reply). */
  status: number;
  /** Status the module asked for. */
  requestedStatus: number;
  body: Uint8Array;
  bodyText: string;
  /** Response headers, `:status` first (UTF-8 text). */
  headers: [string, string][];
  /** Response code details (Envoy's `%RESPONSE_CODE_DETAILS%`). */
  details: string;
  /** grpc-status sent (gRPC requests), else the module's value when 0..16, else -1. */
  grpcStatus: number;
}

/** What the module asked for, in byte strings. */
export interface LocalReplyRequest {
  statusCode: number;
  details: string;
  body: Uint8Array;
  headers: [string, string][];
  grpcStatus: number;
}

/** Envoy's `Grpc::Utility::httpToGrpcStatus` (source/common/grpc/status.cc). */
export function grpcStatusForHttp(status: number): GrpcStatus {
  switch (status) {
    case 400: return GrpcStatus.Internal;
    case 401: return GrpcStatus.Unauthenticated;
    case 403: return GrpcStatus.PermissionDenied;
    case 404: return GrpcStatus.Unimplemented;
    case 429: case 502: case 503: case 504: return GrpcStatus.Unavailable;
    default: return GrpcStatus.Unknown;
  }
}

/** Envoy's `StringUtil::replaceAllEmptySpace`. */
export function detailsWithoutWhitespace(details: string): string {
  return details.replace(/[ \t\f\v\n\r]/g, "_");
}

/** A request is gRPC when its content-type starts with application/grpc (Envoy `Grpc::Common::isGrpcRequestHeaders`). */
export function isGrpcContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return contentType === "application/grpc" || contentType.startsWith("application/grpc+") || contentType.startsWith("application/grpc;");
}

export function buildLocalResponse(request: LocalReplyRequest, isGrpcRequest: boolean): LocalResponse {
  const grpcValid = request.grpcStatus >= 0 && request.grpcStatus <= 16;
  const details = detailsWithoutWhitespace(textFromByteString(request.details));
  const extra = request.headers.map(([k, v]): [string, string] => [textFromByteString(asciiLowercase(k)), textFromByteString(v)]);
  const bodyText = bytesToText(request.body);
  if (isGrpcRequest) {
    const grpcStatus = grpcValid ? request.grpcStatus : grpcStatusForHttp(request.statusCode);
    const headers: [string, string][] = [[":status", "200"], ["content-type", "application/grpc"], ["grpc-status", String(grpcStatus)]];
    if (bodyText.length > 0) headers.push(["grpc-message", bodyText]);
    headers.push(...extra);
    return { status: 200, requestedStatus: request.statusCode, body: new Uint8Array(0), bodyText: "", headers, details, grpcStatus };
  }
  const headers: [string, string][] = [[":status", String(request.statusCode)]];
  if (request.body.byteLength > 0) {
    headers.push(["content-length", String(request.body.byteLength)], ["content-type", "text/plain"]);
  }
  headers.push(...extra);
  return {
    status: request.statusCode, requestedStatus: request.statusCode, body: request.body, bodyText, headers, details,
    grpcStatus: grpcValid ? request.grpcStatus : -1,
  };
}
