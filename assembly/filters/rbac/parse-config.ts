/**
 * Reads the rbac plugin configuration (docs/auth-contract.md): Istio
 * AuthorizationPolicy specs with their namespace, name and dry-run flag.
 * Whatever Istio's validation (pkg/config/security/security.go) would
 * reject is rejected here too, with the JSON path of the first problem.
 */
import { JsonArray, JsonObject, JsonValue, parseJsonBytes } from "../../sdk";
import { asciiLowerCase } from "../../expr/ascii-case";
import { configError, hasConfigError, reportConfigError, resetConfigError } from "../../sdk/config-error";
import { CidrRange } from "./ip-address";
import {
  ClaimMatcher, HeaderMatcher, IpMatcher, IpSource, Matcher, PathMatcher, PathTemplateMatcher, PeerPrincipalMatcher,
  PortMatcher, RequestPrincipalMatcher, SniMatcher,
} from "./matchers";
import { PathTemplate, containsPathTemplate, hasStrayBraces, pathTemplateError } from "./path-template";
import { Condition, Engine, NamedRule, PolicyAction, RbacConfig, Rule } from "./policy";
import { ValuePattern, exactValue, headerPattern, prefixValue, stringPattern, suffixValue } from "./value-pattern";

export { configError };

/** What a value is matched against; decides how the value compiles. */
const enum Attribute {
  Principal, RequestPrincipal, Namespace, SourceIp, RemoteIp, DestinationIp, DestinationPort,
  Host, Method, Path, Header, Claim, Sni,
}

const SPIFFE_PREFIX = "spiffe://";

/** Istio's `StringMatcherWithPrefix(v, "spiffe://")` for `principals` and `source.principal`. */
function peerPrincipalMatcher(value: string): Matcher {
  if (value == "*") return new PeerPrincipalMatcher(new ValuePattern(null, true), "");
  // Istio: regex `spiffe://.*<suffix>`; every other form keeps the prefix inside a plain matcher.
  if (value.startsWith("*")) return new PeerPrincipalMatcher(null, SPIFFE_PREFIX + value);
  return new PeerPrincipalMatcher(stringPattern(SPIFFE_PREFIX + value), "");
}

/** Istio's requestPrincipalGenerator: "<iss>/<sub>" split at the last '/', each side with its own wildcard. */
function requestPrincipalMatcher(value: string): Matcher {
  const any = new ValuePattern(null, true);
  const slash = value.lastIndexOf("/");
  const found = slash >= 0;
  const issuer = found ? value.substring(0, slash) : value;
  const subject = found ? value.substring(slash + 1) : "";
  if (value == "*") return new RequestPrincipalMatcher(any, any);
  if (value.startsWith("*")) {
    if (!found) return new RequestPrincipalMatcher(any, suffixValue(value.substring(1)));
    return new RequestPrincipalMatcher(issuer == "*" ? any : suffixValue(issuer.substring(1)), exactValue(subject));
  }
  if (value.endsWith("*")) {
    if (!found) return new RequestPrincipalMatcher(prefixValue(value.substring(0, value.length - 1)), any);
    return new RequestPrincipalMatcher(exactValue(issuer), subject == "*" ? any : prefixValue(subject.substring(0, subject.length - 1)));
  }
  return new RequestPrincipalMatcher(exactValue(issuer), exactValue(subject));
}

class ValueContext {
  constructor(readonly attribute: Attribute, readonly name: string, readonly claimPath: string[]) {}
}

