// Authenticates requests the way Istio's RequestAuthentication does through
// Envoy's jwt_authn filter: a request without a token continues
// unauthenticated; a request with a token that fails any check gets Envoy's
// 401 (403 for a wrong audience); a verified token's principal and payload
// go to filter state for later filters (docs/auth-contract.md).
export * from "../../sdk/exports";
import {
  Action, Header, HttpContext, MapType, RootContext, getCurrentTimeNanoseconds, logDebug, logError, logInfo, registerRootContext,
  requestHeaders,
} from "../../sdk";
import { encodePropertyPath, setEffectiveContext } from "../../sdk/hostcalls";
import { removeHeaderBytes, replaceHeaderBytes } from "../../sdk/header-bytes";
import { setPropertyBytes } from "../../sdk/property-bytes";
import { audiencesAllowed } from "./audiences";
import { JwtConfig, JwtRule, LocationKind, parseJwtConfig } from "./config";
import { JwtKey } from "./jwks";
import { stripOwnHeaders } from "./own-headers";
import { JwksWaiter, RemoteJwks } from "./remote-jwks";
import { verifySignature } from "./signature";
import { JwtStatus, jwtStatusText } from "./status";
import { parseToken } from "./token";
import { hashTokenBytes } from "./token-hash";
import { FoundToken, RequestTokens } from "./token-location";
import { VerifiedToken, VerifiedTokenCache } from "./verified-tokens";

/** Envoy's default `clock_skew_seconds`, which Istio does not change. */
const CLOCK_SKEW_SECONDS: i64 = 60;
/** Longer tokens are refused without parsing (Envoy's header limit is far higher; no real token is this big). */
const MAX_TOKEN_BYTES: i32 = 8192;
/** Envoy's `MaximumUriLength` for the realm (jwt_authn filter.cc). */
const MAX_REALM_PATH: i32 = 256;
const PRINCIPAL_PROPERTY: ArrayBuffer = encodePropertyPath(["wasmixer.jwt.principal"]);
const PAYLOAD_PROPERTY: ArrayBuffer = encodePropertyPath(["wasmixer.jwt.payload"]);

/** source/common/jwt/jwt.cc verifyTimeConstraint. */
function timeStatus(hasNbf: bool, nbf: i64, hasExp: bool, exp: i64, nowSeconds: i64): JwtStatus {
  if (hasNbf && nowSeconds + CLOCK_SKEW_SECONDS < nbf) return JwtStatus.NotYetValid;
  if (hasExp && nowSeconds > exp + CLOCK_SKEW_SECONDS) return JwtStatus.Expired;
  return JwtStatus.Ok;
}

class JwtRoot extends RootContext {
  config: JwtConfig = new JwtConfig();
  /** Per rule: its fetched key set, or null for inline keys. */
  remote: (RemoteJwks | null)[] = [];
  readonly cache: VerifiedTokenCache = new VerifiedTokenCache();
  /** The tokens of the request being looked at, reused by every request. */
  requestTokens: RequestTokens = new RequestTokens(this.config);
  /** acceptCached's entry per token, kept between requests so a hit allocates nothing. */
  private hits: StaticArray<VerifiedToken | null> = new StaticArray<VerifiedToken | null>(0);

  onConfigure(size: u32): bool {
    const bytes = this.pluginConfiguration();
    if (bytes === null || bytes.byteLength == 0) {
      logError("jwt: rejected configuration: it is empty (a JSON object with \"rules\" is required)");
      return false;
    }
    const parsed = parseJwtConfig(bytes);
    if (parsed.config === null) {
      logError("jwt: rejected configuration: " + parsed.error);
      return false;
    }
    const config = parsed.config!;
    const remote = new Array<RemoteJwks | null>(config.rules.length);
    for (let i = 0; i < config.rules.length; i++) {
      const rule = unchecked(config.rules[i]);
      unchecked(remote[i] = rule.inlineKeys !== null ? null : new RemoteJwks(rule.jwksUri, rule.jwksCluster, rule.timeoutMs, <u64>config.jwksCacheSeconds * 1_000_000_000));
    }
    this.config = config;
    this.remote = remote;
    this.requestTokens = new RequestTokens(config);
    this.hits = new StaticArray<VerifiedToken | null>(this.requestTokens.capacity);
    this.cache.clear();
    logInfo("jwt: configured " + config.rules.length.toString() + " rules");
    return true;
  }

