/**
 * Envoy's foreign functions (source/extensions/common/wasm/foreign.cc),
 * called through proxy_call_foreign_function.
 */
import { Status } from "./abi";
import * as host from "./hostcalls";
import { ProtobufReader, ProtobufWriter } from "./protobuf-wire";

/** Result of a foreign function: the host status and the returned bytes (empty when none). */
export class ForeignFunctionResult {
  constructor(readonly status: Status, readonly data: ArrayBuffer) {}
}

/** Calls host extension `name` with raw `args`. */
export function callForeignFunction(name: string, args: ArrayBuffer): ForeignFunctionResult {
  const data = host.callForeignFunction(name, args);
  return new ForeignFunctionResult(host.lastHostStatus(), data === null ? new ArrayBuffer(0) : data);
}

/**
 * Asks Envoy to recompute the route after this filter changed what routing
 * depends on (Envoy >= 1.33 `clear_route_cache`; arguments ignored). ABI 0.2.1
 * modules also get the cache cleared on every request-header change.
 */
export function clearRouteCache(): Status {
  return callForeignFunction("clear_route_cache", new ArrayBuffer(0)).status;
}

/** Outcome of {@link verifySignature}. */
export class SignatureVerification {
  constructor(
    /** Ok when Envoy could run the check; BadArgument for unusable arguments or key. */
    readonly status: Status,
    /** True when the signature matches. */
    readonly valid: bool,
    /** Envoy's reason when the signature does not match. */
    readonly error: string,
  ) {}
}

/**
 * Verifies `signature` over `text` with a public key, using Envoy's
 * `verify_signature` foreign function. Its argument is the protobuf
 * `envoy.source.extensions.common.wasm.VerifySignatureArguments`
 * (source/extensions/common/wasm/ext/verify_signature.proto):
 * `hash_function` = 1 (string, e.g. "sha256"), `public_key` = 2 (bytes, DER),
 * `signature` = 3 (bytes), `text` = 4 (bytes), `public_key_pem` = 5 (string;
 * newer Envoy only; exactly one of the two keys). The result is
 * `VerifySignatureResult`: `result` = 1 (bool), `error` = 2 (string).
 * Pass the key as DER in `publicKeyDer`, or as PEM in `publicKeyPem` with
 * `publicKeyDer` null.
 */
export function verifySignature(hashFunction: string, publicKeyDer: ArrayBuffer | null, signature: ArrayBuffer, text: ArrayBuffer, publicKeyPem: string = ""): SignatureVerification {
  const args = new ProtobufWriter().string(1, hashFunction);
  if (publicKeyDer !== null) args.bytes(2, publicKeyDer);
  args.bytes(3, signature).bytes(4, text).string(5, publicKeyPem);
  const result = callForeignFunction("verify_signature", args.finish());
  if (result.status != Status.Ok) return new SignatureVerification(result.status, false, "");
  let valid = false;
  let error = "";
  const reader = new ProtobufReader(result.data);
  while (reader.next()) {
    if (reader.fieldNumber == 1 && reader.wireType == 0) valid = reader.varint != 0;
    else if (reader.fieldNumber == 2 && reader.payload !== null) error = String.UTF8.decode(reader.payload!);
  }
  return new SignatureVerification(Status.Ok, valid, error);
}