function compileValue(context: ValueContext, value: string, path: string): Matcher | null {
  switch (context.attribute) {
    case Attribute.Principal: return peerPrincipalMatcher(value);
    case Attribute.RequestPrincipal: return requestPrincipalMatcher(value);
    // Istio: regex `.*/ns/<value with * as .*>/.*` against the peer principal.
    case Attribute.Namespace: return new PeerPrincipalMatcher(null, "*/ns/" + value + "/*");
    case Attribute.SourceIp:
    case Attribute.RemoteIp:
    case Attribute.DestinationIp: {
      const range = CidrRange.parse(value);
      if (range === null) {
        reportConfigError(path, (value.includes("/") ? "bad CIDR range" : "bad IP address") + " \"" + value + "\"");
        return null;
      }
      const source = context.attribute == Attribute.SourceIp ? IpSource.Source
        : context.attribute == Attribute.RemoteIp ? IpSource.Remote : IpSource.Destination;
      return new IpMatcher(source, range);
    }
    case Attribute.DestinationPort: {
      const port = parsePort(value);
      if (port < 0) {
        reportConfigError(path, "bad port \"" + value + "\" (0-65535)");
        return null;
      }
      return new PortMatcher(port);
    }
    case Attribute.Host: return new HeaderMatcher(":authority", headerPattern(value, true));
    case Attribute.Method: return new HeaderMatcher(":method", headerPattern(value));
    case Attribute.Header: return new HeaderMatcher(context.name, headerPattern(value));
    case Attribute.Path: {
      if (containsPathTemplate(value)) {
        const template = PathTemplate.parse(value);
        if (template === null) {
          reportConfigError(path, "invalid path template \"" + value + "\": " + pathTemplateError);
          return null;
        }
        return new PathTemplateMatcher(template);
      }
      if (hasStrayBraces(value)) {
        reportConfigError(path, "invalid path \"" + value + "\": '{' or '}' outside {*} and {**}");
        return null;
      }
      return new PathMatcher(stringPattern(value));
    }
    case Attribute.Claim: return new ClaimMatcher(context.claimPath, stringPattern(value));
    case Attribute.Sni: return new SniMatcher(stringPattern(value));
  }
  return null;
}

function parsePort(text: string): i64 {
  if (text.length == 0 || text.length > 5) return -1;
  let port: i64 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    port = port * 10 + (c - 0x30);
  }
  return port > 65535 ? -1 : port;
}

/** A list of strings (ports may also be JSON numbers); absent or null = empty. */
function stringList(object: JsonObject, key: string, path: string): string[] {
  const out = new Array<string>();
  const value = object.get(key);
  if (value === null || value.isNull) return out;
  const list = value.asArray();
  if (list === null) {
    reportConfigError(path + "." + key, "must be a list of strings");
    return out;
  }
  for (let i = 0; i < list.items.length; i++) {
    const item = list.items[i];
    let text = item.asString();
    if (text === null && item.isNumber) {
      const number = item.asNumber();
      if (number >= 0 && number == Math.floor(number) && number < 1e9) text = (<i64>number).toString();
    }
    const where = path + "." + key + "[" + i.toString() + "]";
    if (text === null) {
      reportConfigError(where, "must be a string");
      return out;
    }
    if (text.length == 0) {
      reportConfigError(where, "empty value not allowed");
      return out;
    }
    out.push(text);
  }
  return out;
}

function compileList(context: ValueContext, values: string[], path: string): Matcher[] {
  const out = new Array<Matcher>();
  for (let i = 0; i < values.length; i++) {
    const matcher = compileValue(context, values[i], path + "[" + i.toString() + "]");
    if (matcher === null) return out;
    out.push(matcher);
  }
  return out;
}

/** Adds the condition for field `key` / `notKey` of `object` when either is set. */
function addField(conditions: Condition[], object: JsonObject, key: string, notKey: string, context: ValueContext, path: string): void {
  const values = stringList(object, key, path);
  const notValues = stringList(object, notKey, path);
  if (values.length == 0 && notValues.length == 0) return;
  conditions.push(new Condition(compileList(context, values, path + "." + key), compileList(context, notValues, path + "." + notKey)));
}

function checkKnownFields(object: JsonObject, known: string, path: string): bool {
  for (let i = 0; i < object.keys.length; i++) {
    if (!known.includes("," + object.keys[i] + ",")) {
      reportConfigError(path, "unknown field \"" + object.keys[i] + "\"");
      return false;
    }
  }
  return true;
}

/** Member `key` as an object; null when absent or null, reporting other types. */
function optionalObject(object: JsonObject, key: string, path: string): JsonObject | null {
  const value = object.get(key);
  if (value === null || value.isNull) return null;
  const result = value.asObject();
  if (result === null) reportConfigError(path + "." + key, "must be an object");
  return result;
}

