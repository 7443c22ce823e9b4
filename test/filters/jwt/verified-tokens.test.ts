// The jwt filter's verified-token cache, seen from outside: a request whose token is cached must get exactly the
// effects of a full check. Hits are told apart from misses with keys fetched from jwksUri: once the fetched keys
// are past jwksCacheSeconds, a cached token is answered at once while any other token pauses the request for a new
// fetch (the cache is consulted before the keys, and entries stay valid until new keys arrive).
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../../src/build/compile.js";
import { Action, ProxyHost, type HttpContext, type Plugin } from "../../../src/host/index.js";
import { NOW_SECONDS, bearer, compileJwtFilter, outcomeOf, send, startJwt, type Outcome } from "../jwt-harness.js";
import { generateTestKeys, hmacSigner, jwksOf, makeToken, type TestKeys } from "../jwt-tokens.js";

const ISSUER = "https://issuer.example";
const CLUSTER = "outbound|443||issuer.example";
const KEYS_TTL_SECONDS = 300;
/** The cache's capacity (verified-tokens.ts CAPACITY). */
const CAPACITY = 256;

let wasm: string;
let keys: TestKeys;
let hashOf: (token: string) => number;

beforeAll(async () => {
  wasm = await compileJwtFilter("jwt-verified-tokens");
  keys = generateTestKeys();
  const module = await compileAssemblyScript("test/filters/jwt/token-hash-module/index.ts", "build/test/jwt-token-hash.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(module.outFile), {});
  const exports = instance.exports as { memory: WebAssembly.Memory; input: () => number; hash: (length: number) => number };
  hashOf = (token) => {
    const bytes = Buffer.from(token);
    new Uint8Array(exports.memory.buffer, exports.input(), bytes.length).set(bytes);
    return exports.hash(bytes.length) >>> 0;
  };
});

function claims(extra: object = {}): Record<string, unknown> {
  return { iss: ISSUER, sub: "alice", iat: NOW_SECONDS - 10, exp: NOW_SECONDS + 3600, ...extra };
}

function hs256(payload: object = claims()): string {
  return makeToken({ alg: "HS256", kid: "hmac" }, payload, hmacSigner(keys.secret));
}

function rule(extra: object = {}): object {
  return { issuer: ISSUER, jwksUri: "https://issuer.example/.well-known/jwks.json", jwksCluster: CLUSTER, ...extra };
}

interface Remote { host: ProxyHost; plugin: Plugin }

async function startRemote(rules: object[] = [rule()], cacheSeconds = KEYS_TTL_SECONDS): Promise<Remote> {
  const host = new ProxyHost({ startTimeNs: BigInt(NOW_SECONDS) * 1_000_000_000n, clusters: { [CLUSTER]: () => undefined } });
  return startJwt(wasm, { rules, jwksCacheSeconds: cacheSeconds }, host);
}

/** Sends a request and answers the key fetch it starts, if any; the outcome after that. */
function sendFetching(remote: Remote, headers: Record<string, string> | [string, string][]): Outcome {
  const outcome = send(remote.plugin, headers);
  if (outcome.action !== Action.Pause) return outcome;
  const [call] = remote.plugin.pendingHttpCalls();
  expect(call).toBeDefined();
  remote.plugin.respondToHttpCall(call!.id, { status: 200, body: JSON.stringify(jwksOf(keys)) });
  return outcomeOf(outcome.http, outcome.action);
}

/** Lets the fetched keys expire: from now on only cached tokens are answered without a fetch. */
function expireKeys(remote: Remote): void {
  remote.host.advanceTime((KEYS_TTL_SECONDS + 1) * 1000);
}

/** Asserts `outcome` was answered from the cache: no pause, no key fetch. */
function expectHit(remote: Remote, outcome: Outcome): void {
  expect(outcome.action).toBe(Action.Continue);
  expect(remote.plugin.pendingHttpCalls()).toHaveLength(0);
}

/** Everything a request's headers callback leaves behind that a later filter or the upstream can see. */
function effects(http: HttpContext): object {
  const state = Object.fromEntries([...http.filterState].map(([key, value]) => [key, Buffer.from(value).toString("latin1")]));
  return { headers: http.requestHeaders, state, reply: http.localResponse };
}

describe("jwt filter: verified-token cache", () => {
  it("replays on a hit exactly what the full check did: filter state, removed token, output headers", async () => {
    const remote = await startRemote([rule({
      outputPayloadToHeader: "x-jwt-payload",
      outputClaimToHeaders: [{ header: "x-sub", claim: "sub" }, { header: "x-level", claim: "level" }, { header: "x-team", claim: "org.team" }, { header: "x-missing", claim: "nope" }, { header: "x-list", claim: "roles" }],
    })]);
    const token = hs256(claims({ sub: "zoë", level: 3, admin: true, org: { team: "blue" }, roles: ["a"] }));
    const request: [string, string][] = [["authorization", `Bearer ${token}`], ["x-sub", "forged"], ["x-list", "forged"], ["accept", "*/*"]];
    const first = sendFetching(remote, request);
    expect(first.passed).toBe(true);
    expireKeys(remote);
    const second = send(remote.plugin, request);
    expectHit(remote, second);
    expect(effects(second.http)).toEqual(effects(first.http));
    expect(second.http.getRequestHeader("authorization")).toBeUndefined();
    expect(second.http.getRequestHeader("x-sub")).toBe("zoë");
    expect(second.http.getRequestHeader("x-list")).toBeUndefined();
    expect(second.principal).toBe(`${ISSUER}/zoë`);
  });

  it("keeps the token header on a hit with forwardOriginalToken, and removes it without", async () => {
    const remote = await startRemote([rule({ forwardOriginalToken: true })]);
    const token = hs256();
    expect(sendFetching(remote, { authorization: `Bearer ${token}` }).passed).toBe(true);
    expireKeys(remote);
    const hit = send(remote.plugin, { authorization: `Bearer ${token}` });
    expectHit(remote, hit);
    expect(hit.http.getRequestHeader("authorization")).toBe(`Bearer ${token}`);
  });

  it("strips forged internal and output headers on a hit", async () => {
    const remote = await startRemote([rule({ outputPayloadToHeader: "x-jwt-payload", outputClaimToHeaders: [{ header: "x-sub", claim: "nope" }] })]);
    const token = hs256();
    expect(sendFetching(remote, { authorization: `Bearer ${token}` }).passed).toBe(true);
    expireKeys(remote);
    const hit = send(remote.plugin, [
      ["authorization", `Bearer ${token}`], ["x-wasmixer-jwt-principal", "forged"], ["X-Wasmixer-Jwt-Payload", "{}"],
      ["x-wasmixer-jwt-anything", "1"], ["X-SUB", "forged"], ["x-jwt-payload", "e30"], ["x-wasmixer-jwt", "kept: not the prefix"],
    ]);
    expectHit(remote, hit);
    const names = hit.http.requestHeaders.map(([name]) => name.toLowerCase());
    expect(names.filter((name) => name.startsWith("x-wasmixer-jwt-"))).toEqual([]);
    expect(names).not.toContain("x-sub");
    expect(hit.http.getRequestHeader("x-wasmixer-jwt")).toBe("kept: not the prefix");
    expect(Buffer.from(hit.http.getRequestHeader("x-jwt-payload")!, "base64url").toString()).toBe(JSON.stringify(claims()));
    expect(hit.principal).toBe(`${ISSUER}/alice`);
  });

  it("strips a forged output header of any length, and keeps headers of other lengths", async () => {
    // The strip passes over names whose length no output header has (JwtConfig.outputHeaderLengths): lengths from
    // 63 bytes on share one bit, so a long name of another length is still compared, and kept.
    const long = `x-${"l".repeat(70)}`;
    const remote = await startRemote([rule({ outputClaimToHeaders: [{ header: long, claim: "nope" }, { header: "x-s", claim: "nope" }] })]);
    const token = hs256();
    expect(sendFetching(remote, { authorization: `Bearer ${token}` }).passed).toBe(true);
    expireKeys(remote);
    const hit = send(remote.plugin, [
      ["authorization", `Bearer ${token}`], [long.toUpperCase(), "forged"], ["X-S", "forged"],
      [`${long}x`, "kept: 73 bytes"], ["x-t", "kept: 3 bytes"], ["x-sa", "kept: 4 bytes"],
    ]);
    expectHit(remote, hit);
    const names = hit.http.requestHeaders.map(([name]) => name.toLowerCase());
    expect(names).not.toContain(long);
    expect(names).not.toContain("x-s");
    expect(hit.http.getRequestHeader(`${long}x`)).toBe("kept: 73 bytes");
    expect(hit.http.getRequestHeader("x-t")).toBe("kept: 3 bytes");
    expect(hit.http.getRequestHeader("x-sa")).toBe("kept: 4 bytes");
  });

  it("answers cached tokens from the query string and cookies, and removes only header tokens", async () => {
    const remote = await startRemote([rule({ fromParams: ["jwt"], fromCookies: ["session"], fromHeaders: [{ name: "x-token" }] })]);
    const viaParam = hs256(claims({ sub: "param" }));
    const viaCookie = hs256(claims({ sub: "cookie" }));
    const viaHeader = hs256(claims({ sub: "header" }));
    expect(sendFetching(remote, { ":path": `/api?x=1&jwt=${viaParam}#frag` }).principal).toBe(`${ISSUER}/param`);
    expect(send(remote.plugin, { cookie: `a=b; session="${viaCookie}"` }).principal).toBe(`${ISSUER}/cookie`);
    expect(send(remote.plugin, { "x-token": `  ${viaHeader}\t` }).principal).toBe(`${ISSUER}/header`);
    expireKeys(remote);
    const param = send(remote.plugin, { ":path": `/api?x=1&jwt=${viaParam}#frag` });
    expectHit(remote, param);
    expect([param.principal, param.http.getRequestHeader(":path")]).toEqual([`${ISSUER}/param`, `/api?x=1&jwt=${viaParam}#frag`]);
    const cookie = send(remote.plugin, [["cookie", "x=y"], ["cookie", `a=b;session="${viaCookie}" `]]);
    expectHit(remote, cookie);
    expect(cookie.principal).toBe(`${ISSUER}/cookie`);
    const header = send(remote.plugin, { "x-token": viaHeader });
    expectHit(remote, header);
    expect([header.principal, header.http.getRequestHeader("x-token")]).toEqual([`${ISSUER}/header`, undefined]);
  });

  it("keeps an entry per rule: the same token seen where two rules of one issuer look replays each rule's outputs", async () => {
    const remote = await startRemote([
      rule({ fromHeaders: [{ name: "x-one" }], outputClaimToHeaders: [{ header: "x-rule", claim: "one" }] }),
      rule({ outputClaimToHeaders: [{ header: "x-rule", claim: "two" }] }),
    ]);
    const token = hs256(claims({ one: "first", two: "second" }));
    expect(sendFetching(remote, { "x-one": token }).http.getRequestHeader("x-rule")).toBe("first");
    // Each rule fetches its own keys.
    expect(sendFetching(remote, { authorization: `Bearer ${token}` }).http.getRequestHeader("x-rule")).toBe("second");
    expireKeys(remote);
    for (const [headers, expected] of [[{ "x-one": token }, "first"], [{ authorization: `Bearer ${token}` }, "second"]] as const) {
      const hit = send(remote.plugin, headers);
      expectHit(remote, hit);
      expect(hit.http.getRequestHeader("x-rule")).toBe(expected);
    }
    // In both places at once: one token per location, both rules, all their outputs.
    const both = send(remote.plugin, { "x-one": token, authorization: `Bearer ${token}` });
    expectHit(remote, both);
    expect(both.http.getRequestHeader("x-one")).toBeUndefined();
    expect(both.http.getRequestHeader("authorization")).toBeUndefined();
    expect(both.http.requestHeaders.filter(([name]) => name === "x-rule")).toEqual([["x-rule", "second"]]);
  });

  it("checks the clock on every hit: valid up to exp + 60 s, then 'Jwt is expired' without a fetch", async () => {
    const remote = await startRemote([rule()], 3600);
    const token = hs256(claims({ exp: NOW_SECONDS + 100 }));
    expect(sendFetching(remote, { authorization: `Bearer ${token}` }).passed).toBe(true);
    remote.host.advanceTime(160_000);
    const edge = bearer(remote.plugin, token);
    expectHit(remote, edge);
    expect(edge.principal).toBe(`${ISSUER}/alice`);
    remote.host.advanceTime(1_000);
    const expired = bearer(remote.plugin, token);
    expect([expired.status, expired.body]).toEqual([401, "Jwt is expired"]);
    expect(remote.plugin.pendingHttpCalls()).toHaveLength(0);
    expect(bearer(remote.plugin, token).body).toBe("Jwt is expired");
  });

  it("is bounded: the oldest entry goes first once it holds its capacity", async () => {
    const remote = await startRemote();
    const tokens = Array.from({ length: CAPACITY + 1 }, (_, i) => hs256(claims({ sub: `user-${i}` })));
    for (const token of tokens) expect(sendFetching(remote, { authorization: `Bearer ${token}` }).passed).toBe(true);
    expireKeys(remote);
    // 256 entries in 512 buckets share buckets many times over, so this also covers chained lookups.
    for (let i = 1; i <= CAPACITY; i++) {
      const hit = bearer(remote.plugin, tokens[i]!);
      expectHit(remote, hit);
      expect(hit.principal).toBe(`${ISSUER}/user-${i}`);
    }
    expect(bearer(remote.plugin, tokens[0]!).action).toBe(Action.Pause);
  });

  it("drops entries verified with keys that have since been replaced", async () => {
    const remote = await startRemote();
    const token = hs256();
    expect(sendFetching(remote, { authorization: `Bearer ${token}` }).passed).toBe(true);
    expireKeys(remote);
    // A new token makes the filter fetch again; the fresh keys invalidate what the old ones verified.
    expect(sendFetching(remote, { authorization: `Bearer ${hs256(claims({ sub: "bob" }))}` }).passed).toBe(true);
    expireKeys(remote);
    expect(bearer(remote.plugin, token).action).toBe(Action.Pause);
  });

  it("never lets a token pass on another token's entry, even when their hashes are equal", async () => {
    // Found by hashing 2^17 tokens of each kind; jti values are fixed-width so both tokens have the same length.
    const secret = keys.secret;
    const wrongSecret = Buffer.from("not-the-issuer-secret-not-the-issuer-secret-not-the-issuer-secret");
    const signed = (jti: string, key: Buffer) => makeToken({ alg: "HS256", kid: "hmac" }, claims({ jti }), (input) => createHmac("sha256", key).update(input).digest());
    const valid = signed("a070923", secret);
    const forged = signed("b055200", wrongSecret);
    expect(hashOf(forged)).toBe(hashOf(valid));
    expect(forged.length).toBe(valid.length);
    expect(forged).not.toBe(valid);

    const { plugin } = await startJwt(wasm, { rules: [{ issuer: ISSUER, jwks: JSON.stringify(jwksOf(keys)) }] });
    expect(bearer(plugin, valid).passed).toBe(true);
    expect(bearer(plugin, valid).passed).toBe(true);
    expect(bearer(plugin, forged).body).toBe("Jwt verification fails");
    expect(bearer(plugin, valid).principal).toBe(`${ISSUER}/alice`);
  });

  it("checks every token of a request: a cached one next to an unknown one still gets the unknown one's answer", async () => {
    const remote = await startRemote([rule({ fromHeaders: [{ name: "x-a" }, { name: "x-b" }] })]);
    const token = hs256();
    expect(sendFetching(remote, { "x-a": token }).passed).toBe(true);
    const tampered = `${token.slice(0, -4)}AAAA`;
    const outcome = send(remote.plugin, { "x-a": token, "x-b": tampered });
    expect([outcome.status, outcome.body]).toEqual([401, "Jwt verification fails"]);
    expect(outcome.principal).toBeUndefined();
    expect(send(remote.plugin, { "x-a": token, "x-b": token }).passed).toBe(true);
  });

  it("still works with more rules than its bit masks hold (every request takes the full check)", async () => {
    const issuers = Array.from({ length: 70 }, (_, i) => `https://issuer-${i}.example`);
    const jwks = JSON.stringify(jwksOf(keys));
    const { plugin } = await startJwt(wasm, { rules: issuers.map((issuer) => ({ issuer, jwks })) });
    for (const issuer of [issuers[69]!, issuers[0]!, issuers[69]!]) {
      const outcome = bearer(plugin, hs256(claims({ iss: issuer })));
      expect(outcome.principal).toBe(`${issuer}/alice`);
      expect(outcome.http.getRequestHeader("authorization")).toBeUndefined();
    }
    expect(bearer(plugin, hs256(claims({ iss: "https://issuer-70.example" }))).body).toBe("Jwt issuer is not configured");
  });
});
