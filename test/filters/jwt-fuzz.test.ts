// Fuzzing the jwt filter with 100,000 random and mutated tokens and headers: it must never trap, and a
// request carrying a token may only pass when jose accepts that token too.
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { seededRandom } from "../support/seeded-random.js";
import * as jose from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { NOW_SECONDS, compileJwtFilter, send, startJwt } from "./jwt-harness.js";
import { base64url, makeToken } from "./jwt-tokens.js";

const ISSUER = "https://issuer.example";
const REQUESTS = 100_000;

let wasm: string;
beforeAll(async () => {
  wasm = await compileJwtFilter("jwt-fuzz");
});

const random = seededRandom;

const PRINTABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"{}[]:,\\%&?;";

describe("jwt filter fuzz", () => {
  it("never traps and never passes a token jose refuses", { timeout: 180_000 }, async () => {
    const next = random(7);
    const int = (n: number): number => Math.floor(next() * n);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const ed = generateKeyPairSync("ed25519");
    const secret = Buffer.alloc(48, 9);
    const jwks = {
      keys: [
        { ...rsa.publicKey.export({ format: "jwk" }), kid: "rsa" },
        { ...ec.publicKey.export({ format: "jwk" }), kid: "ec" },
        { ...ed.publicKey.export({ format: "jwk" }), kid: "ed" },
        { kty: "oct", k: base64url(secret), kid: "hmac" },
      ] as jose.JWK[],
    };
    const { plugin } = await startJwt(wasm, { rules: [{ issuer: ISSUER, jwks: JSON.stringify(jwks), fromHeaders: [{ name: "authorization", prefix: "Bearer " }], fromParams: ["access_token"], fromCookies: ["jwt"] }] });
    const claims = (): object => ({ iss: ISSUER, sub: `u${int(1e6)}`, exp: NOW_SECONDS + 600 });
    const seeds = [
      () => makeToken({ alg: "HS256", kid: "hmac" }, claims(), (input) => createHmac("sha256", secret).update(input).digest()),
      () => makeToken({ alg: "HS512" }, claims(), (input) => createHmac("sha512", secret).update(input).digest()),
      () => makeToken({ alg: "ES256", kid: "ec" }, claims(), (input) => sign("sha256", input, { key: ec.privateKey, dsaEncoding: "ieee-p1363" })),
      () => makeToken({ alg: "EdDSA", kid: "ed" }, claims(), (input) => sign(null, input, ed.privateKey)),
      () => makeToken({ alg: "RS256", kid: "rsa" }, claims(), (input) => sign("sha256", input, rsa.privateKey)),
    ];
    const seedPool = Array.from({ length: 200 }, (_, i) => seeds[i % seeds.length]());

    const randomText = (length: number): string => Array.from({ length }, () => PRINTABLE[int(PRINTABLE.length)]).join("");
    const randomJson = (depth = 0): unknown => {
      const kind = int(depth > 3 ? 4 : 7);
      if (kind === 0) return int(2) === 0 ? int(1e10) : next() * 1e12 - 5e11;
      if (kind === 1) return randomText(int(8));
      if (kind === 2) return int(2) === 0;
      if (kind === 3) return null;
      if (kind === 4) return Array.from({ length: int(4) }, () => randomJson(depth + 1));
      return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(["alg", "kid", "iss", "exp", "nbf", "iat", "aud", "sub", "crit", "jwk", randomText(3)]), randomJson(depth + 1)]));
    };
    const pick = <T,>(options: T[]): T => options[int(options.length)];
    const mutate = (token: string): string => {
      let out = token;
      for (let n = 1 + int(3); n > 0; n--) {
        const at = int(out.length + 1);
        switch (int(7)) {
          case 0: out = out.slice(0, at) + String.fromCharCode(out.charCodeAt(at) ^ (1 << int(7)) || 0x41) + out.slice(at + 1); break;
          case 1: out = out.slice(0, at) + out.slice(at + 1 + int(4)); break;
          case 2: out = out.slice(0, at) + randomText(1 + int(3)) + out.slice(at); break;
          case 3: out = out.slice(0, at); break;
          case 4: { const parts = out.split("."); out = [parts[0], pick(seedPool).split(".")[1], parts[2]].join("."); break; }
          case 5: { const parts = out.split("."); out = [base64url(JSON.stringify(randomJson())), parts[1], parts[2]].join("."); break; }
          default: out = out.replace(/\./, int(2) ? ".." : "");
        }
      }
      return out;
    };
    const makeInput = (): string => {
      const kind = next();
      if (kind < 0.45) return mutate(pick(seedPool));
      if (kind < 0.65) return randomText(int(120));
      if (kind < 0.9) return [base64url(JSON.stringify(randomJson())), base64url(JSON.stringify(randomJson())), base64url(randomText(int(80)))].join(".");
      return pick(seedPool);
    };

    const verdicts = new Map<string, boolean>();
    const joseAccepts = async (token: string): Promise<boolean> => {
      const known = verdicts.get(token);
      if (known !== undefined) return known;
      let ok = true;
      try {
        await jose.jwtVerify(token, async (header) => {
          const jwk = jwks.keys.find((k) => (header.kid === undefined || k.kid === header.kid) && (
            header.alg?.startsWith("HS") ? k.kty === "oct" : header.alg === "ES256" ? k.crv === "P-256" : header.alg === "EdDSA" ? k.kty === "OKP" : header.alg?.startsWith("RS") || header.alg?.startsWith("PS") ? k.kty === "RSA" : false));
          if (!jwk) throw new Error("no key");
          return jose.importJWK(jwk, header.alg);
        }, { issuer: ISSUER, clockTolerance: 60, currentDate: new Date(NOW_SECONDS * 1000), algorithms: ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256", "HS384", "HS512"] });
      } catch {
        ok = false;
      }
      verdicts.set(token, ok);
      return ok;
    };

    const badPasses: string[] = [];
    let passedWithToken = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const token = makeInput();
      const placement = int(6);
      const headers: [string, string][] = [];
      let presented = token.trim();
      if (placement <= 2) headers.push(["authorization", `${pick(["Bearer ", "bearer ", "Bearer  "])}${token}`]);
      else if (placement === 3) headers.push([":path", `/p?x=${randomText(3).replace(/[&#?]/g, "")}&access_token=${token.replace(/[&#]/g, "")}`]);
      else if (placement === 4) headers.push(["cookie", `a=1; jwt=${token.replace(/;/g, "")}`]);
      else { headers.push([pick(["authorization", "x-wasmixer-jwt-principal", "cookie", "x-random"]), randomText(int(60))]); presented = ""; }
      if (placement === 3) presented = token.replace(/[&#]/g, "");
      if (placement === 4) presented = token.replace(/;/g, "").trim();
      if (int(10) === 0) headers.push(["authorization", `Bearer ${pick(seedPool)}`]);
      const outcome = send(plugin, headers);
      outcome.http.complete();
      if (outcome.http.failed || plugin.isFailed) throw new Error(`trap on request ${i}: ${JSON.stringify(headers)}`);
      if (!outcome.passed || presented === "" || !headers.some(([name, value]) => name === "authorization" && /^bearer /i.test(value) || name === ":path" || name === "cookie")) continue;
      const tokens = headers.flatMap(([name, value]) => name === "authorization" && /^bearer /i.test(value) ? [value.slice(7).trim()] : []);
      if (placement === 3 || placement === 4) tokens.push(presented);
      for (const candidate of tokens.filter((t) => t.length > 0)) {
        if (!(await joseAccepts(candidate))) badPasses.push(`${candidate} (${JSON.stringify(headers)})`);
        else passedWithToken++;
      }
    }
    expect(badPasses.slice(0, 5)).toEqual([]);
    expect(passedWithToken).toBeGreaterThan(1000);
  });
});
