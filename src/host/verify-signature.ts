/**
 * Envoy's `verify_signature` foreign function (envoy source/extensions/common/wasm/foreign.cc,
 * source/common/crypto/utility_impl.cc), with Node's crypto (OpenSSL) in place of BoringSSL.
 *
 * Arguments: `VerifySignatureArguments` (ext/verify_signature.proto): hash_function = 1 (string),
 * public_key = 2 (bytes, DER SubjectPublicKeyInfo), signature = 3, text = 4, public_key_pem = 5.
 * Result: `VerifySignatureResult`: result = 1 (bool), error = 2 (string).
 * - unparseable arguments, no key, both a DER and a PEM key, or a key that does not import: BadArgument;
 * - hash other than sha1/sha224/sha256/sha384/sha512 (any case): result false, "<hash> is not supported.";
 * - otherwise EVP_DigestVerify semantics (RSA PKCS#1 v1.5, ECDSA with DER signatures, Ed25519 hashless):
 *   result true, or false with "Failed to verify digest. Error code: 0".
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import protobuf from "protobufjs/minimal.js";
import { Status } from "./abi.js";
import type { ForeignFunction } from "./foreign-functions.js";

interface VerifySignatureArguments {
  hashFunction: string;
  publicKey: Uint8Array;
  signature: Uint8Array;
  text: Uint8Array;
  publicKeyPem: string;
}

const SUPPORTED_HASHES = new Set(["sha1", "sha224", "sha256", "sha384", "sha512"]);

function parseArguments(bytes: Uint8Array): VerifySignatureArguments | undefined {
  const args: VerifySignatureArguments = { hashFunction: "", publicKey: new Uint8Array(0), signature: new Uint8Array(0), text: new Uint8Array(0), publicKeyPem: "" };
  try {
    const reader = protobuf.Reader.create(bytes);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      switch (tag) {
        case (1 << 3) | 2: args.hashFunction = reader.string(); break;
        case (2 << 3) | 2: args.publicKey = reader.bytes(); break;
        case (3 << 3) | 2: args.signature = reader.bytes(); break;
        case (4 << 3) | 2: args.text = reader.bytes(); break;
        case (5 << 3) | 2: args.publicKeyPem = reader.string(); break;
        default: reader.skipType(tag & 7);
      }
    }
    return args;
  } catch {
    return undefined;
  }
}

function importKey(args: VerifySignatureArguments): KeyObject | undefined {
  const hasPem = args.publicKeyPem.length > 0;
  const hasDer = args.publicKey.length > 0;
  if (hasPem === hasDer) return undefined;
  try {
    return hasPem
      ? createPublicKey({ key: args.publicKeyPem, format: "pem" })
      : createPublicKey({ key: Buffer.from(args.publicKey), format: "der", type: "spki" });
  } catch {
    return undefined;
  }
}

function encodeResult(result: boolean, error: string): Uint8Array {
  const writer = protobuf.Writer.create();
  writer.uint32((1 << 3) | 0).bool(result);
  if (error) writer.uint32((2 << 3) | 2).string(error);
  return writer.finish();
}

export const verifySignature: ForeignFunction = (argumentBytes) => {
  const args = parseArguments(argumentBytes);
  if (!args) return { status: Status.BadArgument };
  const key = importKey(args);
  if (!key) return { status: Status.BadArgument };
  const hash = args.hashFunction.toLowerCase();
  if (!SUPPORTED_HASHES.has(hash)) return encodeResult(false, `${args.hashFunction} is not supported.`);
  let ok = false;
  try {
    // Ed25519 signs the message itself: OpenSSL's EVP_DigestVerify ignores the digest for it.
    const algorithm = key.asymmetricKeyType === "ed25519" || key.asymmetricKeyType === "ed448" ? null : hash;
    ok = verify(algorithm, args.text, key, args.signature);
  } catch {
    ok = false;
  }
  return ok ? encodeResult(true, "") : encodeResult(false, "Failed to verify digest. Error code: 0");
};
