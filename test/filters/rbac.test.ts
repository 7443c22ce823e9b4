import { readFileSync, statSync } from "node:fs";
import { seededRandom } from "../support/seeded-random.js";
import { beforeAll, describe, expect, it } from "vitest";
import { compileAssemblyScript } from "../../src/build/compile.js";
import { Action, PluginLoadError, ProxyHost, type Plugin } from "../../src/host/index.js";
import type { PropertyValue } from "../../src/host/index.js";

const RBAC_WASM = "build/test/rbac-filter.wasm";

type Policy = {
  name?: string;
  namespace?: string;
  action?: string;
  rules?: unknown[] | null;
  dryRun?: boolean;
  provider?: { name: string };
};

interface RbacRequest {
  headers?: Record<string, string> | [string, string][];
  properties?: Record<string, PropertyValue>;
  /** What the jwt filter would leave in filter state; omitted = no verified token. */
  jwt?: { principal?: string; payload?: unknown; rawPayload?: Uint8Array };
}

interface RbacOutcome {
  /** 403 or whatever the filter sent, undefined when it let the request through. */
  status: number | undefined;
  body: string | undefined;
  details: string | undefined;
  action: Action;
  failed: boolean;
  filterState: Map<string, string>;
}

const DEFAULT_HEADERS: Record<string, string> = {
  ":method": "GET",
  ":path": "/api/v1/items?page=2",
  ":authority": "Example.com:8080",
  ":scheme": "http",
  "x-user": "alice",
};

const DEFAULT_PROPERTIES: Record<string, PropertyValue> = {
  "source.address": "10.1.2.3:40000",
  "destination.address": "10.9.0.5:8080",
  "destination.port": 8080,
  "connection.uri_san_peer_certificate": "spiffe://cluster.local/ns/foo/sa/bar",
  "connection.requested_server_name": "www.example.com",
};

/** Starts the filter with `config` (one plugin per distinct config). */
async function startRbac(host: ProxyHost, config: object | string): Promise<Plugin> {
  return host.startPlugin({ wasm: RBAC_WASM, name: "rbac", pluginConfig: config });
}

/** Why `config` is rejected, or "" when the filter accepts it. */
async function configRejection(config: object | string): Promise<string> {
  try {
    const plugin = await startRbac(new ProxyHost(), config);
    plugin.stop();
    return "";
  } catch (error) {
    if (error instanceof PluginLoadError) return error.message;
    throw error;
  }
}

function runRequest(plugin: Plugin, request: RbacRequest = {}): RbacOutcome {
  const properties = { ...DEFAULT_PROPERTIES, ...(request.properties ?? {}) };
  for (const [key, value] of Object.entries(properties)) if (value === "") delete properties[key];
  const http = plugin.newHttpContext({ properties });
  const jwt = request.jwt;
  if (jwt?.principal !== undefined) http.filterState.set("wasm.wasmixer.jwt.principal", Buffer.from(jwt.principal));
  if (jwt?.rawPayload !== undefined) http.filterState.set("wasm.wasmixer.jwt.payload", jwt.rawPayload);
  else if (jwt?.payload !== undefined) http.filterState.set("wasm.wasmixer.jwt.payload", Buffer.from(JSON.stringify(jwt.payload)));
  const action = http.callOnRequestHeaders(request.headers ?? DEFAULT_HEADERS, true);
  const reply = http.localResponse;
  const filterState = new Map<string, string>();
  for (const [key, value] of http.filterState) {
    if (key.startsWith("wasm.wasmixer.rbac.")) filterState.set(key.slice("wasm.wasmixer.rbac.".length), Buffer.from(value).toString());
  }
  const outcome: RbacOutcome = {
    status: reply?.status,
    body: reply?.bodyText,
    details: reply?.details,
    action,
    failed: http.failed,
    filterState,
  };
  http.complete();
  return outcome;
}

beforeAll(async () => {
  await compileAssemblyScript("assembly/filters/rbac/index.ts", RBAC_WASM);
});

// ------------------------------------------------------------------------------------------------ cases

const PEER_PRINCIPAL = "cluster.local/ns/foo/sa/bar";
const JWT = {
  principal: "https://issuer.example.com/user-1",
  payload: {
    iss: "https://issuer.example.com",
    sub: "user-1",
    aud: ["aud-1", "aud-2"],
    azp: "client-1",
    role: "customer",
    groups: ["dev", "ops"],
    realm: { roles: ["admin", "viewer"], tier: "gold" },
    exp: 4685989700,
  },
};
const NO_PEER = { "connection.uri_san_peer_certificate": "" };

const allow = (rules: unknown[] | null, extra: Partial<Policy> = {}): Policy => ({ name: "p", namespace: "default", action: "ALLOW", rules, ...extra });
const deny = (rules: unknown[] | null, extra: Partial<Policy> = {}): Policy => ({ name: "d", namespace: "default", action: "DENY", rules, ...extra });
const from = (source: Record<string, unknown>) => [{ from: [{ source }] }];
const to = (operation: Record<string, unknown>) => [{ to: [{ operation }] }];
const when = (key: string, values?: string[], notValues?: string[]) => [{ when: [{ key, ...(values ? { values } : {}), ...(notValues ? { notValues } : {}) }] }];

