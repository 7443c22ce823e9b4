import { createHash, sign } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Action, PluginLoadError, ProxyHost, type Plugin } from "../../src/host/index.js";
import {
  NOW_SECONDS, SEED_ISSUER, bearer, compileJwtFilter, fixtureText, outcomeOf, send, startJwt,
} from "./jwt-harness.js";
import { base64url, ecSigner, generateTestKeys, hmacSigner, jwksOf, makeToken, rsaSigner, type TestKeys } from "./jwt-tokens.js";

let wasm: string;
let keys: TestKeys;
const ISSUER = "https://issuer.example";
const seed = JSON.parse(fixtureText("seed-scenario.json")) as {
  cases: { token: string; withRequestAuthenticationOnly: { status: number; body?: string } }[];
};

beforeAll(async () => {
  wasm = await compileJwtFilter("jwt-filter");
  keys = generateTestKeys();
});

function seedConfig(extra: object = {}): object {
  return { rules: [{ issuer: SEED_ISSUER, jwks: fixtureText("jwks.json"), ...extra }] };
}

function testConfig(extra: object = {}, top: object = {}): object {
  return { rules: [{ issuer: ISSUER, jwks: JSON.stringify(jwksOf(keys)), ...extra }], ...top };
}

function claims(extra: object = {}): Record<string, unknown> {
  return { iss: ISSUER, sub: "alice", iat: NOW_SECONDS - 10, exp: NOW_SECONDS + 3600, ...extra };
}

function rs256(payload: object = claims(), header: object = { alg: "RS256", kid: "rsa" }): string {
  return makeToken(header, payload, rsaSigner(keys.rsa.privateKey));
}

describe("jwt filter: Istio seed scenario", () => {
  it("fits the 128 KB module budget", () => {
    expect(statSync(wasm).size).toBeLessThanOrEqual(128 * 1024);
  });

  it("is the module npm run build ships (same flags, same bytes)", () => {
    const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
    expect(sha256(wasm)).toBe(sha256("build/jwt.wasm"));
  });

  it("answers every seed case as Istio does under RequestAuthentication alone", async () => {
    const { plugin } = await startJwt(wasm, seedConfig());
    for (const testCase of seed.cases) {
      const outcome = bearer(plugin, testCase.token);
      const expected = testCase.withRequestAuthenticationOnly;
      if (expected.status === 200) {
        expect(outcome.passed).toBe(true);
        expect(outcome.principal).toBe(`${SEED_ISSUER}/${SEED_ISSUER}`);
      } else {
        expect(outcome.status).toBe(expected.status);
        expect(outcome.body).toBe(expected.body);
        expect(outcome.principal).toBeUndefined();
      }
    }
  });

  it("lets the demo token through, removes it and hands principal and payload to later filters", async () => {
    const { plugin } = await startJwt(wasm, seedConfig());
    const outcome = bearer(plugin, fixtureText("demo.jwt"));
    expect(outcome.action).toBe(Action.Continue);
    expect(outcome.http.getRequestHeader("authorization")).toBeUndefined();
    const payload = JSON.parse(Buffer.from(outcome.http.filterState.get("wasm.wasmixer.jwt.payload")!).toString());
    expect(payload).toMatchObject({ iss: SEED_ISSUER, sub: SEED_ISSUER, foo: "bar" });
  });

  it("replies 401 with Envoy's body and Bearer challenge to the tampered seed token", async () => {
    const { plugin } = await startJwt(wasm, seedConfig());
    const tampered = seed.cases.find((c) => c.withRequestAuthenticationOnly.status === 401)!.token;
    const outcome = send(plugin, { authorization: `Bearer ${tampered}`, ":authority": "productpage:9080", ":path": "/productpage?u=1", ":scheme": "https" });
    expect(outcome.status).toBe(401);
    expect(outcome.body).toBe("Jwt verification fails");
    expect(outcome.http.localResponse!.headers).toContainEqual(["www-authenticate", 'Bearer realm="https://productpage:9080/productpage?u=1", error="invalid_token"']);
    expect(outcome.http.localResponse!.details).toBe("jwt_authn_access_denied{Jwt_verification_fails}");
  });

  it("keeps the token with forwardOriginalToken", async () => {
    const { plugin } = await startJwt(wasm, seedConfig({ forwardOriginalToken: true }));
    const outcome = bearer(plugin, fixtureText("demo.jwt"));
    expect(outcome.passed).toBe(true);
    expect(outcome.http.getRequestHeader("authorization")).toBe(`Bearer ${fixtureText("demo.jwt")}`);
  });

  it("lets a request without a token continue unauthenticated and strips x-wasmixer-jwt-* headers", async () => {
    const { plugin } = await startJwt(wasm, seedConfig());
    const outcome = send(plugin, { "x-wasmixer-jwt-principal": "forged", "X-Wasmixer-Jwt-Payload": "{}" });
    expect(outcome.passed).toBe(true);
    expect(outcome.principal).toBeUndefined();
    expect(outcome.http.requestHeaders.filter(([name]) => name.toLowerCase().startsWith("x-wasmixer-jwt-"))).toEqual([]);
  });

  it("treats an empty bearer value as no token: unauthenticated, no principal", async () => {
    const { plugin } = await startJwt(wasm, seedConfig());
    for (const value of ["Bearer ", "Bearer    "]) {
      const outcome = send(plugin, { authorization: value });
      expect(outcome.passed).toBe(true);
      expect(outcome.principal).toBeUndefined();
    }
  });
});

