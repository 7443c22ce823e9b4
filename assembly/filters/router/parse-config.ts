import { Header, JsonArray, JsonObject, JsonValue, parseJsonBytes } from "../../sdk";
import { asciiLowerCase } from "../../expr/ascii-case";
import { StringMatchKind, StringMatcher } from "../../expr/string-match";
import {
  checkKnownFields, expectObject, hasConfigError, optionalInteger, optionalString, reportConfigError, resetConfigError,
} from "../../sdk/config-error";
import { decodeBase64 } from "../../crypto/base64";
import { parseDurationMilliseconds } from "./duration";
import { grpcStatusCode } from "./grpc-status";
import {
  DirectResponse, Fault, HeaderOperations, HeadersPolicy, MatchCondition, NamedMatcher, Redirect, Route, RouterConfig,
  StickyKey, VirtualService, WeightedDestination,
} from "./model";

// Field names of networking.istio.io/v1 (istio/api networking/v1alpha3/virtual_service.proto,
// destination_rule.proto). Fields listed but not honoured are accepted and ignored, like the
// parts of Istio's API this filter does not implement (timeouts, retries, mirroring, CORS).
const TOP_LEVEL_FIELDS = ",clusterHeader,virtualServices,destinationRules,";
const VIRTUAL_SERVICE_FIELDS = ",name,hosts,http,";
const HTTP_ROUTE_FIELDS = ",name,match,route,redirect,directResponse,delegate,rewrite,timeout,retries,fault,mirror,mirrors,mirrorPercent,mirrorPercentage,mirror_percent,corsPolicy,headers,";
const MATCH_FIELDS = ",name,uri,scheme,method,authority,headers,port,sourceLabels,gateways,queryParams,ignoreUriCase,withoutHeaders,sourceNamespace,statPrefix,";
const ROUTE_DESTINATION_FIELDS = ",destination,weight,headers,";
const DESTINATION_FIELDS = ",host,subset,port,";
const PORT_SELECTOR_FIELDS = ",number,";
const HEADERS_FIELDS = ",request,response,";
const HEADER_OPERATIONS_FIELDS = ",set,add,remove,";
const STRING_MATCH_FIELDS = ",exact,prefix,regex,";
const REDIRECT_FIELDS = ",uri,authority,port,derivePort,scheme,redirectCode,";
const DIRECT_RESPONSE_FIELDS = ",status,body,";
const BODY_FIELDS = ",string,bytes,";
const REWRITE_FIELDS = ",uri,authority,uriRegexRewrite,";
const FAULT_FIELDS = ",delay,abort,";
const DELAY_FIELDS = ",fixedDelay,exponentialDelay,percentage,percent,";
const ABORT_FIELDS = ",httpStatus,grpcStatus,http2Error,percentage,percent,";
const PERCENT_FIELDS = ",value,";
const DESTINATION_RULE_FIELDS = ",consistentHash,";
const CONSISTENT_HASH_FIELDS = ",httpHeaderName,httpCookie,useSourceIp,httpQueryParameterName,ringHash,maglev,minimumRingSize,";
const COOKIE_FIELDS = ",name,path,ttl,";

function arrayAt(object: JsonObject, key: string, path: string): JsonArray | null {
  const value = object.get(key);
  if (value === null) return null;
  const array = value.asArray();
  if (array === null) reportConfigError(path + "." + key, "must be an array");
  return array;
}

function objectAt(object: JsonObject, key: string, path: string): JsonObject | null {
  const value = object.get(key);
  if (value === null) return null;
  return expectObject(value, path + "." + key);
}

/**
 * Istio StringMatch: exactly one of exact, prefix, regex. `{}` means "present"
 * where Istio allows it (header and query parameter conditions).
 */
function parseStringMatch(value: JsonValue, path: string, ignoreCase: bool, allowPresence: bool): StringMatcher | null {
  const object = expectObject(value, path);
  if (object === null || !checkKnownFields(object, STRING_MATCH_FIELDS, path)) return null;
  if (object.keys.length == 0) {
    if (allowPresence) return StringMatcher.present();
    reportConfigError(path, "must set one of exact, prefix, regex");
    return null;
  }
  if (object.keys.length > 1) {
    reportConfigError(path, "must set only one of exact, prefix, regex");
    return null;
  }
  const key = object.keys[0];
  const text = object.values[0].asString();
  if (text === null) {
    reportConfigError(path + "." + key, "must be a string");
    return null;
  }
  let kind = StringMatchKind.Exact;
  if (key == "prefix") kind = StringMatchKind.Prefix;
  else if (key == "regex") kind = StringMatchKind.Regex;
  // Envoy applies case-insensitivity to exact and prefix only, never to safe_regex.
  const matcher = StringMatcher.compile(kind, text, ignoreCase && kind != StringMatchKind.Regex);
  if (matcher === null) reportConfigError(path + "." + key, StringMatcher.lastError);
  return matcher;
}