/** Member `key` as a list; null when absent or null, reporting other types. */
function optionalArray(object: JsonObject, key: string, path: string): JsonArray | null {
  const value = object.get(key);
  if (value === null || value.isNull) return null;
  const result = value.asArray();
  if (result === null) reportConfigError(path + "." + key, "must be a list");
  return result;
}

function elementObject(value: JsonValue, path: string): JsonObject | null {
  const object = value.asObject();
  if (object === null) reportConfigError(path, "must be an object");
  return object;
}

const NO_CLAIM: string[] = [];

function sourceConditions(source: JsonObject, path: string): Condition[] {
  const out = new Array<Condition>();
  if (!checkKnownFields(source, ",principals,notPrincipals,requestPrincipals,notRequestPrincipals,namespaces,notNamespaces,ipBlocks,notIpBlocks,remoteIpBlocks,notRemoteIpBlocks,", path)) return out;
  addField(out, source, "principals", "notPrincipals", new ValueContext(Attribute.Principal, "", NO_CLAIM), path);
  addField(out, source, "requestPrincipals", "notRequestPrincipals", new ValueContext(Attribute.RequestPrincipal, "", NO_CLAIM), path);
  addField(out, source, "namespaces", "notNamespaces", new ValueContext(Attribute.Namespace, "", NO_CLAIM), path);
  addField(out, source, "ipBlocks", "notIpBlocks", new ValueContext(Attribute.SourceIp, "", NO_CLAIM), path);
  addField(out, source, "remoteIpBlocks", "notRemoteIpBlocks", new ValueContext(Attribute.RemoteIp, "", NO_CLAIM), path);
  return out;
}

function operationConditions(operation: JsonObject, path: string): Condition[] {
  const out = new Array<Condition>();
  if (!checkKnownFields(operation, ",hosts,notHosts,ports,notPorts,methods,notMethods,paths,notPaths,", path)) return out;
  addField(out, operation, "hosts", "notHosts", new ValueContext(Attribute.Host, "", NO_CLAIM), path);
  addField(out, operation, "ports", "notPorts", new ValueContext(Attribute.DestinationPort, "", NO_CLAIM), path);
  addField(out, operation, "methods", "notMethods", new ValueContext(Attribute.Method, "", NO_CLAIM), path);
  addField(out, operation, "paths", "notPaths", new ValueContext(Attribute.Path, "", NO_CLAIM), path);
  return out;
}

/** Istio's `validateMapKey`: `a[b]` with a non-empty b. */
function isMapKey(key: string): bool {
  const open = key.indexOf("[");
  return key.endsWith("]") && open > 0 && open < key.length - 2;
}

/** Istio's `extractNameInNestedBrackets`: "[a][b]" -> ["a", "b"]; anything else -> the text inside the outer brackets. */
function claimPath(brackets: string): string[] {
  const out = new Array<string>();
  let begin = 0;
  while (begin < brackets.length) {
    let end = -1;
    if (brackets.charCodeAt(begin) == 0x5B) {
      for (let i = begin + 1; i < brackets.length; i++) {
        const c = brackets.charCodeAt(i);
        if (c == 0x5B) break;
        if (c == 0x5D) { end = i; break; }
      }
    }
    if (end < 0) return [brackets.substring(1, brackets.length - 1)];
    out.push(brackets.substring(begin + 1, end));
    begin = end + 1;
  }
  return out;
}

const HEADERS_KEY = "request.headers";
const CLAIMS_KEY = "request.auth.claims";