describe("jwt filter: Envoy's refusals", () => {
  const cases: [string, () => string, number, string][] = [
    ["one dot", () => "abc.def", 401, "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"],
    ["three dots", () => `${rs256()}.x`, 401, "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections"],
    ["header not base64url", () => "e$$.e30.", 401, "Jwt header is an invalid Base64url encoded"],
    ["header not JSON", () => `${base64url("{alg")}.${base64url("{}")}.`, 401, "Jwt header is an invalid JSON"],
    ["header without alg", () => makeToken({ kid: "rsa" }, claims()), 401, "Jwt header [alg] field is required and must be a string"],
    ["alg none", () => makeToken({ alg: "none" }, claims()), 401, "Jwt header [alg] is not supported"],
    ["alg None", () => makeToken({ alg: "None" }, claims()), 401, "Jwt header [alg] is not supported"],
    ["alg nOnE", () => makeToken({ alg: "nOnE", kid: "rsa" }, claims()), 401, "Jwt header [alg] is not supported"],
    ["alg empty", () => makeToken({ alg: "" }, claims()), 401, "Jwt header [alg] is not supported"],
    ["kid not a string", () => rs256(claims(), { alg: "RS256", kid: 7 }), 401, "Jwt header [kid] field is not a string"],
    ["payload not JSON", () => makeToken({ alg: "RS256", kid: "rsa" }, base64url("[1,"), rsaSigner(keys.rsa.privateKey)), 401, "Jwt payload is an invalid JSON"],
    ["payload not base64url", () => `${base64url(JSON.stringify({ alg: "RS256" }))}.a+b.`, 401, "Jwt payload is an invalid Base64url encoded"],
    ["exp a string", () => rs256(claims({ exp: "2099" })), 401, "Jwt payload [exp] field is not an integer"],
    ["nbf a string", () => rs256(claims({ nbf: "0" })), 401, "Jwt payload [nbf] field is not an integer"],
    ["iat a string", () => rs256(claims({ iat: "now" })), 401, "Jwt payload [iat] field is not an integer"],
    ["exp negative", () => rs256(claims({ exp: -5 })), 401, "Jwt payload [exp] field is not a positive 64 bit integer"],
    ["aud a number", () => rs256(claims({ aud: 5 })), 401, "Jwt payload [aud] field is not a string or string list"],
    ["signature not base64url", () => `${rs256().split(".").slice(0, 2).join(".")}.***`, 401, "Jwt signature is an invalid Base64url encoded"],
    ["expired beyond the 60 s skew", () => rs256(claims({ exp: NOW_SECONDS - 61 })), 401, "Jwt is expired"],
    ["nbf beyond the 60 s skew", () => rs256(claims({ nbf: NOW_SECONDS + 61 })), 401, "Jwt not yet valid"],
    ["unknown issuer", () => rs256(claims({ iss: "https://other.example" })), 401, "Jwt issuer is not configured"],
    ["no issuer", () => rs256(claims({ iss: undefined })), 401, "Jwt issuer is not configured"],
    ["unknown kid", () => rs256(claims(), { alg: "RS256", kid: "gone" }), 401, "Jwks doesn't have key to match kid or alg from Jwt"],
    ["HS256 with the RSA key's kid", () => makeToken({ alg: "HS256", kid: "rsa" }, claims(), hmacSigner(keys.rsa.publicKey.export({ format: "pem", type: "spki" }) as unknown as Buffer)), 401, "Jwks doesn't have key to match kid or alg from Jwt"],
    ["RS256 with the EC key's kid", () => rs256(claims(), { alg: "RS256", kid: "ec256" }), 401, "Jwks doesn't have key to match kid or alg from Jwt"],
    ["ES384 with the P-256 key", () => makeToken({ alg: "ES384", kid: "ec256" }, claims(), ecSigner(keys.ec256.privateKey, "sha384")), 401, "Jwks doesn't have key to match kid or alg from Jwt"],
    ["EdDSA signature of the wrong length", () => makeToken({ alg: "EdDSA", kid: "ed" }, claims(), () => Buffer.alloc(63)), 401, "Jwt ED25519 signature is wrong length"],
    ["unknown crit", () => rs256(claims(), { alg: "RS256", kid: "rsa", crit: ["x-custom"], "x-custom": 1 }), 401, "Jwt verification fails"],
    ["signed by an attacker key named in the jwk header", () => {
      const attacker = generateTestKeys().rsa;
      return makeToken({ alg: "RS256", kid: "rsa", jwk: attacker.publicKey.export({ format: "jwk" }), jku: "https://evil.example/jwks" }, claims(), rsaSigner(attacker.privateKey));
    }, 401, "Jwt verification fails"],
    ["over 8 KB", () => rs256(claims({ filler: "x".repeat(9000) })), 401, "Jwt verification fails"],
  ];
  for (const [name, token, status, body] of cases) {
    it(`${name}: ${status} "${body}"`, async () => {
      const { plugin } = await startJwt(wasm, testConfig());
      const outcome = bearer(plugin, token());
      expect(outcome.passed).toBe(false);
      expect([outcome.status, outcome.body]).toEqual([status, body]);
      const challenge = outcome.http.localResponse!.headers.find(([name]) => name === "www-authenticate");
      expect(challenge?.[1]).toBe('Bearer realm="http://svc.example:8080/api", error="invalid_token"');
    });
  }

  it("answers 403 for an audience the rule does not allow, and passes a listed one", async () => {
    const { plugin } = await startJwt(wasm, testConfig({ audiences: ["bookstore"] }));
    expect([bearer(plugin, rs256(claims({ aud: "other" }))).status, bearer(plugin, rs256(claims({ aud: "other" }))).body]).toEqual([403, "Audiences in Jwt are not allowed"]);
    expect(bearer(plugin, rs256(claims())).status).toBe(403);
    expect(bearer(plugin, rs256(claims({ aud: ["x", "bookstore"] }))).passed).toBe(true);
  });

  it("accepts exp and nbf within the 60 s clock skew", async () => {
    const { plugin } = await startJwt(wasm, testConfig());
    expect(bearer(plugin, rs256(claims({ exp: NOW_SECONDS - 59 }))).passed).toBe(true);
    expect(bearer(plugin, rs256(claims({ nbf: NOW_SECONDS + 59 }))).passed).toBe(true);
  });

  it("verifies every algorithm with the matching key type", async () => {
    const { plugin } = await startJwt(wasm, testConfig());
    const tokens = [
      makeToken({ alg: "RS384", kid: "rsa" }, claims(), rsaSigner(keys.rsa.privateKey, "sha384")),
      makeToken({ alg: "ES256", kid: "ec256" }, claims(), ecSigner(keys.ec256.privateKey)),
      makeToken({ alg: "ES384", kid: "ec384" }, claims(), ecSigner(keys.ec384.privateKey, "sha384")),
      makeToken({ alg: "EdDSA", kid: "ed" }, claims(), (input) => sign(null, input, keys.ed25519.privateKey)),
      makeToken({ alg: "HS512", kid: "hmac" }, claims(), hmacSigner(keys.secret, "sha512")),
      makeToken({ alg: "HS256" }, claims(), hmacSigner(keys.secret)),
    ];
    for (const token of tokens) expect([token.split(".")[0], bearer(plugin, token).body]).toEqual([token.split(".")[0], undefined]);
  });
});