function parseNamedMatchers(object: JsonObject, key: string, path: string, lowerCaseNames: bool): NamedMatcher[] {
  const result = new Array<NamedMatcher>();
  const map = objectAt(object, key, path);
  if (map === null) return result;
  for (let i = 0; i < map.keys.length; i++) {
    const name = map.keys[i];
    const matcher = parseStringMatch(map.values[i], path + "." + key + "." + name, false, true);
    if (matcher === null) return result;
    result.push(new NamedMatcher(lowerCaseNames ? asciiLowerCase(name) : name, matcher));
  }
  return result;
}

function parseMatch(object: JsonObject, path: string): MatchCondition | null {
  if (!checkKnownFields(object, MATCH_FIELDS, path)) return null;
  const condition = new MatchCondition();
  const ignoreUriCaseValue = object.get("ignoreUriCase");
  if (ignoreUriCaseValue !== null && !ignoreUriCaseValue.isBool) {
    reportConfigError(path + ".ignoreUriCase", "must be a boolean");
    return null;
  }
  const ignoreUriCase = object.getBool("ignoreUriCase");
  const uri = object.get("uri");
  if (uri !== null) {
    condition.uri = parseStringMatch(uri, path + ".uri", ignoreUriCase, false);
    if (condition.uri !== null) condition.uriIsPrefix = condition.uri!.kind == StringMatchKind.Prefix;
  }
  const scheme = object.get("scheme");
  if (scheme !== null) condition.scheme = parseStringMatch(scheme, path + ".scheme", false, false);
  const method = object.get("method");
  if (method !== null) condition.method = parseStringMatch(method, path + ".method", false, false);
  const authority = object.get("authority");
  if (authority !== null) condition.authority = parseStringMatch(authority, path + ".authority", false, false);
  condition.headers = parseNamedMatchers(object, "headers", path, true);
  condition.withoutHeaders = parseNamedMatchers(object, "withoutHeaders", path, true);
  condition.queryParams = parseNamedMatchers(object, "queryParams", path, false);
  condition.port = <i32>optionalInteger(object, "port", path, 0);
  return hasConfigError() ? null : condition;
}

function parseHeaderMap(object: JsonObject, key: string, path: string): Header[] {
  const result = new Array<Header>();
  const map = objectAt(object, key, path);
  if (map === null) return result;
  for (let i = 0; i < map.keys.length; i++) {
    const value = map.values[i].asString();
    if (value === null) {
      reportConfigError(path + "." + key + "." + map.keys[i], "must be a string");
      return result;
    }
    result.push(new Header(asciiLowerCase(map.keys[i]), value));
  }
  return result;
}

function parseHeaderOperations(object: JsonObject | null, path: string): HeaderOperations | null {
  if (object === null || !checkKnownFields(object, HEADER_OPERATIONS_FIELDS, path)) return null;
  const operations = new HeaderOperations();
  operations.overwrite = parseHeaderMap(object, "set", path);
  operations.append = parseHeaderMap(object, "add", path);
  const remove = arrayAt(object, "remove", path);
  if (remove !== null) {
    for (let i = 0; i < remove.items.length; i++) {
      const name = remove.items[i].asString();
      if (name === null) {
        reportConfigError(path + ".remove[" + i.toString() + "]", "must be a string");
        return null;
      }
      operations.removals.push(asciiLowerCase(name));
    }
  }
  return operations;
}

function parseHeadersPolicy(object: JsonObject, path: string): HeadersPolicy | null {
  const headers = objectAt(object, "headers", path);
  if (headers === null || !checkKnownFields(headers, HEADERS_FIELDS, path + ".headers")) return null;
  const policy = new HeadersPolicy();
  policy.request = parseHeaderOperations(objectAt(headers, "request", path + ".headers"), path + ".headers.request");
  policy.response = parseHeaderOperations(objectAt(headers, "response", path + ".headers"), path + ".headers.response");
  return policy;
}

