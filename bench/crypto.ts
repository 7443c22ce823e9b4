// The standalone crypto module (build/crypto.wasm as shipped, with SIMD, and its scalar fallback
// build) next to node:crypto (OpenSSL) in the same run: RS256 verify with a 2048-bit key and SHA-256 of 1 KB.
import { constants, createHash, generateKeyPairSync, randomBytes, sign, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { compileAssemblyScript } from "../src/build/compile.js";
import { REPOSITORY_MODULE_FLAGS } from "../src/cli/build.js";
import protobuf from "protobufjs/minimal.js";
import { verifySignature as verifySignatureForeign } from "../src/host/verify-signature.js";
import { interleavedMediansNs, row, type BenchRow } from "./measure.js";

const FOREIGN_CALL = { contextId: 0, clearRouteCache() {}, log() {} };
const ES256 = 7;

const ENTRY = "assembly/filters/crypto/index.ts";
const RS256 = 1;
const ROUNDS = 31;

interface CryptoModule {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  verify(algorithm: number, key: number, keyLength: number, message: number, messageLength: number, signature: number, signatureLength: number): number;
  sha256(data: number, length: number, out: number): void;
}

async function load(variant: "scalar" | "simd"): Promise<CryptoModule> {
  // The SIMD build is compiled with the flags `npm run build` ships build/crypto.wasm with.
  const flags = variant === "simd" ? [...(REPOSITORY_MODULE_FLAGS.crypto ?? [])] : [];
  const built = await compileAssemblyScript(ENTRY, `build/bench/crypto-${variant}.wasm`, flags);
  const { instance } = await WebAssembly.instantiate(readFileSync(built.outFile), {});
  (instance.exports._initialize as () => void)();
  return instance.exports as unknown as CryptoModule;
}

function put(module: CryptoModule, bytes: Uint8Array): number {
  const ptr = module.alloc(bytes.length);
  new Uint8Array(module.memory.buffer, ptr, bytes.length).set(bytes);
  return ptr;
}

/** Medians of several functions measured in alternating rounds, after a warm-up of each. */
function interleavedMedians(inner: number, fns: (() => void)[]): number[] {
  for (const fn of fns) for (let i = 0; i < inner * 3; i++) fn();
  return interleavedMediansNs(ROUNDS, inner, fns);
}

export async function benchCrypto(): Promise<BenchRow[]> {
  const modules = { scalar: await load("scalar"), simd: await load("simd") };
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  const n = Buffer.from(jwk.n!, "base64url");
  const e = Buffer.from(jwk.e!, "base64url");
  const key = Buffer.alloc(8 + n.length + e.length);
  key.writeUInt32LE(n.length, 0);
  n.copy(key, 4);
  key.writeUInt32LE(e.length, 4 + n.length);
  e.copy(key, 8 + n.length);
  // A typical JWS signing input: base64url header.payload of a few hundred bytes.
  const message = Buffer.from(randomBytes(240).toString("base64url"));
  const signature = sign("sha256", message, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });

  const verifyIn = (module: CryptoModule) => {
    const k = put(module, key);
    const m = put(module, message);
    const s = put(module, signature);
    if (module.verify(RS256, k, key.length, m, message.length, s, signature.length) !== 1) throw new Error("RS256 verify failed in the crypto module");
    return () => { module.verify(RS256, k, key.length, m, message.length, s, signature.length); };
  };
  const nodeVerify = () => { verify("sha256", message, publicKey, signature); };
  const [nodeRs, scalarRs, simdRs] = interleavedMedians(50, [nodeVerify, verifyIn(modules.scalar), verifyIn(modules.simd)]);

  // The other path a filter may take: Envoy's verify_signature foreign function, served by the host with
  // Node's crypto (src/host/verify-signature.ts); the key is imported per call, as Envoy does.
  const der = publicKey.export({ format: "der", type: "spki" });
  const foreignArgs = protobuf.Writer.create().uint32(10).string("sha256").uint32(18).bytes(der).uint32(26).bytes(signature).uint32(34).bytes(message).finish();
  const foreignVerify = () => { verifySignatureForeign(foreignArgs, FOREIGN_CALL); };
  const [nodeRs2, foreignRs] = interleavedMedians(50, [nodeVerify, foreignVerify]);

  // ES256: raw X|Y key and r|s signature, as JWS carries them.
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ecJwk = ec.publicKey.export({ format: "jwk" });
  const ecKey = Buffer.concat([Buffer.from(ecJwk.x!, "base64url"), Buffer.from(ecJwk.y!, "base64url")]);
  const ecSignature = sign("sha256", message, { key: ec.privateKey, dsaEncoding: "ieee-p1363" });
  const es256In = (module: CryptoModule) => {
    const k = put(module, ecKey);
    const m = put(module, message);
    const s = put(module, ecSignature);
    if (module.verify(ES256, k, ecKey.length, m, message.length, s, ecSignature.length) !== 1) throw new Error("ES256 verify failed in the crypto module");
    return () => { module.verify(ES256, k, ecKey.length, m, message.length, s, ecSignature.length); };
  };
  const nodeEs = () => { verify("sha256", message, { key: ec.publicKey, dsaEncoding: "ieee-p1363" }, ecSignature); };
  const [nodeEs256, wasmEs256, scalarEs256] = interleavedMedians(50, [nodeEs, es256In(modules.simd), es256In(modules.scalar)]);

  const kilobyte = randomBytes(1024);
  const hashIn = (module: CryptoModule) => {
    const data = put(module, kilobyte);
    const out = module.alloc(32);
    return () => module.sha256(data, kilobyte.length, out);
  };
  const nodeHash = () => { createHash("sha256").update(kilobyte).digest(); };
  const [nodeSha, scalarSha, simdSha] = interleavedMedians(2000, [nodeHash, hashIn(modules.scalar), hashIn(modules.simd)]);

  return [
    row("RS256 verify, 2048-bit (crypto.wasm as shipped: SIMD)", simdRs!, nodeRs!, "node crypto.verify (OpenSSL), KeyObject"),
    row("RS256 verify, 2048-bit (crypto.wasm scalar fallback build)", scalarRs!, nodeRs!, "node crypto.verify (OpenSSL), KeyObject"),
    row("RS256 verify via the verify_signature foreign function (host: Node crypto, key import per call)", foreignRs!, nodeRs2!, "node crypto.verify (OpenSSL), KeyObject"),
    row("ES256 verify (crypto.wasm as shipped)", wasmEs256!, nodeEs256!, "node crypto.verify (OpenSSL), KeyObject"),
    row("ES256 verify (crypto.wasm scalar fallback build)", scalarEs256!, nodeEs256!, "node crypto.verify (OpenSSL), KeyObject"),
    row("SHA-256 of 1 KB (crypto.wasm as shipped)", simdSha!, nodeSha!, "node createHash().update().digest()"),
    row("SHA-256 of 1 KB (crypto.wasm scalar fallback build)", scalarSha!, nodeSha!, "node createHash().update().digest()"),
  ];
}
