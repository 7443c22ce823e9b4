// clearRouteCache and verifySignature through proxy_call_foreign_function (module test/modules/sdk-root).
// The test plays Envoy's `verify_signature` (source/extensions/common/wasm/foreign.cc): it parses
// VerifySignatureArguments from the protobuf wire format and answers with VerifySignatureResult.
import { createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ProxyHost, Status, type ForeignFunction, type Plugin } from "../../src/host/index.js";
import { testModule } from "./module-path.js";

function readVarint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

/** Top-level length-delimited fields by number; throws on other wire types. */
function parseFields(bytes: Uint8Array): Map<number, Uint8Array> {
  const fields = new Map<number, Uint8Array>();
  let at = 0;
  while (at < bytes.length) {
    const [key, afterKey] = readVarint(bytes, at);
    if ((key & 7) !== 2) throw new Error(`unexpected wire type ${key & 7}`);
    const [length, afterLength] = readVarint(bytes, afterKey);
    fields.set(key >>> 3, bytes.subarray(afterLength, afterLength + length));
    at = afterLength + length;
  }
  return fields;
}

function encodeResult(result: boolean, error: string): Uint8Array {
  const text = Buffer.from(error);
  const parts = [0x08, result ? 1 : 0];
  if (text.length > 0) parts.push(0x12, text.length, ...text);
  return Uint8Array.from(parts);
}

const seenArguments: Map<number, Uint8Array>[] = [];

const verifySignature: ForeignFunction = (args) => {
  const fields = parseFields(args);
  seenArguments.push(fields);
  const hash = Buffer.from(fields.get(1) ?? []).toString();
  const der = fields.get(2);
  const pem = fields.get(5);
  if ((der === undefined) === (pem === undefined)) return { status: Status.BadArgument };
  const key = der ? createPublicKey({ key: Buffer.from(der), format: "der", type: "spki" }) : createPublicKey(Buffer.from(pem!).toString());
  const ok = verify(hash, fields.get(4) ?? new Uint8Array(0), key, fields.get(3) ?? new Uint8Array(0));
  return encodeResult(ok, ok ? "" : "Failed to verify digest. Error code: 0");
};

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const der = publicKey.export({ type: "spki", format: "der" });
const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
const text = "signed payload";
const signature = sign("sha256", Buffer.from(text), privateKey);

let plugin: Plugin;
let routeCacheClears = 0;

beforeAll(async () => {
  plugin = await new ProxyHost().startPlugin({
    wasm: testModule("sdk-root"), rootId: "sdk-root",
    foreignFunctions: {
      verify_signature: verifySignature,
      clear_route_cache: (_args, call) => {
        routeCacheClears++;
        call.clearRouteCache();
        return undefined;
      },
    },
  });
});

function callForeign(headers: Record<string, string>): string[] {
  const http = plugin.newHttpContext();
  http.callOnRequestHeaders({ ":method": "GET", ":path": "/", ":authority": "a", "x-scenario": "foreign", ...headers }, true);
  return http.localResponse!.bodyText.split("\n");
}

describe("clearRouteCache", () => {
  it("calls clear_route_cache", () => {
    const before = routeCacheClears;
    expect(callForeign({ "x-key": der.toString("hex"), "x-signature": signature.toString("hex"), "x-text": text })[0]).toBe(`clear=${Status.Ok}`);
    expect(routeCacheClears).toBe(before + 1);
  });
});

describe("verifySignature", () => {
  it("encodes VerifySignatureArguments with a DER key", () => {
    seenArguments.length = 0;
    const lines = callForeign({ "x-key": der.toString("hex"), "x-signature": signature.toString("hex"), "x-text": text });
    expect(lines[1]).toBe(`verify status=${Status.Ok} valid=true error=`);
    const fields = seenArguments[0]!;
    expect([...fields.keys()]).toEqual([1, 2, 3, 4]);
    expect(Buffer.from(fields.get(1)!).toString()).toBe("sha256");
    expect(Buffer.from(fields.get(2)!)).toEqual(der);
    expect(Buffer.from(fields.get(3)!)).toEqual(signature);
    expect(Buffer.from(fields.get(4)!).toString()).toBe(text);
  });

  it("reports a signature over other text as invalid, with Envoy's error", () => {
    const lines = callForeign({ "x-key": der.toString("hex"), "x-signature": signature.toString("hex"), "x-text": "tampered" });
    expect(lines[1]).toBe(`verify status=${Status.Ok} valid=false error=Failed to verify digest. Error code: 0`);
  });

  it("sends a PEM key in field 5 instead of field 2", () => {
    seenArguments.length = 0;
    const lines = callForeign({ "x-key-pem": pem.trim().replaceAll("\n", "|"), "x-signature": signature.toString("hex"), "x-text": text });
    expect(lines[1]).toBe(`verify status=${Status.Ok} valid=true error=`);
    expect([...seenArguments[0]!.keys()]).toEqual([1, 3, 4, 5]);
  });

  it("passes the host's status through when the arguments are unusable", () => {
    const lines = callForeign({ "x-key": "", "x-signature": signature.toString("hex"), "x-text": text });
    expect(lines[1]).toBe(`verify status=${Status.BadArgument} valid=false error=`);
  });
});