interface Case {
  name: string;
  policies: Policy[];
  request?: RbacRequest;
  numTrustedProxies?: number;
  /** "allow" = the request continues; a string = denied with these response details. */
  expect: "allow" | "deny" | string;
  state?: Record<string, string | undefined>;
}

const ALLOW_RULE_0 = "ns[default]-policy[p]-rule[0]";
const DENY_RULE_0 = "ns[default]-policy[d]-rule[0]";
const NONE = "rbac_access_denied_matched_policy[none]";
const matched = (id: string) => `rbac_access_denied_matched_policy[${id}]`;

const withHeaders = (extra: Record<string, string>, base = DEFAULT_HEADERS): RbacRequest => ({ headers: { ...base, ...extra } });
const withPath = (path: string): RbacRequest => withHeaders({ ":path": path });
const withProperties = (properties: Record<string, string | number>, rest: RbacRequest = {}): RbacRequest => ({ ...rest, properties });

const CASES: Case[] = [
  // ---- actions and their order
  { name: "no policies: allowed", policies: [], expect: "allow", state: { result: "allowed" } },
  { name: "ALLOW rules [{}] allows everything", policies: [allow([{}])], expect: "allow", state: { result: "allowed", policy: ALLOW_RULE_0 } },
  { name: "spec {} (ALLOW, rules null) denies everything", policies: [allow(null)], expect: NONE, state: { result: "denied" } },
  { name: "ALLOW with empty rules list denies everything", policies: [allow([])], expect: NONE },
  { name: "ALLOW policies present, none matches: denied", policies: [allow(from({ namespaces: ["other"] })), allow(to({ methods: ["POST"] }), { name: "q" })], expect: NONE },
  { name: "one of several ALLOW policies matches", policies: [allow(from({ namespaces: ["other"] })), allow(to({ methods: ["GET"] }), { name: "q" })], expect: "allow", state: { policy: "ns[default]-policy[q]-rule[0]" } },
  { name: "a later rule of one policy matches", policies: [allow([...from({ namespaces: ["other"] }), ...to({ methods: ["GET"] })])], expect: "allow", state: { policy: "ns[default]-policy[p]-rule[1]" } },
  { name: "DENY matching: denied with the policy in the details", policies: [deny(to({ methods: ["GET"] }))], expect: matched(DENY_RULE_0), state: { result: "denied", policy: DENY_RULE_0 } },
  { name: "DENY not matching and no ALLOW: allowed", policies: [deny(to({ methods: ["POST"] }))], expect: "allow" },
  { name: "DENY without rules never matches", policies: [deny(null)], expect: "allow" },
  { name: "DENY is evaluated before ALLOW", policies: [allow([{}]), deny([{}])], expect: matched(DENY_RULE_0) },
  { name: "the first matching DENY policy by name is reported", policies: [deny([{}], { name: "zeta" }), deny([{}], { name: "alpha" })], expect: matched("ns[default]-policy[alpha]-rule[0]") },
  { name: "AUDIT only logs", policies: [{ name: "a", namespace: "default", action: "AUDIT", rules: [{}] }], expect: "allow", state: { access_log_hint: "true", audit_policy: "ns[default]-policy[a]-rule[0]" } },
  { name: "AUDIT not matching records no hint", policies: [{ name: "a", namespace: "default", action: "AUDIT", rules: to({ methods: ["PUT"] }) }], expect: "allow", state: { access_log_hint: "false" } },
  { name: "AUDIT does not stop a DENY", policies: [{ name: "a", namespace: "default", action: "AUDIT", rules: [{}] }, deny([{}])], expect: matched(DENY_RULE_0), state: { access_log_hint: "true" } },
  { name: "action defaults to ALLOW", policies: [{ name: "p", namespace: "default", rules: to({ methods: ["POST"] }) }], expect: NONE },

  // ---- dry-run
  { name: "dry-run DENY matching: logged, not enforced", policies: [deny([{}], { dryRun: true })], expect: "allow", state: { dry_run_deny_result: "denied", dry_run_deny_policy: DENY_RULE_0, result: "allowed" } },
  { name: "dry-run DENY not matching", policies: [deny(to({ methods: ["POST"] }), { dryRun: true })], expect: "allow", state: { dry_run_deny_result: "allowed" } },
  { name: "dry-run ALLOW not matching: would deny, allowed", policies: [allow(to({ methods: ["POST"] }), { dryRun: true })], expect: "allow", state: { dry_run_allow_result: "denied" } },
  { name: "dry-run ALLOW matching", policies: [allow([{}], { dryRun: true })], expect: "allow", state: { dry_run_allow_result: "allowed", dry_run_allow_policy: ALLOW_RULE_0 } },
  { name: "dry-run policies do not relax enforced ones", policies: [allow([{}], { dryRun: true, name: "q" }), allow(null)], expect: NONE, state: { dry_run_allow_result: "allowed" } },

  // ---- source.principals (mTLS peer URI SAN)
  { name: "principals exact", policies: [allow(from({ principals: [PEER_PRINCIPAL] }))], expect: "allow" },
  { name: "principals other", policies: [allow(from({ principals: ["cluster.local/ns/foo/sa/other"] }))], expect: NONE },
  { name: "principals prefix", policies: [allow(from({ principals: ["cluster.local/ns/foo/*"] }))], expect: "allow" },
  { name: "principals suffix", policies: [allow(from({ principals: ["*/sa/bar"] }))], expect: "allow" },
  { name: "principals suffix not matching", policies: [allow(from({ principals: ["*/sa/baz"] }))], expect: NONE },
  { name: "principals *", policies: [allow(from({ principals: ["*"] }))], expect: "allow" },
  { name: "principals * without mTLS", policies: [allow(from({ principals: ["*"] }))], request: withProperties(NO_PEER), expect: NONE },
  { name: "principals exact without the spiffe scheme in the SAN does not match", policies: [allow(from({ principals: [PEER_PRINCIPAL] }))], request: withProperties({ "connection.uri_san_peer_certificate": PEER_PRINCIPAL }), expect: NONE },
  { name: "notPrincipals matching", policies: [allow(from({ notPrincipals: [PEER_PRINCIPAL] }))], expect: NONE },
  { name: "notPrincipals other", policies: [allow(from({ notPrincipals: ["cluster.local/ns/x/sa/y"] }))], expect: "allow" },
  { name: "DENY notPrincipals * denies plain text", policies: [deny(from({ notPrincipals: ["*"] }))], request: withProperties(NO_PEER), expect: matched(DENY_RULE_0) },
  { name: "DENY notPrincipals * lets mTLS through", policies: [deny(from({ notPrincipals: ["*"] }))], expect: "allow" },

  // ---- source.requestPrincipals (jwt filter state)
  { name: "requestPrincipals exact", policies: [allow(from({ requestPrincipals: [JWT.principal] }))], request: { jwt: JWT }, expect: "allow" },
  { name: "requestPrincipals without a token", policies: [allow(from({ requestPrincipals: [JWT.principal] }))], expect: NONE },
  { name: "requestPrincipals other subject", policies: [allow(from({ requestPrincipals: ["https://issuer.example.com/user-2"] }))], request: { jwt: JWT }, expect: NONE },
  { name: "requestPrincipals *", policies: [allow(from({ requestPrincipals: ["*"] }))], request: { jwt: JWT }, expect: "allow" },
  { name: "requestPrincipals * without a token", policies: [allow(from({ requestPrincipals: ["*"] }))], expect: NONE },
  { name: "requestPrincipals issuer/*", policies: [allow(from({ requestPrincipals: ["https://issuer.example.com/*"] }))], request: { jwt: JWT }, expect: "allow" },
  { name: "requestPrincipals */subject", policies: [allow(from({ requestPrincipals: ["*/user-1"] }))], request: { jwt: JWT }, expect: "allow" },
  { name: "requestPrincipals *suffix-of-issuer/subject", policies: [allow(from({ requestPrincipals: ["*example.com/user-1"] }))], request: { jwt: JWT }, expect: "allow" },
  { name: "requestPrincipals issuer-prefix*", policies: [allow(from({ requestPrincipals: ["https://other*"] }))], request: { jwt: JWT }, expect: NONE },
  { name: "requestPrincipals from the principal alone", policies: [allow(from({ requestPrincipals: [JWT.principal] }))], request: { jwt: { principal: JWT.principal } }, expect: "allow" },
  { name: "notRequestPrincipals * denies tokenless requests", policies: [deny(from({ notRequestPrincipals: ["*"] }))], expect: matched(DENY_RULE_0) },
  { name: "notRequestPrincipals * with a token", policies: [deny(from({ notRequestPrincipals: ["*"] }))], request: { jwt: JWT }, expect: "allow" },

  // ---- source.namespaces
  { name: "namespaces exact", policies: [allow(from({ namespaces: ["foo"] }))], expect: "allow" },
  { name: "namespaces other", policies: [allow(from({ namespaces: ["fo"] }))], expect: NONE },
  { name: "namespaces prefix", policies: [allow(from({ namespaces: ["f*"] }))], expect: "allow" },
  { name: "namespaces suffix", policies: [allow(from({ namespaces: ["*oo"] }))], expect: "allow" },
  { name: "namespaces * without mTLS", policies: [allow(from({ namespaces: ["*"] }))], request: withProperties(NO_PEER), expect: NONE },
  { name: "notNamespaces", policies: [allow(from({ notNamespaces: ["foo"] }))], expect: NONE },

  // ---- source.ipBlocks / remoteIpBlocks
  { name: "ipBlocks CIDR", policies: [allow(from({ ipBlocks: ["10.1.0.0/16"] }))], expect: "allow" },
  { name: "ipBlocks other CIDR", policies: [allow(from({ ipBlocks: ["10.2.0.0/16"] }))], expect: NONE },
  { name: "ipBlocks single address", policies: [allow(from({ ipBlocks: ["10.1.2.3"] }))], expect: "allow" },
  { name: "ipBlocks host bits set", policies: [allow(from({ ipBlocks: ["10.1.99.99/16"] }))], expect: "allow" },
  { name: "ipBlocks /0", policies: [allow(from({ ipBlocks: ["0.0.0.0/0"] }))], expect: "allow" },
  { name: "notIpBlocks", policies: [allow(from({ notIpBlocks: ["10.0.0.0/8"] }))], expect: NONE },
  { name: "ipBlocks IPv6", policies: [allow(from({ ipBlocks: ["2001:db8::/32"] }))], request: withProperties({ "source.address": "[2001:db8::1]:443" }), expect: "allow" },
  { name: "ipBlocks IPv6 /127", policies: [allow(from({ ipBlocks: ["2001:db8::2/127"] }))], request: withProperties({ "source.address": "[2001:db8::3]:443" }), expect: "allow" },
  { name: "ipBlocks IPv6 other", policies: [allow(from({ ipBlocks: ["2001:db9::/32"] }))], request: withProperties({ "source.address": "[2001:db8::1]:443" }), expect: NONE },
  { name: "ipBlocks IPv4 range never holds an IPv6 peer", policies: [allow(from({ ipBlocks: ["0.0.0.0/0"] }))], request: withProperties({ "source.address": "[::1]:443" }), expect: NONE },
  { name: "ipBlocks IPv4-mapped tail", policies: [allow(from({ ipBlocks: ["::ffff:10.1.2.0/120"] }))], request: withProperties({ "source.address": "[::ffff:10.1.2.3]:1" }), expect: "allow" },
  { name: "remoteIpBlocks defaults to the peer address", policies: [allow(from({ remoteIpBlocks: ["10.1.2.3"] }))], request: withHeaders({ "x-forwarded-for": "192.0.2.7" }), expect: "allow" },
  { name: "remoteIpBlocks with a trusted proxy reads x-forwarded-for", numTrustedProxies: 1, policies: [allow(from({ remoteIpBlocks: ["192.0.2.0/24"] }))], request: withHeaders({ "x-forwarded-for": "203.0.113.9, 192.0.2.7" }), expect: "allow" },
  { name: "remoteIpBlocks with two trusted proxies", numTrustedProxies: 2, policies: [allow(from({ remoteIpBlocks: ["203.0.113.9"] }))], request: withHeaders({ "x-forwarded-for": "203.0.113.9, 192.0.2.7" }), expect: "allow" },
  { name: "notRemoteIpBlocks", policies: [allow(from({ notRemoteIpBlocks: ["10.1.2.3/32"] }))], expect: NONE },

  // ---- to.operation
  { name: "hosts exact, case-insensitive, with port", policies: [allow(to({ hosts: ["example.COM:8080"] }))], expect: "allow" },
  { name: "hosts without port does not match a host:port authority", policies: [allow(to({ hosts: ["example.com"] }))], expect: NONE },
  { name: "hosts host:* matches any port", policies: [allow(to({ hosts: ["example.com:*"] }))], expect: "allow" },
  { name: "hosts suffix", policies: [allow(to({ hosts: ["*.COM:8080"] }))], expect: "allow" },
  { name: "hosts *", policies: [allow(to({ hosts: ["*"] }))], expect: "allow" },
  { name: "hosts without port match a port-less authority", policies: [allow(to({ hosts: ["example.com"] }))], request: withHeaders({ ":authority": "example.com" }), expect: "allow" },
  { name: "notHosts", policies: [allow(to({ notHosts: ["EXAMPLE.com:8080"] }))], expect: NONE },
  { name: "ports", policies: [allow(to({ ports: ["8080"] }))], expect: "allow" },
  { name: "ports other", policies: [allow(to({ ports: ["9090"] }))], expect: NONE },
  { name: "ports from destination.address when destination.port is missing", policies: [allow(to({ ports: ["9443"] }))], request: withProperties({ "destination.port": "", "destination.address": "10.9.0.5:9443" }), expect: "allow" },
  { name: "notPorts", policies: [allow(to({ notPorts: ["8080"] }))], expect: NONE },
  { name: "methods", policies: [allow(to({ methods: ["GET"] }))], expect: "allow" },
  { name: "methods are case-sensitive", policies: [allow(to({ methods: ["get"] }))], expect: NONE },
  { name: "methods prefix", policies: [allow(to({ methods: ["PO*"] }))], request: withHeaders({ ":method": "POST" }), expect: "allow" },
  { name: "notMethods", policies: [allow(to({ notMethods: ["GET", "HEAD"] }))], expect: NONE },
  { name: "paths exact ignores the query", policies: [allow(to({ paths: ["/api/v1/items"] }))], expect: "allow" },
  { name: "paths exact other", policies: [allow(to({ paths: ["/api/v1"] }))], expect: NONE },
  { name: "paths prefix", policies: [allow(to({ paths: ["/api/*"] }))], expect: "allow" },
  { name: "paths suffix", policies: [allow(to({ paths: ["*/items"] }))], expect: "allow" },
  { name: "paths *", policies: [allow(to({ paths: ["*"] }))], expect: "allow" },
  { name: "paths fragment stripped", policies: [allow(to({ paths: ["/a"] }))], request: withPath("/a#frag"), expect: "allow" },
  { name: "notPaths", policies: [allow(to({ notPaths: ["/api/*"] }))], expect: NONE },
  { name: "path template {*} one segment", policies: [allow(to({ paths: ["/api/{*}/items"] }))], expect: "allow" },
  { name: "path template {*} is not two segments", policies: [allow(to({ paths: ["/api/{*}/items"] }))], request: withPath("/api/v1/v2/items"), expect: NONE },
  { name: "path template {*} is not empty", policies: [allow(to({ paths: ["/api/{*}/items"] }))], request: withPath("/api//items"), expect: NONE },
  { name: "path template {**} many segments", policies: [allow(to({ paths: ["/api/{**}"] }))], expect: "allow" },
  { name: "path template {**} zero segments after the slash", policies: [allow(to({ paths: ["/api/{**}"] }))], request: withPath("/api/"), expect: "allow" },
  { name: "path template {**} needs the slash", policies: [allow(to({ paths: ["/api/{**}"] }))], request: withPath("/api"), expect: NONE },
  { name: "path template {**} then a literal", policies: [allow(to({ paths: ["/{**}/items"] }))], expect: "allow" },
  { name: "path template {*} then {**}", policies: [allow(to({ paths: ["/{*}/v1/{**}"] }))], expect: "allow" },
  { name: "path template rejects characters outside pchar", policies: [allow(to({ paths: ["/api/{*}/items"] }))], request: withPath("/api/a=b/items"), expect: NONE },
  { name: "notPaths template", policies: [allow(to({ notPaths: ["/api/{**}"] }))], expect: NONE },

  // ---- when
  { name: "when request.headers exact", policies: [allow(when("request.headers[x-user]", ["alice"]))], expect: "allow" },
  { name: "when request.headers other", policies: [allow(when("request.headers[x-user]", ["bob"]))], expect: NONE },
  { name: "when request.headers name is case-insensitive", policies: [allow(when("request.headers[X-User]", ["al*"]))], expect: "allow" },
  { name: "when request.headers suffix", policies: [allow(when("request.headers[x-user]", ["*ice"]))], expect: "allow" },
  { name: "when request.headers * = present (also empty)", policies: [allow(when("request.headers[x-empty]", ["*"]))], request: withHeaders({ "x-empty": "" }), expect: "allow" },
  { name: "when request.headers * absent", policies: [allow(when("request.headers[x-missing]", ["*"]))], expect: NONE },
  { name: "when request.headers repeated values are joined", policies: [allow(when("request.headers[x-user]", ["alice,bob"]))], request: { headers: [...Object.entries(DEFAULT_HEADERS), ["x-user", "bob"]] }, expect: "allow" },
  { name: "when request.headers notValues", policies: [allow(when("request.headers[x-user]", undefined, ["alice"]))], expect: NONE },
  { name: "when request.headers notValues on an absent header", policies: [allow(when("request.headers[x-missing]", undefined, ["alice"]))], expect: "allow" },
  { name: "when claims", policies: [allow(when("request.auth.claims[role]", ["customer"]))], request: { jwt: JWT }, expect: "allow" },
  { name: "when claims other", policies: [allow(when("request.auth.claims[role]", ["admin"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when claims list: any element", policies: [allow(when("request.auth.claims[groups]", ["ops"]))], request: { jwt: JWT }, expect: "allow" },
  { name: "when claims list: no element", policies: [allow(when("request.auth.claims[groups]", ["qa"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when claims nested list", policies: [allow(when("request.auth.claims[realm][roles]", ["adm*"]))], request: { jwt: JWT }, expect: "allow" },
  { name: "when claims nested string", policies: [allow(when("request.auth.claims[realm][tier]", ["gold"]))], request: { jwt: JWT }, expect: "allow" },
  { name: "when claims nested path too deep", policies: [allow(when("request.auth.claims[realm][tier][x]", ["gold"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when claims missing", policies: [allow(when("request.auth.claims[missing]", ["*"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when claims number claim never matches", policies: [allow(when("request.auth.claims[exp]", ["4685989700"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when claims without a token", policies: [allow(when("request.auth.claims[role]", ["customer"]))], expect: NONE },
  { name: "when claims notValues", policies: [allow(when("request.auth.claims[groups]", undefined, ["dev"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when request.auth.principal", policies: [allow(when("request.auth.principal", [JWT.principal]))], request: { jwt: JWT }, expect: "allow" },
  { name: "when request.auth.principal notValues", policies: [allow(when("request.auth.principal", undefined, ["*"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when request.auth.audiences list", policies: [allow(when("request.auth.audiences", ["aud-2"]))], request: { jwt: JWT }, expect: "allow" },
  { name: "when request.auth.audiences string", policies: [allow(when("request.auth.audiences", ["aud-9"]))], request: { jwt: { ...JWT, payload: { ...JWT.payload, aud: "aud-9" } } }, expect: "allow" },
  { name: "when request.auth.audiences other", policies: [allow(when("request.auth.audiences", ["aud-3"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when request.auth.presenter", policies: [allow(when("request.auth.presenter", ["client-1"]))], request: { jwt: JWT }, expect: "allow" },
  { name: "when request.auth.presenter other", policies: [allow(when("request.auth.presenter", ["client-2"]))], request: { jwt: JWT }, expect: NONE },
  { name: "when source.ip", policies: [allow(when("source.ip", ["10.1.2.0/24"]))], expect: "allow" },
  { name: "when source.ip notValues", policies: [allow(when("source.ip", undefined, ["10.1.2.0/24"]))], expect: NONE },
  { name: "when remote.ip", policies: [allow(when("remote.ip", ["10.1.2.3"]))], expect: "allow" },
  { name: "when source.namespace", policies: [allow(when("source.namespace", ["foo"]))], expect: "allow" },
  { name: "when source.namespace other", policies: [allow(when("source.namespace", ["bar"]))], expect: NONE },
  { name: "when source.principal", policies: [allow(when("source.principal", [PEER_PRINCIPAL]))], expect: "allow" },
  { name: "when source.principal notValues", policies: [allow(when("source.principal", undefined, ["*"]))], expect: NONE },
  { name: "when destination.ip", policies: [allow(when("destination.ip", ["10.9.0.0/16"]))], expect: "allow" },
  { name: "when destination.ip other", policies: [allow(when("destination.ip", ["10.8.0.0/16"]))], expect: NONE },
  { name: "when destination.port", policies: [allow(when("destination.port", ["8080"]))], expect: "allow" },
  { name: "when destination.port other", policies: [allow(when("destination.port", ["80"]))], expect: NONE },
  { name: "when connection.sni", policies: [allow(when("connection.sni", ["www.example.com"]))], expect: "allow" },
  { name: "when connection.sni suffix", policies: [allow(when("connection.sni", ["*.example.com"]))], expect: "allow" },
  { name: "when connection.sni without SNI", policies: [allow(when("connection.sni", ["*"]))], request: withProperties({ "connection.requested_server_name": "" }), expect: NONE },

  // ---- composition
  { name: "from AND to: to fails", policies: [allow([{ from: [{ source: { namespaces: ["foo"] } }], to: [{ operation: { methods: ["POST"] } }] }])], expect: NONE },
  { name: "from AND to AND when", policies: [allow([{ from: [{ source: { namespaces: ["foo"] } }], to: [{ operation: { methods: ["GET"] } }], when: [{ key: "request.headers[x-user]", values: ["alice"] }] }])], expect: "allow" },
  { name: "from AND to AND when: when fails", policies: [allow([{ from: [{ source: { namespaces: ["foo"] } }], to: [{ operation: { methods: ["GET"] } }], when: [{ key: "request.headers[x-user]", values: ["bob"] }] }])], expect: NONE },
  { name: "from entries are OR-ed", policies: [allow([{ from: [{ source: { namespaces: ["bar"] } }, { source: { ipBlocks: ["10.0.0.0/8"] } }] }])], expect: "allow" },
  { name: "fields inside one source are AND-ed", policies: [allow(from({ namespaces: ["foo"], ipBlocks: ["192.168.0.0/16"] }))], expect: NONE },
  { name: "values inside one field are OR-ed", policies: [allow(from({ principals: ["a/b/c", PEER_PRINCIPAL] }))], expect: "allow" },
  { name: "value and not-value of one field", policies: [allow(to({ paths: ["/api/*"], notPaths: ["/api/v1/*"] }))], expect: NONE },
  { name: "to entries are OR-ed", policies: [allow([{ to: [{ operation: { methods: ["POST"] } }, { operation: { paths: ["/api/*"] } }] }])], expect: "allow" },
  { name: "when conditions are AND-ed", policies: [allow([{ when: [{ key: "source.namespace", values: ["foo"] }, { key: "destination.port", values: ["81"] }] }])], expect: NONE },
  { name: "an empty source matches anything", policies: [allow([{ from: [{ source: {} }] }])], expect: "allow" },
];

describe("rbac filter: Istio AuthorizationPolicy semantics", () => {
  const host = new ProxyHost();
  const plugins = new Map<string, Promise<Plugin>>();
  const pluginFor = (config: object) => {
    const key = JSON.stringify(config);
    if (!plugins.has(key)) plugins.set(key, startRbac(host, config));
    return plugins.get(key)!;
  };

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    const config = { policies: testCase.policies, ...(testCase.numTrustedProxies ? { numTrustedProxies: testCase.numTrustedProxies } : {}) };
    const plugin = await pluginFor(config);
    const outcome = runRequest(plugin, testCase.request);
    expect(outcome.failed).toBe(false);
    if (testCase.expect === "allow") {
      expect(outcome.status, `details ${outcome.details}`).toBeUndefined();
      expect(outcome.action).toBe(Action.Continue);
    } else {
      expect(outcome.status).toBe(403);
      expect(outcome.body).toBe("RBAC: access denied");
      expect(outcome.action).toBe(Action.Pause);
      if (testCase.expect !== "deny") expect(outcome.details).toBe(testCase.expect);
    }
    for (const [key, value] of Object.entries(testCase.state ?? {})) expect(outcome.filterState.get(key), key).toBe(value);
  });

  it("logs dry-run decisions", async () => {
    const plugin = await startRbac(new ProxyHost(), { policies: [deny([{}], { dryRun: true })] });
    runRequest(plugin);
    expect(plugin.logs().join("\n")).toMatch(/dry-run: would have denied the request \(matched ns\[default\]-policy\[d\]-rule\[0\]\)/);
  });

  it("fails closed when the jwt filter's payload is unreadable", async () => {
    const plugin = await startRbac(new ProxyHost(), { policies: [allow(when("request.auth.claims[role]", ["customer"]))] });
    const outcome = runRequest(plugin, { jwt: { principal: JWT.principal, rawPayload: Buffer.from("{not json") } });
    expect(outcome.status).toBe(403);
    expect(outcome.body).toBe("RBAC: access denied");
  });
});

describe("rbac filter: the seed scenario's require-jwt policy", () => {
  const seed = JSON.parse(readFileSync("/work/shared/fixtures/istio-jwt/seed-scenario.json", "utf8")) as {
    authorizationPolicy: { action: string; rules: unknown[] };
    cases: { payload: Record<string, unknown>; withAuthorizationPolicy: { status: number; body?: string } }[];
  };
  const config = { policies: [{ name: "require-jwt", namespace: "foo", action: seed.authorizationPolicy.action, rules: seed.authorizationPolicy.rules, dryRun: false }] };
  const principalOf = (payload: Record<string, unknown>) => `${payload.iss}/${payload.sub}`;

  it("denies the demo token without the role claim with Envoy's text", async () => {
    const plugin = await startRbac(new ProxyHost(), config);
    const noRole = seed.cases.find((c) => c.withAuthorizationPolicy.status === 403)!;
    expect(noRole.payload.role).toBeUndefined();
    const outcome = runRequest(plugin, { jwt: { principal: principalOf(noRole.payload), payload: noRole.payload } });
    expect(outcome.status).toBe(noRole.withAuthorizationPolicy.status);
    expect(outcome.body).toBe(noRole.withAuthorizationPolicy.body);
    expect(outcome.details).toBe(NONE);
  });

  it("lets role=customer through", async () => {
    const plugin = await startRbac(new ProxyHost(), config);
    const customer = seed.cases.find((c) => c.payload.role === "customer")!;
    expect(customer.withAuthorizationPolicy.status).toBe(200);
    const outcome = runRequest(plugin, { jwt: { principal: principalOf(customer.payload), payload: customer.payload } });
    expect(outcome.status).toBeUndefined();
    expect(outcome.action).toBe(Action.Continue);
    expect(outcome.filterState.get("policy")).toBe("ns[foo]-policy[require-jwt]-rule[0]");
  });

  it("denies a request without a token", async () => {
    const plugin = await startRbac(new ProxyHost(), config);
    expect(runRequest(plugin).status).toBe(403);
  });
});

describe("rbac filter: configuration errors", () => {
  const rejected: [string, object | string, RegExp][] = [
    ["empty configuration", "", /empty/],
    ["not JSON", "{", /not valid JSON/],
    ["unknown top-level field", { policies: [], policy: [] }, /unknown field "policy"/],
    ["unknown source field", { policies: [allow(from({ principal: ["x"] }))] }, /policies\[0\]\.rules\[0\]\.from\[0\]\.source: unknown field "principal"/],
    ["unknown operation field", { policies: [allow(to({ path: ["/x"] }))] }, /unknown field "path"/],
    ["unknown rule field", { policies: [allow([{ form: [] }])] }, /unknown field "form"/],
    ["unknown when key", { policies: [allow(when("request.host", ["x"]))] }, /unknown attribute "request.host"/],
    ["bad header key", { policies: [allow(when("request.headers[]", ["x"]))] }, /bad key/],
    ["bad claims key", { policies: [allow(when("request.auth.claims", ["x"]))] }, /bad key/],
    ["when without values", { policies: [allow([{ when: [{ key: "source.ip" }] }])] }, /at least one of values or notValues/],
    ["bad CIDR prefix", { policies: [allow(from({ ipBlocks: ["10.0.0.0/33"] }))] }, /bad CIDR range "10.0.0.0\/33"/],
    ["bad IP address", { policies: [allow(from({ notIpBlocks: ["10.0.0.256"] }))] }, /notIpBlocks\[0\]: bad IP address/],
    ["bad IPv6 address", { policies: [allow(when("destination.ip", ["2001:db8:::1"]))] }, /bad IP address/],
    ["bad port", { policies: [allow(to({ ports: ["99999"] }))] }, /bad port/],
    ["empty value", { policies: [allow(to({ methods: [""] }))] }, /empty value not allowed/],
    ["{**} not last", { policies: [allow(to({ paths: ["/a/{**}/{*}"] }))] }, /\{\*\*\} must be the last operator/],
    ["template with text around it", { policies: [allow(to({ paths: ["/a/{*}x"] }))] }, /invalid path template/],
    ["unsupported template variable", { policies: [allow(to({ paths: ["/a/{name}"] }))] }, /'\{' or '\}'/],
    ["template not starting with /", { policies: [allow(to({ paths: ["a/{*}"] }))] }, /must start with '\/'/],
    ["CUSTOM action", { policies: [{ name: "ext", namespace: "default", action: "CUSTOM", provider: { name: "opa" }, rules: [{}] }] }, /CUSTOM needs an external authorizer \(provider "opa"\)/],
    ["unknown action", { policies: [allow([{}], { action: "ALLOWED" })] }, /unknown action "ALLOWED"/],
    ["policy without name", { policies: [{ namespace: "x", rules: [] }] }, /name: must be a non-empty string/],
  ];
  it.each(rejected)("rejects %s", async (_name, config, reason) => {
    const message = await configRejection(config);
    expect(message).toMatch(/proxy_on_configure returned false/);
    expect(message).toMatch(reason);
  });

  it("accepts every documented field at once", async () => {
    const everything = {
      numTrustedProxies: 1,
      policies: [allow([{
        from: [{ source: {
          principals: ["a"], notPrincipals: ["b"], requestPrincipals: ["i/s"], notRequestPrincipals: ["x/y"], namespaces: ["n"],
          notNamespaces: ["m"], ipBlocks: ["10.0.0.0/8"], notIpBlocks: ["::1"], remoteIpBlocks: ["fe80::/10"], notRemoteIpBlocks: ["1.2.3.4"],
        } }],
        to: [{ operation: { hosts: ["h"], notHosts: ["g"], ports: ["80"], notPorts: [81], methods: ["GET"], notMethods: ["PUT"], paths: ["/a/{*}", "/b/{**}"], notPaths: ["/c"] } }],
        when: ["request.headers[a]", "request.auth.claims[a][b]", "request.auth.principal", "request.auth.audiences", "request.auth.presenter",
          "source.namespace", "source.principal", "connection.sni"].map((key) => ({ key, values: ["v"], notValues: ["w"] }))
          .concat(["source.ip", "remote.ip", "destination.ip"].map((key) => ({ key, values: ["10.0.0.1"], notValues: ["::2"] })))
          .concat([{ key: "destination.port", values: ["80"], notValues: ["81"] }]),
      }])],
    };
    expect(await configRejection(everything)).toBe("");
  });
});

// ------------------------------------------------------------------------------------------------ fuzz

const random = seededRandom;

describe("rbac filter: fuzz", () => {
  it("never traps on random headers, paths, addresses and filter state", async () => {
    const policies: Policy[] = [
      allow([{
        from: [{ source: { principals: ["*/sa/bar"], requestPrincipals: ["*"], namespaces: ["f*"], ipBlocks: ["10.0.0.0/8", "::/0"], remoteIpBlocks: ["0.0.0.0/0"] } }],
        to: [{ operation: { hosts: ["*.com:*"], ports: ["8080"], methods: ["G*"], paths: ["/api/{*}/items", "/x/{**}", "*z", "/a*"] } }],
        when: [
          { key: "request.auth.claims[realm][roles]", values: ["a*"] }, { key: "request.headers[x-user]", notValues: ["*bad"] },
          { key: "request.auth.audiences", values: ["*"] }, { key: "destination.ip", values: ["10.0.0.0/8"] }, { key: "connection.sni", notValues: ["x"] },
        ],
      }]),
      allow(to({ methods: ["GET"] }), { name: "get" }),
      deny(from({ notNamespaces: ["*o*"] }), { dryRun: true }),
      deny(when("request.auth.presenter", ["evil"])),
      { name: "a", namespace: "default", action: "AUDIT", rules: [{ to: [{ operation: { notPaths: ["/{**}"] } }] }] },
    ];
    const plugin = await startRbac(new ProxyHost(), { policies, numTrustedProxies: 2 });
    const next = random(20240611);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const junk = (max: number) => {
      const length = Math.floor(next() * max);
      let text = "";
      for (let i = 0; i < length; i++) text += String.fromCharCode(next() < 0.9 ? 32 + Math.floor(next() * 95) : Math.floor(next() * 0x3000));
      return text;
    };
    const pieces = ["/", "api", "x", "items", "{*}", "%2F", "..", "?", "#", "=", "z", "a", "//"];
    const randomPath = () => Array.from({ length: Math.floor(next() * 8) }, () => pick(pieces)).join(pick(["/", ""]));
    const addresses = ["10.1.2.3:1", "[::1]:2", "::1", "[2001:db8::1", "1.2.3", "999.1.1.1:80", "", "[::ffff:1.2.3.4]:9", "a:b:c", "1:2:3:4:5:6:7:8:9"];
    const payloads = [
      { realm: { roles: ["admin", 3, null] }, aud: [1, "x"], iss: "i", sub: "s" },
      { realm: "flat", aud: "a" }, [], "text", 42, { realm: { roles: { deep: true } } }, null,
    ];
    const outcomes = { allowed: 0, denied: 0 };
    for (let i = 0; i < 1500; i++) {
      const headers: [string, string][] = [[":method", pick(["GET", "POST", "", junk(6)])], [":path", next() < 0.7 ? randomPath() : junk(40)], [":authority", pick(["a.com:1", "", junk(20)])]];
      const extra = Math.floor(next() * 4);
      for (let h = 0; h < extra; h++) headers.push([pick(["x-user", "x-forwarded-for", "x-other"]), pick([junk(30), "1.2.3.4, 10.0.0.1", "bad"])]);
      const payloadChoice = next();
      const jwt = payloadChoice < 0.3 ? undefined
        : payloadChoice < 0.8 ? { principal: junk(30), payload: pick(payloads) }
        : { principal: junk(10), rawPayload: Buffer.from(junk(50)) };
      const outcome = runRequest(plugin, {
        headers,
        jwt,
        properties: {
          "source.address": pick(addresses), "destination.address": pick(addresses), "destination.port": pick([8080, 0, -1, 70000]),
          "connection.uri_san_peer_certificate": pick(["spiffe://cluster.local/ns/foo/sa/bar", "", junk(40)]),
          "connection.requested_server_name": pick(["", junk(12)]),
        },
      });
      expect(outcome.failed, `iteration ${i}`).toBe(false);
      if (outcome.status === undefined) outcomes.allowed++;
      else {
        expect(outcome.status).toBe(403);
        outcomes.denied++;
      }
    }
    expect(plugin.isFailed).toBe(false);
    // Both outcomes must occur, or the fuzz inputs would not reach the interesting paths.
    expect(outcomes.allowed).toBeGreaterThan(0);
    expect(outcomes.denied).toBeGreaterThan(0);
  });
});

describe("rbac filter: module", () => {
  it("stays within 64 KB", () => {
    expect(statSync(RBAC_WASM).size).toBeLessThanOrEqual(64 * 1024);
  });
});