function parseDestination(object: JsonObject, path: string): WeightedDestination | null {
  if (!checkKnownFields(object, ROUTE_DESTINATION_FIELDS, path)) return null;
  const result = new WeightedDestination();
  const destination = objectAt(object, "destination", path);
  if (destination === null) {
    if (!hasConfigError()) reportConfigError(path, "missing destination");
    return null;
  }
  const destinationPath = path + ".destination";
  if (!checkKnownFields(destination, DESTINATION_FIELDS, destinationPath)) return null;
  result.host = asciiLowerCase(optionalString(destination, "host", destinationPath));
  if (result.host.length == 0 && !hasConfigError()) reportConfigError(destinationPath + ".host", "is required");
  result.subset = optionalString(destination, "subset", destinationPath);
  const port = objectAt(destination, "port", destinationPath);
  if (port !== null && checkKnownFields(port, PORT_SELECTOR_FIELDS, destinationPath + ".port")) {
    result.port = <i32>optionalInteger(port, "number", destinationPath + ".port", 0);
  }
  result.weight = <i32>optionalInteger(object, "weight", path, 0);
  result.headers = parseHeadersPolicy(object, path);
  return hasConfigError() ? null : result;
}

function parseRedirect(object: JsonObject, path: string): Redirect | null {
  if (!checkKnownFields(object, REDIRECT_FIELDS, path)) return null;
  const redirect = new Redirect();
  redirect.uri = optionalString(object, "uri", path);
  redirect.authority = optionalString(object, "authority", path);
  redirect.scheme = optionalString(object, "scheme", path);
  redirect.port = <i32>optionalInteger(object, "port", path, 0);
  redirect.code = <i32>optionalInteger(object, "redirectCode", path, 301);
  if (object.has("derivePort")) reportConfigError(path + ".derivePort", "is not supported");
  return hasConfigError() ? null : redirect;
}

function parseDirectResponse(object: JsonObject, path: string): DirectResponse | null {
  if (!checkKnownFields(object, DIRECT_RESPONSE_FIELDS, path)) return null;
  const response = new DirectResponse();
  response.status = <i32>optionalInteger(object, "status", path, 0);
  if (response.status < 200 || response.status > 599) {
    if (!hasConfigError()) reportConfigError(path + ".status", "must be an HTTP status between 200 and 599");
    return null;
  }
  const body = objectAt(object, "body", path);
  if (body !== null && checkKnownFields(body, BODY_FIELDS, path + ".body")) {
    if (body.has("string")) {
      response.body = String.UTF8.encode(optionalString(body, "string", path + ".body"));
    } else if (body.has("bytes")) {
      const decoded = decodeBase64(optionalString(body, "bytes", path + ".body"));
      if (decoded === null) reportConfigError(path + ".body.bytes", "is not valid base64");
      else response.body = decoded;
    }
  }
  return hasConfigError() ? null : response;
}

/** A percentage from `percentage.value` (or the deprecated integer `percent`); absent = 0, as in Envoy. */
function parsePercent(object: JsonObject, path: string): f64 {
  const percentage = objectAt(object, "percentage", path);
  if (percentage !== null) {
    if (!checkKnownFields(percentage, PERCENT_FIELDS, path + ".percentage")) return 0;
    const value = percentage.get("value");
    if (value === null) return 0;
    const number = value.asNumber(-1);
    if (!value.isNumber || number < 0 || number > 100) {
      reportConfigError(path + ".percentage.value", "must be a number between 0 and 100");
      return 0;
    }
    return number;
  }
  const percent = optionalInteger(object, "percent", path, 0);
  if (percent > 100) reportConfigError(path + ".percent", "must be between 0 and 100");
  return <f64>percent;
}