describe("jwt filter: token locations and outputs", () => {
  it("reads the access_token query parameter by default", async () => {
    const { plugin } = await startJwt(wasm, testConfig());
    expect(send(plugin, { ":path": `/api?a=1&access_token=${rs256()}` }).passed).toBe(true);
    expect(send(plugin, { ":path": "/api?access_token=garbage" }).body).toBe("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections");
  });

  it("reads fromHeaders with a prefix, fromParams and fromCookies, and not the default places then", async () => {
    const { plugin } = await startJwt(wasm, testConfig({ fromHeaders: [{ name: "X-Jwt", prefix: "Token " }], fromParams: ["jwt"], fromCookies: ["session"] }));
    const token = rs256();
    const viaHeader = send(plugin, { "x-jwt": `Token ${token}` });
    expect(viaHeader.passed).toBe(true);
    expect(viaHeader.principal).toBe(`${ISSUER}/alice`);
    expect(viaHeader.http.getRequestHeader("x-jwt")).toBeUndefined();
    expect(send(plugin, { ":path": `/api?jwt=${token}` }).principal).toBe(`${ISSUER}/alice`);
    expect(send(plugin, { cookie: `a=b; session=${token}; c=d` }).principal).toBe(`${ISSUER}/alice`);
    expect(bearer(plugin, "garbage").passed).toBe(true);
    expect(bearer(plugin, token).principal).toBeUndefined();
  });

  it("writes outputPayloadToHeader and outputClaimToHeaders, replacing client-sent values", async () => {
    const { plugin } = await startJwt(wasm, testConfig({
      outputPayloadToHeader: "x-jwt-payload",
      outputClaimToHeaders: [{ header: "x-sub", claim: "sub" }, { header: "x-level", claim: "level" }, { header: "x-nested", claim: "org.team" }],
    }));
    const payload = claims({ level: 3, org: { team: "blue" } });
    const outcome = bearer(plugin, rs256(payload), { "x-sub": "forged" });
    expect(outcome.passed).toBe(true);
    expect(JSON.parse(Buffer.from(outcome.http.getRequestHeader("x-jwt-payload")!, "base64url").toString())).toEqual(payload);
    expect([outcome.http.getRequestHeader("x-sub"), outcome.http.getRequestHeader("x-level"), outcome.http.getRequestHeader("x-nested")]).toEqual(["alice", "3", "blue"]);
    expect(send(plugin, { "x-sub": "forged", "x-jwt-payload": "e30" }).http.getRequestHeader("x-sub")).toBeUndefined();
  });

  it("picks the rule whose issuer the token names among merged rules", async () => {
    const other = generateTestKeys();
    const { plugin } = await startJwt(wasm, {
      rules: [
        { issuer: "https://a.example", jwks: JSON.stringify(jwksOf(other)) },
        { issuer: ISSUER, jwks: JSON.stringify(jwksOf(keys)) },
      ],
    });
    expect(bearer(plugin, rs256()).principal).toBe(`${ISSUER}/alice`);
    const forA = makeToken({ alg: "RS256", kid: "rsa" }, claims({ iss: "https://a.example" }), rsaSigner(other.rsa.privateKey));
    expect(bearer(plugin, forA).principal).toBe("https://a.example/alice");
    expect(bearer(plugin, makeToken({ alg: "RS256", kid: "rsa" }, claims({ iss: "https://a.example" }), rsaSigner(keys.rsa.privateKey))).body).toBe("Jwt verification fails");
  });
});

