// Authenticates requests the way Istio's RequestAuthentication does through
// Envoy's jwt_authn filter: a request without a token continues
// unauthenticated; a request with a token that fails any check gets Envoy's
// 401 (403 for a wrong audience); a verified token's principal and payload
// go to filter state for later filters (docs/auth-contract.md).
export * from "../../sdk/exports";
import {
  Action, Header, HttpContext, RootContext, getCurrentTimeNanoseconds, logDebug, logError, logInfo, registerRootContext,
  requestHeaders, setProperty, setPropertyString,
} from "../../sdk";
import { setEffectiveContext } from "../../sdk/hostcalls";
import { asciiLowerCase } from "../../expr/ascii-case";
import { audiencesAllowed } from "./audiences";
import { claimHeaderValue, parsePayload, payloadHeaderValue } from "./claim-headers";
import { JwtConfig, LocationKind, parseJwtConfig } from "./config";
import { JwtKey } from "./jwks";
import { JwksWaiter, RemoteJwks } from "./remote-jwks";
import { verifySignature } from "./signature";
import { JwtStatus, jwtStatusText } from "./status";
import { parseToken } from "./token";
import { FoundToken, findTokens } from "./token-location";
import { VerifiedToken, VerifiedTokenCache } from "./verified-tokens";

/** Envoy's default `clock_skew_seconds`, which Istio does not change. */
const CLOCK_SKEW_SECONDS: i64 = 60;
/** Longer tokens are refused without parsing (Envoy's header limit is far higher; no real token is this big). */
const MAX_TOKEN_BYTES: i32 = 8192;
/** Envoy's `MaximumUriLength` for the realm (jwt_authn filter.cc). */
const MAX_REALM_PATH: i32 = 256;
const OWN_HEADER_PREFIX = "x-wasmixer-jwt-";
const PRINCIPAL_PROPERTY = "wasmixer.jwt.principal";
const PAYLOAD_PROPERTY = "wasmixer.jwt.payload";

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
    this.cache.clear();
    logInfo("jwt: configured " + config.rules.length.toString() + " rules");
    return true;
  }

  createHttpContext(id: u32): HttpContext | null {
    return new JwtStream(id, this);
  }

  /**
   * Checks one token in Envoy's order (authenticator.cc): parse, issuer, time,
   * audience, then the signature. A verified token is appended to `stream.verified`.
   */
  check(found: FoundToken, stream: JwtStream): JwtStatus {
    const text = String.UTF8.encode(found.token);
    const length = text.byteLength;
    if (length > MAX_TOKEN_BYTES) {
      logDebug("jwt: token of " + length.toString() + " bytes refused");
      return JwtStatus.VerificationFail;
    }
    const at = changetype<usize>(text);
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

    const digest = this.cache.digestOf(at, <usize>length);
    const cached = this.cache.find(digest, ruleIndex);
    if (cached !== null && cached.keyGeneration == generation) {
      const status = timeStatus(cached.hasNbf, cached.nbf, cached.hasExp, cached.exp, nowSeconds);
      if (status != JwtStatus.Ok) {
        this.cache.remove(digest, ruleIndex);
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
    const entry = new VerifiedToken(digest, ruleIndex, token, generation);
    this.cache.add(entry);
    stream.verified.push(entry);
    return JwtStatus.Ok;
  }
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

class JwtStream extends HttpContext {
  tokens: FoundToken[] = [];
  /** The next token of {@link tokens} to check. */
  next: i32 = 0;
  /** Verified tokens, in the order of {@link tokens}. */
  verified: VerifiedToken[] = [];
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
    this.stripOwnHeaders();
    this.tokens = findTokens(this.jwtRoot.config);
    // Istio's requirement is "any provider, or no token at all" (allow_missing).
    if (this.tokens.length == 0) return Action.Continue;
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

  /** Removes headers only this filter may set, so a client cannot pose as a verified caller. */
  private stripOwnHeaders(): void {
    const config = this.jwtRoot.config;
    const pairs = requestHeaders.pairs();
    for (let i = 0; i < pairs.length; i++) {
      const name = asciiLowerCase(unchecked(pairs[i]).name);
      let own = name.startsWith(OWN_HEADER_PREFIX);
      for (let r = 0; !own && r < config.rules.length; r++) {
        const rule = unchecked(config.rules[r]);
        if (rule.outputPayloadToHeader == name) own = true;
        for (let c = 0; !own && c < rule.outputClaimToHeaders.length; c++) {
          if (unchecked(rule.outputClaimToHeaders[c]).header == name) own = true;
        }
      }
      if (own) requestHeaders.remove(name);
    }
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
            requestHeaders.remove(location.name);
          }
        }
      }
      if (rule.outputPayloadToHeader.length > 0) requestHeaders.replace(rule.outputPayloadToHeader, payloadHeaderValue(verified.payloadBytes));
      if (rule.outputClaimToHeaders.length > 0) {
        const payload = parsePayload(verified.payloadBytes);
        for (let c = 0; payload !== null && c < rule.outputClaimToHeaders.length; c++) {
          const output = unchecked(rule.outputClaimToHeaders[c]);
          const value = claimHeaderValue(payload, output.claim);
          if (value !== null) requestHeaders.replace(output.header, value);
        }
      }
    }
    if (this.verified.length > 0) {
      const first = unchecked(this.verified[0]);
      setPropertyString([PRINCIPAL_PROPERTY], first.principal);
      setProperty([PAYLOAD_PROPERTY], first.payloadBytes.buffer);
    }
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