function parseFault(object: JsonObject, path: string): Fault | null {
  if (!checkKnownFields(object, FAULT_FIELDS, path)) return null;
  const fault = new Fault();
  const delay = objectAt(object, "delay", path);
  if (delay !== null && checkKnownFields(delay, DELAY_FIELDS, path + ".delay")) {
    if (delay.has("exponentialDelay")) reportConfigError(path + ".delay.exponentialDelay", "is not supported (Istio does not implement it either)");
    const text = optionalString(delay, "fixedDelay", path + ".delay");
    fault.delayMs = parseDurationMilliseconds(text);
    if (fault.delayMs < 1) reportConfigError(path + ".delay.fixedDelay", "must be a duration of at least 1ms such as \"5s\", got \"" + text + "\"");
    fault.delayPercent = parsePercent(delay, path + ".delay");
  }
  const abort = objectAt(object, "abort", path);
  if (abort !== null && checkKnownFields(abort, ABORT_FIELDS, path + ".abort")) {
    if (abort.has("http2Error")) reportConfigError(path + ".abort.http2Error", "is not supported");
    if (abort.has("grpcStatus")) {
      const name = optionalString(abort, "grpcStatus", path + ".abort");
      fault.abortGrpcStatus = grpcStatusCode(name);
      if (fault.abortGrpcStatus < 0) reportConfigError(path + ".abort.grpcStatus", "unknown gRPC status \"" + name + "\"");
      fault.abortHttpStatus = 503;
    } else {
      fault.abortHttpStatus = <i32>optionalInteger(abort, "httpStatus", path + ".abort", 0);
      if ((fault.abortHttpStatus < 200 || fault.abortHttpStatus > 599) && !hasConfigError()) {
        reportConfigError(path + ".abort.httpStatus", "must be an HTTP status between 200 and 599");
      }
    }
    fault.abortPercent = parsePercent(abort, path + ".abort");
  }
  return hasConfigError() ? null : fault;
}

function parseRoute(object: JsonObject, path: string, stickyKeys: StickyKeys, config: RouterConfig): Route | null {
  if (!checkKnownFields(object, HTTP_ROUTE_FIELDS, path)) return null;
  const route = new Route();
  route.name = optionalString(object, "name", path);
  if (object.has("delegate")) {
    reportConfigError(path + ".delegate", "delegate VirtualServices must be merged by the control plane before reaching the router");
    return null;
  }
  const matches = arrayAt(object, "match", path);
  if (matches !== null) {
    for (let i = 0; i < matches.items.length; i++) {
      const matchPath = path + ".match[" + i.toString() + "]";
      const matchObject = expectObject(matches.items[i], matchPath);
      if (matchObject === null) return null;
      const condition = parseMatch(matchObject, matchPath);
      if (condition === null) return null;
      route.matches.push(condition);
    }
  }
  const destinations = arrayAt(object, "route", path);
  if (destinations !== null) {
    for (let i = 0; i < destinations.items.length; i++) {
      const destinationPath = path + ".route[" + i.toString() + "]";
      const destinationObject = expectObject(destinations.items[i], destinationPath);
      if (destinationObject === null) return null;
      const destination = parseDestination(destinationObject, destinationPath);
      if (destination === null) return null;
      route.destinations.push(destination);
    }
  }
  const redirect = objectAt(object, "redirect", path);
  if (redirect !== null) route.redirect = parseRedirect(redirect, path + ".redirect");
  const directResponse = objectAt(object, "directResponse", path);
  if (directResponse !== null) route.directResponse = parseDirectResponse(directResponse, path + ".directResponse");
  const rewrite = objectAt(object, "rewrite", path);
  if (rewrite !== null && checkKnownFields(rewrite, REWRITE_FIELDS, path + ".rewrite")) {
    if (rewrite.has("uriRegexRewrite")) reportConfigError(path + ".rewrite.uriRegexRewrite", "is not supported");
    if (rewrite.has("uri")) route.rewriteUri = optionalString(rewrite, "uri", path + ".rewrite");
    route.rewriteAuthority = optionalString(rewrite, "authority", path + ".rewrite");
  }
  route.headers = parseHeadersPolicy(object, path);
  const fault = objectAt(object, "fault", path);
  if (fault !== null) {
    route.fault = parseFault(fault, path + ".fault");
    if (route.fault !== null && route.fault!.delayMs > 0) {
      if (config.shortestDelayMs == 0 || route.fault!.delayMs < config.shortestDelayMs) config.shortestDelayMs = route.fault!.delayMs;
    }
  }
  if (hasConfigError()) return null;

  const actions = (route.destinations.length > 0 ? 1 : 0) + (route.redirect !== null ? 1 : 0) + (route.directResponse !== null ? 1 : 0);
  if (actions != 1) {
    reportConfigError(path, "must set exactly one of route, redirect, directResponse");
    return null;
  }
  if (route.destinations.length == 1 && route.destinations[0].weight == 0) {
    // Istio: a lone destination takes all traffic whatever its weight.
    route.destinations[0].weight = 1;
  }
  let total: i64 = 0;
  for (let i = 0; i < route.destinations.length; i++) total += route.destinations[i].weight;
  if (route.destinations.length > 0 && (total <= 0 || total > 0x7FFFFFFF)) {
    reportConfigError(path + ".route", "weights must add up to more than 0");
    return null;
  }
  route.totalWeight = <i32>total;
  for (let i = 0; i < route.destinations.length; i++) {
    const index = stickyKeys.hosts.indexOf(route.destinations[i].host);
    if (index >= 0) {
      route.sticky = stickyKeys.keys[index];
      break;
    }
  }
  return route;
}