  createHttpContext(id: u32): HttpContext | null {
    return new JwtStream(id, this);
  }

  private keyGeneration(ruleIndex: i32): u32 {
    const remote = unchecked(this.remote[ruleIndex]);
    return remote === null ? 0 : remote.generation;
  }

  /**
   * Answers a request whose tokens are all in the verified-token cache, still
   * valid and verified with the current keys: the same effects as checking
   * them (JwtStream.run) without parsing anything or allocating. False, with
   * nothing done, when any token needs the full check.
   */
  acceptCached(tokens: RequestTokens): bool {
    if (!this.config.ruleMasks) return false;
    const hits = this.hits;
    const nowSeconds = <i64>(getCurrentTimeNanoseconds() / 1_000_000_000);
    for (let i = 0; i < tokens.count; i++) {
      const entry = this.cachedFor(tokens, i, nowSeconds);
      if (entry === null) {
        hits.fill(null);
        return false;
      }
      unchecked(hits[i] = entry);
    }
    const rules = this.config.rules;
    for (let i = 0; i < tokens.count; i++) {
      const entry = changetype<VerifiedToken>(unchecked(hits[i]));
      const rule = unchecked(rules[entry.ruleIndex]);
      if (!rule.forwardOriginalToken) {
        // Envoy removes the header a verified token came in (authenticator.cc removeJwt).
        const watched = (<u64>1) << <u64>entry.ruleIndex;
        for (let t = 0; t < tokens.count; t++) {
          const location = tokens.location(t);
          if (location.kind == LocationKind.Header && (tokens.ruleMask(t) & watched) != 0) removeHeader(location.nameBytes);
        }
      }
      writeOutputs(rule, entry);
    }
    writeFilterState(changetype<VerifiedToken>(unchecked(hits[0])));
    // Evicted entries must not stay reachable from here.
    hits.fill(null);
    return true;
  }

  /** The usable cache entry for token `index` of `tokens`, or null when the full check must run. */
  private cachedFor(tokens: RequestTokens, index: i32, nowSeconds: i64): VerifiedToken | null {
    const start = tokens.start(index);
    const length = tokens.length(index);
    const entry = this.cache.findForWatchers(start, length, hashTokenBytes(start, length), tokens.ruleMask(index));
    if (entry === null || entry.keyGeneration != this.keyGeneration(entry.ruleIndex)) return null;
    if (timeStatus(entry.hasNbf, entry.nbf, entry.hasExp, entry.exp, nowSeconds) != JwtStatus.Ok) return null;
    return entry;
  }