/** The attribute a `when` key names; null (with the error set) for keys this filter does not know. */
function whenContext(key: string, path: string): ValueContext | null {
  if (key.startsWith(HEADERS_KEY)) {
    const rest = key.substring(HEADERS_KEY.length);
    if (!isMapKey(key) || !rest.startsWith("[") || !rest.endsWith("]")) {
      reportConfigError(path, "bad key \"" + key + "\": should have format request.headers[<name>]");
      return null;
    }
    return new ValueContext(Attribute.Header, asciiLowerCase(rest.substring(1, rest.length - 1)), NO_CLAIM);
  }
  if (key.startsWith(CLAIMS_KEY)) {
    const rest = key.substring(CLAIMS_KEY.length);
    if (!isMapKey(key) || !rest.startsWith("[") || !rest.endsWith("]")) {
      reportConfigError(path, "bad key \"" + key + "\": should have format request.auth.claims[<name>]");
      return null;
    }
    return new ValueContext(Attribute.Claim, "", claimPath(rest));
  }
  if (key == "request.auth.principal") return new ValueContext(Attribute.RequestPrincipal, "", NO_CLAIM);
  if (key == "request.auth.audiences") return new ValueContext(Attribute.Claim, "", ["aud"]);
  if (key == "request.auth.presenter") return new ValueContext(Attribute.Claim, "", ["azp"]);
  if (key == "source.ip") return new ValueContext(Attribute.SourceIp, "", NO_CLAIM);
  if (key == "remote.ip") return new ValueContext(Attribute.RemoteIp, "", NO_CLAIM);
  if (key == "source.namespace") return new ValueContext(Attribute.Namespace, "", NO_CLAIM);
  if (key == "source.principal") return new ValueContext(Attribute.Principal, "", NO_CLAIM);
  if (key == "destination.ip") return new ValueContext(Attribute.DestinationIp, "", NO_CLAIM);
  if (key == "destination.port") return new ValueContext(Attribute.DestinationPort, "", NO_CLAIM);
  if (key == "connection.sni") return new ValueContext(Attribute.Sni, "", NO_CLAIM);
  reportConfigError(path + ".key", "unknown attribute \"" + key + "\"");
  return null;
}

function parseWhen(when: JsonObject, path: string): Condition | null {
  if (!checkKnownFields(when, ",key,values,notValues,", path)) return null;
  const keyValue = when.get("key");
  const key: string | null = keyValue === null ? null : keyValue.asString();
  if (key === null || key.length == 0) {
    reportConfigError(path + ".key", "a condition needs a key");
    return null;
  }
  const context = whenContext(key, path);
  if (context === null) return null;
  const values = stringList(when, "values", path);
  const notValues = stringList(when, "notValues", path);
  if (hasConfigError()) return null;
  if (values.length == 0 && notValues.length == 0) {
    reportConfigError(path, "at least one of values or notValues must be set for key " + key);
    return null;
  }
  return new Condition(compileList(context, values, path + ".values"), compileList(context, notValues, path + ".notValues"));
}

function parseRule(object: JsonObject, path: string): Rule {
  const rule = new Rule();
  if (!checkKnownFields(object, ",from,to,when,", path)) return rule;
  const from = optionalArray(object, "from", path);
  if (from !== null) {
    for (let i = 0; i < from.items.length; i++) {
      const where = path + ".from[" + i.toString() + "]";
      const entry = elementObject(from.items[i], where);
      if (entry === null || !checkKnownFields(entry, ",source,", where)) return rule;
      const source = optionalObject(entry, "source", where);
      rule.from.push(source === null ? new Array<Condition>() : sourceConditions(source, where + ".source"));
    }
  }
  const to = optionalArray(object, "to", path);
  if (to !== null) {
    for (let i = 0; i < to.items.length; i++) {
      const where = path + ".to[" + i.toString() + "]";
      const entry = elementObject(to.items[i], where);
      if (entry === null || !checkKnownFields(entry, ",operation,", where)) return rule;
      const operation = optionalObject(entry, "operation", where);
      rule.to.push(operation === null ? new Array<Condition>() : operationConditions(operation, where + ".operation"));
    }
  }
  const when = optionalArray(object, "when", path);
  if (when !== null) {
    for (let i = 0; i < when.items.length; i++) {
      const where = path + ".when[" + i.toString() + "]";
      const entry = elementObject(when.items[i], where);
      if (entry === null) return rule;
      const condition = parseWhen(entry, where);
      if (condition === null) return rule;
      rule.when.push(condition);
    }
  }
  return rule;
}

function requiredString(object: JsonObject, key: string, path: string): string {
  const value = object.get(key);
  const text: string | null = value === null ? null : value.asString();
  if (text === null || text.length == 0) {
    reportConfigError(path + "." + key, "must be a non-empty string");
    return "";
  }
  return text;
}

function optionalString(object: JsonObject, key: string, path: string, fallback: string): string {
  const value = object.get(key);
  if (value === null || value.isNull) return fallback;
  const text = value.asString();
  if (text === null) {
    reportConfigError(path + "." + key, "must be a string");
    return fallback;
  }
  return text;
}