describe("jwt filter: configuration", () => {
  async function loadError(config: object): Promise<string> {
    try {
      await startJwt(wasm, config);
    } catch (error) {
      expect(error).toBeInstanceOf(PluginLoadError);
      return (error as Error).message;
    }
    throw new Error("the configuration was accepted");
  }

  it("refuses unparseable JWKS, unsupported key types and unknown fields with the reason", async () => {
    expect(await loadError({ rules: [{ issuer: ISSUER, jwks: "{not json" }] })).toContain("Jwks is an invalid JSON");
    expect(await loadError({ rules: [{ issuer: ISSUER, jwks: '{"keys":[{"kty":"XYZ"}]}' }] })).toContain("[kty] is not supported in [keys]");
    expect(await loadError({ rules: [{ issuer: ISSUER, jwks: JSON.stringify({ keys: [{ kty: "EC", crv: "P-521", x: "AA", y: "AA" }] }) }] })).toContain("[crv] or [alg] field is not supported for an EC key");
    expect(await loadError({ rules: [{ issuer: ISSUER, jwks: JSON.stringify({ keys: [{ kty: "RSA", n: base64url(Buffer.alloc(128, 0xff)), e: "AQAB" }] }) }] })).toContain("RSA modulus of 1024 bits");
    expect(await loadError({ rules: [{ issuer: ISSUER, jwks: "{}", fromHeader: [] }] })).toContain('unknown field "fromHeader"');
    expect(await loadError({ rules: [{ issuer: ISSUER, jwksUri: "https://issuer.example/jwks" }] })).toContain("jwksCluster: is required");
  });
});