  /**
   * Checks one token in Envoy's order (authenticator.cc): parse, issuer, time,
   * audience, then the signature. A verified token is appended to `stream.verified`.
   */
  check(found: FoundToken, stream: JwtStream): JwtStatus {
    const length = found.token.byteLength;
    if (length > MAX_TOKEN_BYTES) {
      logDebug("jwt: token of " + length.toString() + " bytes refused");
      return JwtStatus.VerificationFail;
    }
    const at = found.token.dataStart;
    const parsed = parseToken(at, <usize>length);
    if (parsed.token === null) return parsed.status;
    const token = parsed.token!;
    let ruleIndex = -1;
    for (let i = 0; i < found.ruleIndexes.length; i++) {
      const candidate = unchecked(found.ruleIndexes[i]);
      if (this.config.rules[candidate].issuer == token.iss) { ruleIndex = candidate; break; }
    }
    if (ruleIndex < 0) return JwtStatus.UnknownIssuer;
    const rule = this.config.rules[ruleIndex];
    const nowNs = getCurrentTimeNanoseconds();
    const nowSeconds = <i64>(nowNs / 1_000_000_000);
    const remote = this.remote[ruleIndex];
    const generation = remote === null ? 0 : remote.generation;

    const hash = hashTokenBytes(at, <usize>length);
    const cached = this.cache.find(at, <usize>length, hash, ruleIndex);
    if (cached !== null && cached.keyGeneration == generation) {
      const status = timeStatus(cached.hasNbf, cached.nbf, cached.hasExp, cached.exp, nowSeconds);
      if (status != JwtStatus.Ok) {
        this.cache.remove(cached);
        return status;
      }
      stream.verified.push(cached);
      return JwtStatus.Ok;
    }

    const time = timeStatus(token.hasNbf, token.nbf, token.hasExp, token.exp, nowSeconds);
    if (time != JwtStatus.Ok) return time;
    if (!audiencesAllowed(rule.audiences, token.audiences)) return JwtStatus.AudienceNotAllowed;

    let keys: JwtKey[] | null = rule.inlineKeys;
    if (remote !== null) {
      keys = remote.current(nowNs);
      if (keys === null) {
        if (remote.recentlyFailed(nowNs) || !remote.wait(stream.resumer, this, nowNs)) return JwtStatus.JwksFetchFail;
        stream.waitingOn = remote;
        return JwtStatus.Pending;
      }
    }
    const status = verifySignature(token, at, keys!);
    if (status == JwtStatus.KidAlgMismatch && remote !== null && !stream.refetched && remote.mayRefetch(nowNs)) {
      // The issuer may have rotated keys since the last fetch.
      stream.refetched = true;
      if (remote.wait(stream.resumer, this, nowNs)) {
        stream.waitingOn = remote;
        return JwtStatus.Pending;
      }
    }
    if (status != JwtStatus.Ok) return status;
    const entry = new VerifiedToken(at, <usize>length, hash, ruleIndex, rule, token, generation);
    this.cache.add(entry);
    stream.verified.push(entry);
    return JwtStatus.Ok;
  }
}

function removeHeader(name: ArrayBuffer): void {
  removeHeaderBytes(MapType.HttpRequestHeaders, changetype<usize>(name), <usize>name.byteLength);
}

function replaceHeader(name: ArrayBuffer, value: usize, valueLength: usize): void {
  replaceHeaderBytes(MapType.HttpRequestHeaders, changetype<usize>(name), <usize>name.byteLength, value, valueLength);
}

/** `outputPayloadToHeader` and `outputClaimToHeaders` of `rule` for a verified token, replacing client-sent values. */
function writeOutputs(rule: JwtRule, entry: VerifiedToken): void {
  const payloadHeader = entry.payloadHeader;
  if (payloadHeader !== null) replaceHeader(rule.outputPayloadToHeaderBytes, changetype<usize>(payloadHeader), <usize>payloadHeader.byteLength);
  const claims = entry.claimHeaders;
  if (claims === null) return;
  let at = changetype<usize>(claims);
  const end = at + <usize>claims.byteLength;
  while (at < end) {
    const output = unchecked(rule.outputClaimToHeaders[<i32>load<u32>(at)]);
    const valueLength = <usize>load<u32>(at, 4);
    replaceHeader(output.headerBytes, at + 8, valueLength);
    at += 8 + valueLength;
  }
}

/** The first verified token's principal and payload, for later filters (docs/auth-contract.md). */
function writeFilterState(first: VerifiedToken): void {
  setPropertyBytes(changetype<usize>(PRINCIPAL_PROPERTY), <usize>PRINCIPAL_PROPERTY.byteLength, changetype<usize>(first.principal), <usize>first.principal.byteLength);
  setPropertyBytes(changetype<usize>(PAYLOAD_PROPERTY), <usize>PAYLOAD_PROPERTY.byteLength, changetype<usize>(first.payload), <usize>first.payload.byteLength);
}

/** Resumes a stream when the key set it waits for arrives. */
class StreamResumer extends JwksWaiter {
  constructor(readonly stream: JwtStream) {
    super();
  }

  onJwksReady(): void {
    this.stream.resume();
  }
}

const NO_TOKENS: FoundToken[] = [];
const NOTHING_VERIFIED: VerifiedToken[] = [];

class JwtStream extends HttpContext {
  /** The tokens being checked in full (left empty when the cache answered). */
  tokens: FoundToken[] = NO_TOKENS;
  /** The next token of {@link tokens} to check. */
  next: i32 = 0;
  /** Verified tokens, in the order of {@link tokens}. */
  verified: VerifiedToken[] = NOTHING_VERIFIED;
  waitingOn: RemoteJwks | null = null;
  refetched: bool = false;
  private resumerInstance: StreamResumer | null = null;