/** consistentHash settings by destination host (parallel arrays: smaller code than a Map). */
class StickyKeys {
  hosts: string[] = [];
  keys: StickyKey[] = [];
}

function parseStickyKeys(object: JsonObject | null, path: string): StickyKeys {
  const keys = new StickyKeys();
  if (object === null) return keys;
  for (let i = 0; i < object.keys.length; i++) {
    const host = object.keys[i];
    const rulePath = path + ".destinationRules." + host;
    const rule = expectObject(object.values[i], rulePath);
    if (rule === null || !checkKnownFields(rule, DESTINATION_RULE_FIELDS, rulePath)) return keys;
    const hash = objectAt(rule, "consistentHash", rulePath);
    if (hash === null || !checkKnownFields(hash, CONSISTENT_HASH_FIELDS, rulePath + ".consistentHash")) continue;
    const hashPath = rulePath + ".consistentHash";
    const key = new StickyKey();
    key.header = asciiLowerCase(optionalString(hash, "httpHeaderName", hashPath));
    key.queryParameter = optionalString(hash, "httpQueryParameterName", hashPath);
    const cookie = objectAt(hash, "httpCookie", hashPath);
    if (cookie !== null && checkKnownFields(cookie, COOKIE_FIELDS, hashPath + ".httpCookie")) {
      key.cookie = optionalString(cookie, "name", hashPath + ".httpCookie");
      if (key.cookie.length == 0 && !hasConfigError()) reportConfigError(hashPath + ".httpCookie.name", "is required");
    }
    if (key.header.length > 0 || key.cookie.length > 0 || key.queryParameter.length > 0) {
      keys.hosts.push(asciiLowerCase(host));
      keys.keys.push(key);
    }
  }
  return keys;
}

/**
 * Parses the router's plugin configuration (see docs/router-config.md).
 * Returns null with the reason in config-error's {@link configError}.
 */
export function parseRouterConfig(bytes: ArrayBuffer): RouterConfig | null {
  resetConfigError();
  const parsed = parseJsonBytes(bytes);
  if (!parsed.ok) {
    reportConfigError("", "configuration is not valid JSON: " + parsed.error);
    return null;
  }
  const root = expectObject(parsed.value!, "configuration");
  if (root === null || !checkKnownFields(root, TOP_LEVEL_FIELDS, "configuration")) return null;
  const config = new RouterConfig();
  if (root.has("clusterHeader")) config.clusterHeader = asciiLowerCase(optionalString(root, "clusterHeader", ""));
  if (config.clusterHeader.length == 0 && !hasConfigError()) reportConfigError("clusterHeader", "must not be empty");
  const stickyKeys = parseStickyKeys(objectAt(root, "destinationRules", ""), "");
  const services = arrayAt(root, "virtualServices", "");
  if (services !== null) {
    for (let i = 0; i < services.items.length && !hasConfigError(); i++) {
      const servicePath = "virtualServices[" + i.toString() + "]";
      const serviceObject = expectObject(services.items[i], servicePath);
      if (serviceObject === null || !checkKnownFields(serviceObject, VIRTUAL_SERVICE_FIELDS, servicePath)) break;
      const service = new VirtualService();
      service.name = optionalString(serviceObject, "name", servicePath);
      const hosts = arrayAt(serviceObject, "hosts", servicePath);
      if (hosts !== null) {
        for (let h = 0; h < hosts.items.length; h++) {
          const host = hosts.items[h].asString();
          if (host === null) {
            reportConfigError(servicePath + ".hosts[" + h.toString() + "]", "must be a string");
            break;
          }
          service.hosts.push(asciiLowerCase(host));
        }
      }
      const routes = arrayAt(serviceObject, "http", servicePath);
      if (routes !== null) {
        for (let r = 0; r < routes.items.length && !hasConfigError(); r++) {
          const routePath = servicePath + ".http[" + r.toString() + "]";
          const routeObject = expectObject(routes.items[r], routePath);
          if (routeObject === null) break;
          const route = parseRoute(routeObject, routePath, stickyKeys, config);
          if (route !== null) service.routes.push(route);
        }
      }
      config.virtualServices.push(service);
    }
  }
  return hasConfigError() ? null : config;
}