describe("jwt filter: JWKS fetched from jwksUri", () => {
  const CLUSTER = "outbound|443||issuer.example";
  function remoteConfig(): object {
    return { rules: [{ issuer: ISSUER, jwksUri: "https://issuer.example/.well-known/jwks.json", jwksCluster: CLUSTER }], jwksCacheSeconds: 300 };
  }
  async function startRemote(): Promise<{ host: ProxyHost; plugin: Plugin }> {
    const host = new ProxyHost({ startTimeNs: BigInt(NOW_SECONDS) * 1_000_000_000n, clusters: { [CLUSTER]: () => undefined } });
    return startJwt(wasm, remoteConfig(), host);
  }

  it("pauses the request while fetching, then continues; later requests use the cached keys until the TTL", async () => {
    const { host, plugin } = await startRemote();
    const http = plugin.newHttpContext();
    const action = http.callOnRequestHeaders({ ":authority": "svc", ":path": "/", ":method": "GET", authorization: `Bearer ${rs256()}` }, true);
    expect(action).toBe(Action.Pause);
    const [call] = plugin.pendingHttpCalls();
    expect(call.cluster).toBe(CLUSTER);
    expect(call.headers).toEqual(expect.arrayContaining([[":path", "/.well-known/jwks.json"], [":authority", "issuer.example"], [":method", "GET"]]));
    plugin.respondToHttpCall(call.id, { status: 200, body: JSON.stringify(jwksOf(keys)) });
    expect(outcomeOf(http, action).passed).toBe(true);
    expect(outcomeOf(http, action).principal).toBe(`${ISSUER}/alice`);
    expect(bearer(plugin, rs256(claims({ sub: "bob" }))).principal).toBe(`${ISSUER}/bob`);
    expect(plugin.pendingHttpCalls()).toHaveLength(0);
    host.advanceTime(301_000);
    expect(bearer(plugin, rs256(claims({ sub: "carol" }))).action).toBe(Action.Pause);
    expect(plugin.pendingHttpCalls()).toHaveLength(1);
  });

  it("fails closed with 401 when the fetch fails or the JWKS is unusable, and logs why", async () => {
    const { plugin } = await startRemote();
    const first = bearer(plugin, rs256());
    plugin.respondToHttpCall(plugin.pendingHttpCalls()[0].id, { status: 200, body: '{"keys":[{"kty":"RSA"}]}' });
    expect(outcomeOf(first.http, first.action)).toMatchObject({ passed: false, status: 401, body: "Jwks remote fetch is failed" });
    expect(plugin.logs().join("\n")).toContain("Jwks RSA [n] or [e] field is missing");
    expect(bearer(plugin, rs256()).body).toBe("Jwks remote fetch is failed");
  });

  it("re-fetches once for an unknown kid, at most every 30 s", async () => {
    const { host, plugin } = await startRemote();
    const initial = jwksOf(keys);
    initial.keys = initial.keys.filter((key) => key.kid !== "ec256");
    const warmup = bearer(plugin, rs256());
    plugin.respondToHttpCall(plugin.pendingHttpCalls()[0].id, { status: 200, body: JSON.stringify(initial) });
    expect(outcomeOf(warmup.http, warmup.action).passed).toBe(true);
    host.advanceTime(31_000);
    const rotated = bearer(plugin, makeToken({ alg: "ES256", kid: "ec256" }, claims(), ecSigner(keys.ec256.privateKey)));
    expect(rotated.action).toBe(Action.Pause);
    plugin.respondToHttpCall(plugin.pendingHttpCalls()[0].id, { status: 200, body: JSON.stringify(jwksOf(keys)) });
    expect(outcomeOf(rotated.http, rotated.action).passed).toBe(true);
    const unknown = bearer(plugin, rs256(claims(), { alg: "RS256", kid: "never" }));
    expect(unknown.body).toBe("Jwks doesn't have key to match kid or alg from Jwt");
    expect(plugin.pendingHttpCalls()).toHaveLength(0);
  });
});

describe("jwt filter: verified-token cache", () => {
  it("honours exp for a token verified earlier", async () => {
    const { host, plugin } = await startJwt(wasm, testConfig());
    const token = rs256(claims({ exp: NOW_SECONDS + 100 }));
    expect(bearer(plugin, token).passed).toBe(true);
    expect(bearer(plugin, token).passed).toBe(true);
    host.advanceTime(161_000);
    expect(bearer(plugin, token).body).toBe("Jwt is expired");
  });

  it("answers from the cache only for the very token: one changed byte anywhere before the signature fails", async () => {
    const { plugin } = await startJwt(wasm, testConfig());
    const token = rs256(claims({ filler: "y".repeat(150) }));
    expect(bearer(plugin, token).passed).toBe(true);
    // The cache hashes only the token's tail, so these all land on the cached entry and must lose the whole compare
    // (64-byte SIMD steps, then 32- and 8-byte steps, then bytes).
    const signatureStart = token.lastIndexOf(".") + 1;
    for (const at of [0, 5, 63, 64, 100, 127, 128, 200, signatureStart - 2]) {
      const changed = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
      expect(bearer(plugin, changed).passed, `byte ${at}`).toBe(false);
    }
    expect(bearer(plugin, token).passed).toBe(true);
  });
});