  /** What a key fetch calls back; made on first need (most streams never wait). */
  get resumer(): StreamResumer {
    let resumer = this.resumerInstance;
    if (resumer === null) this.resumerInstance = resumer = new StreamResumer(this);
    return resumer;
  }

  get jwtRoot(): JwtRoot {
    return changetype<JwtRoot>(this.root);
  }

  onRequestHeaders(headerCount: u32, endOfStream: bool): Action {
    const root = this.jwtRoot;
    const found = root.requestTokens;
    // Without the map there is nothing to strip and no token: the request goes on unauthenticated, as before.
    if (!found.pairs.borrow(MapType.HttpRequestHeaders)) return Action.Continue;
    stripOwnHeaders(root.config, found.pairs);
    found.find();
    // Istio's requirement is "any provider, or no token at all" (allow_missing).
    if (found.count == 0) {
      found.pairs.release();
      return Action.Continue;
    }
    if (root.acceptCached(found)) {
      found.pairs.release();
      return Action.Continue;
    }
    this.tokens = found.materialize();
    this.verified = new Array<VerifiedToken>();
    found.pairs.release();
    return this.run() ? Action.Continue : Action.Pause;
  }

  onDone(): bool {
    const waitingOn = this.waitingOn;
    const resumer = this.resumerInstance;
    if (waitingOn !== null && resumer !== null) waitingOn.forget(resumer);
    this.waitingOn = null;
    return true;
  }

  /** The key set arrived (or its fetch failed) while the request was paused. */
  resume(): void {
    setEffectiveContext(this.id);
    this.waitingOn = null;
    if (this.run()) this.continueRequest();
  }

  /** Checks the remaining tokens; true when the request may continue now. */
  private run(): bool {
    const root = this.jwtRoot;
    while (this.next < this.tokens.length) {
      const status = root.check(unchecked(this.tokens[this.next]), this);
      if (status == JwtStatus.Pending) return false;
      if (status != JwtStatus.Ok) {
        this.reject(status);
        return false;
      }
      this.next++;
    }
    this.accept();
    return true;
  }

  private accept(): void {
    const config = this.jwtRoot.config;
    for (let i = 0; i < this.verified.length; i++) {
      const verified = unchecked(this.verified[i]);
      const rule = config.rules[verified.ruleIndex];
      if (!rule.forwardOriginalToken) {
        // Envoy removes the header a verified token came in (authenticator.cc removeJwt).
        for (let t = 0; t < this.tokens.length; t++) {
          const location = unchecked(this.tokens[t]).location;
          if (location.kind == LocationKind.Header && unchecked(this.tokens[t]).ruleIndexes.includes(verified.ruleIndex)) {
            removeHeader(location.nameBytes);
          }
        }
      }
      writeOutputs(rule, verified);
    }
    if (this.verified.length > 0) writeFilterState(unchecked(this.verified[0]));
  }

  /** Envoy's reply (jwt_authn filter.cc onComplete): the reason as body and a Bearer challenge. */
  private reject(status: JwtStatus): void {
    const text = jwtStatusText(status);
    const code: u32 = status == JwtStatus.AudienceNotAllowed ? 403 : 401;
    const scheme = requestHeaders.get(":scheme");
    const host = requestHeaders.get(":authority");
    const originalPath = requestHeaders.get("x-envoy-original-path");
    let path = originalPath !== null ? originalPath : requestHeaders.get(":path");
    if (path === null) path = "";
    if (path.length > MAX_REALM_PATH) path = path.substring(0, MAX_REALM_PATH);
    const realm = (scheme === null ? "http" : scheme) + "://" + (host === null ? "" : host) + path;
    const challenge = "Bearer realm=\"" + realm + "\", error=\"invalid_token\"";
    this.sendLocalResponse(code, text, [new Header("www-authenticate", challenge)], "jwt_authn_access_denied{" + text.replaceAll(" ", "_") + "}");
  }
}

registerRootContext((id: u32): RootContext => new JwtRoot(id));
