// Envoy's verify_signature foreign function as the host provides it (src/host/verify-signature.ts).
import { generateKeyPairSync, sign } from "node:crypto";
import protobuf from "protobufjs/minimal.js";
import { describe, expect, it } from "vitest";
import { Status } from "../../src/host/abi.js";
import { defaultForeignFunctions, type ForeignCall } from "../../src/host/foreign-functions.js";

const call: ForeignCall = { contextId: 1, clearRouteCache() {}, log() {} };
const verifySignature = defaultForeignFunctions().get("verify_signature")!;

function args(fields: { hash?: string; der?: Uint8Array; signature?: Uint8Array; text?: Uint8Array; pem?: string }): Uint8Array {
  const w = protobuf.Writer.create();
  if (fields.hash !== undefined) w.uint32(10).string(fields.hash);
  if (fields.der) w.uint32(18).bytes(fields.der);
  if (fields.signature) w.uint32(26).bytes(fields.signature);
  if (fields.text) w.uint32(34).bytes(fields.text);
  if (fields.pem !== undefined) w.uint32(42).string(fields.pem);
  return w.finish();
}

function result(out: ReturnType<typeof verifySignature>): { result: boolean; error: string } {
  expect(out).toBeInstanceOf(Uint8Array);
  const r = protobuf.Reader.create(out as Uint8Array);
  const decoded = { result: false, error: "" };
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === 8) decoded.result = r.bool();
    else if (tag === 18) decoded.error = r.string();
    else r.skipType(tag & 7);
  }
  return decoded;
}

const text = new TextEncoder().encode("header.payload");

describe("verify_signature", () => {
  for (const [name, pair, hash] of [
    ["RSA PKCS#1 v1.5", generateKeyPairSync("rsa", { modulusLength: 2048 }), "sha256"],
    ["ECDSA P-256 (DER signature)", generateKeyPairSync("ec", { namedCurve: "P-256" }), "SHA256"],
    ["Ed25519", generateKeyPairSync("ed25519"), "sha512"],
  ] as const) {
    it(`verifies ${name} with a DER or a PEM key, and rejects a changed text`, () => {
      const algorithm = name === "Ed25519" ? null : hash.toLowerCase();
      const signature = sign(algorithm, text, pair.privateKey);
      const der = pair.publicKey.export({ format: "der", type: "spki" });
      const pem = pair.publicKey.export({ format: "pem", type: "spki" }) as string;
      expect(result(verifySignature(args({ hash, der, signature, text }), call))).toEqual({ result: true, error: "" });
      expect(result(verifySignature(args({ hash, pem, signature, text }), call))).toEqual({ result: true, error: "" });
      expect(result(verifySignature(args({ hash, der, signature, text: new TextEncoder().encode("header.payloaD") }), call)))
        .toEqual({ result: false, error: "Failed to verify digest. Error code: 0" });
    });
  }

  it("answers an unsupported hash in the result, as Envoy does", () => {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const der = publicKey.export({ format: "der", type: "spki" });
    expect(result(verifySignature(args({ hash: "md5", der, signature: sign("sha256", text, privateKey), text }), call)))
      .toEqual({ result: false, error: "md5 is not supported." });
  });

  it("is BadArgument without a key, with both key forms, with a key that does not parse, or with garbage", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const der = publicKey.export({ format: "der", type: "spki" });
    const pem = publicKey.export({ format: "pem", type: "spki" }) as string;
    const bad = { status: Status.BadArgument };
    expect(verifySignature(args({ hash: "sha256", text }), call)).toEqual(bad);
    expect(verifySignature(args({ hash: "sha256", der, pem, text }), call)).toEqual(bad);
    expect(verifySignature(args({ hash: "sha256", der: Uint8Array.of(1, 2, 3), text }), call)).toEqual(bad);
    expect(verifySignature(Uint8Array.of(0x0a, 0xff), call)).toEqual(bad);
  });
});