function parsePolicy(config: RbacConfig, object: JsonObject, path: string): void {
  if (!checkKnownFields(object, ",name,namespace,action,rules,dryRun,provider,", path)) return;
  const name = requiredString(object, "name", path);
  const namespace = optionalString(object, "namespace", path, "");
  const action = optionalString(object, "action", path, "ALLOW");
  const dryRunValue = object.get("dryRun");
  if (dryRunValue !== null && !dryRunValue.isBool && !dryRunValue.isNull) reportConfigError(path + ".dryRun", "must be a boolean");
  const dryRun = dryRunValue !== null && dryRunValue.asBool();
  if (hasConfigError()) return;
  let kind: PolicyAction;
  if (action == "ALLOW") kind = PolicyAction.Allow;
  else if (action == "DENY") kind = PolicyAction.Deny;
  else if (action == "AUDIT") kind = PolicyAction.Audit;
  else if (action == "CUSTOM") {
    const provider = optionalObject(object, "provider", path);
    const providerName = provider === null ? "" : optionalString(provider, "name", path + ".provider", "");
    reportConfigError(path + ".action", "CUSTOM needs an external authorizer (provider \"" + providerName +
      "\"), which this filter does not call; use Envoy's ext_authz filter for CUSTOM policies");
    return;
  } else {
    reportConfigError(path + ".action", "unknown action \"" + action + "\" (ALLOW, DENY, AUDIT or CUSTOM)");
    return;
  }
  // Istio puts dry-run policies into the RBAC filter's shadow rules; AUDIT only logs either way.
  let engine: Engine;
  if (kind == PolicyAction.Audit) engine = config.audit;
  else if (kind == PolicyAction.Deny) engine = dryRun ? config.denyDryRun : config.deny;
  else engine = dryRun ? config.allowDryRun : config.allow;
  const idPrefix = "ns[" + namespace + "]-policy[" + name + "]-rule[";
  const rules = optionalArray(object, "rules", path);
  if (rules === null || rules.items.length == 0) {
    // builder.go: a policy without rules becomes one that never matches (so an ALLOW one denies everything).
    const never = new Rule();
    never.matchable = false;
    engine.add(new NamedRule(idPrefix + "0]", never));
    return;
  }
  for (let i = 0; i < rules.items.length; i++) {
    const where = path + ".rules[" + i.toString() + "]";
    const item = rules.items[i];
    // builder.go skips null rules.
    if (item.isNull) continue;
    const object = elementObject(item, where);
    if (object === null) return;
    const rule = parseRule(object, where);
    if (hasConfigError()) return;
    engine.add(new NamedRule(idPrefix + i.toString() + "]", rule));
  }
}

/** Parses the plugin configuration; null with {@link configError} when it is invalid. */
export function parseRbacConfig(bytes: ArrayBuffer): RbacConfig | null {
  resetConfigError();
  const parsed = parseJsonBytes(bytes);
  const root = parsed.value;
  if (root === null) {
    reportConfigError("", "not valid JSON: " + parsed.error);
    return null;
  }
  const object = root.asObject();
  if (object === null) {
    reportConfigError("", "must be a JSON object");
    return null;
  }
  if (!checkKnownFields(object, ",policies,numTrustedProxies,", "")) return null;
  const config = new RbacConfig();
  const trusted = object.get("numTrustedProxies");
  if (trusted !== null && !trusted.isNull) {
    const number = trusted.asNumber(-1);
    if (!trusted.isNumber || number < 0 || number != Math.floor(number) || number > 64) {
      reportConfigError("numTrustedProxies", "must be an integer from 0 to 64");
      return null;
    }
    config.numTrustedProxies = <i32>number;
  }
  const policies = optionalArray(object, "policies", "");
  if (policies !== null) {
    for (let i = 0; i < policies.items.length; i++) {
      const where = "policies[" + i.toString() + "]";
      const policy = elementObject(policies.items[i], where);
      if (policy === null) return null;
      parsePolicy(config, policy, where);
      if (hasConfigError()) return null;
    }
    config.policyCount = policies.items.length;
  }
  return hasConfigError() ? null : config;
}
