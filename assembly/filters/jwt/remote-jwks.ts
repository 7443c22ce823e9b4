/**
 * Keys fetched from a rule's `jwksUri` through its `jwksCluster` with
 * proxy_http_call. Requests that need the keys wait (paused) for the fetch;
 * fetched keys are kept for `jwksCacheSeconds`. A token whose `kid` no key
 * has may mean the issuer rotated its keys, so it triggers one early
 * re-fetch, at most every {@link REFETCH_INTERVAL_NS}. A failed fetch or an
 * unusable key set is logged and fails the waiting requests closed; the
 * next attempt is allowed after {@link RETRY_AFTER_FAILURE_NS}.
 */
import { Context, getCurrentTimeNanoseconds, Header, HttpCallHandler, HttpCallResponse, logError, logInfo, Status } from "../../sdk";
import { JwtKey, parseJwks } from "./jwks";

const REFETCH_INTERVAL_NS: u64 = 30_000_000_000;
const RETRY_AFTER_FAILURE_NS: u64 = 5_000_000_000;
/** Key sets above this size are refused rather than parsed. */
const MAX_JWKS_BYTES: u32 = 256 * 1024;

/** Something waiting for a fetch to end. */
export abstract class JwksWaiter {
  /** The fetch ended (keys or failure recorded). The root context is the effective one. */
  abstract onJwksReady(): void;
}

/** The parts of a URI an HTTP call needs. */
class UriParts {
  constructor(readonly authority: string, readonly path: string) {}
}

function splitUri(uri: string): UriParts | null {
  const scheme = uri.indexOf("://");
  if (scheme <= 0) return null;
  const rest = uri.substring(scheme + 3);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.substring(0, slash);
  if (authority.length == 0) return null;
  return new UriParts(authority, slash < 0 ? "/" : rest.substring(slash));
}

export class RemoteJwks extends HttpCallHandler {
  keys: JwtKey[] | null = null;
  keysAtNs: u64 = 0;
  failedAtNs: u64 = 0;
  lastFetchStartNs: u64 = 0;
  failed: bool = false;
  fetching: bool = false;
  waiting: JwksWaiter[] = [];
  /** Bumped whenever the keys change, so cached verdicts can be dropped. */
  generation: u32 = 0;

  constructor(readonly uri: string, readonly cluster: string, readonly timeoutMs: u32, readonly cacheNs: u64) {
    super();
  }

  /** Usable keys now, or null when the caller must wait (a fetch is running or was just started) or the last fetch failed. */
  current(nowNs: u64): JwtKey[] | null {
    if (this.keys !== null && nowNs - this.keysAtNs < this.cacheNs) return this.keys;
    return null;
  }

  /** Whether a failure is recent enough that requests should fail instead of fetching again. */
  recentlyFailed(nowNs: u64): bool {
    return this.failed && nowNs - this.failedAtNs < RETRY_AFTER_FAILURE_NS;
  }

  /** Whether an unknown kid may trigger a re-fetch now. */
  mayRefetch(nowNs: u64): bool {
    return !this.fetching && nowNs - this.lastFetchStartNs >= REFETCH_INTERVAL_NS;
  }

  /**
   * Queues `waiter` and starts a fetch unless one runs. `root` makes the call: a
   * stream context could be deleted before the answer, and the SDK drops answers
   * for deleted contexts. False when the fetch could not start (nothing queued).
   */
  wait(waiter: JwksWaiter, root: Context, nowNs: u64): bool {
    if (!this.fetching) {
      const parts = splitUri(this.uri);
      if (parts === null) {
        logError("jwt: cannot fetch JWKS: \"" + this.uri + "\" is not an absolute URI");
        this.recordFailure(nowNs);
        return false;
      }
      const headers: Header[] = [
        new Header(":method", "GET"),
        new Header(":path", parts.path),
        new Header(":authority", parts.authority),
        new Header("accept", "application/json"),
      ];
      const status = root.httpCall(this.cluster, headers, null, [], this.timeoutMs, this);
      if (status != Status.Ok) {
        logError("jwt: cannot fetch JWKS from " + this.uri + " through cluster " + this.cluster + " (status " + (<i32>status).toString() + ")");
        this.recordFailure(nowNs);
        return false;
      }
      this.fetching = true;
      this.lastFetchStartNs = nowNs;
    }
    this.waiting.push(waiter);
    return true;
  }

  forget(waiter: JwksWaiter): void {
    const at = this.waiting.indexOf(waiter);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  private recordFailure(nowNs: u64): void {
    this.failed = true;
    this.failedAtNs = nowNs;
  }

  onHttpCallResponse(context: Context, response: HttpCallResponse): void {
    this.fetching = false;
    const nowNs = getCurrentTimeNanoseconds();
    if (response.failed) {
      logError("jwt: JWKS fetch from " + this.uri + " failed: connection reset");
      this.recordFailure(nowNs);
    } else if (response.status != 200) {
      logError("jwt: JWKS fetch from " + this.uri + " failed: HTTP status " + response.status.toString());
      this.recordFailure(nowNs);
    } else if (response.bodySize > MAX_JWKS_BYTES) {
      logError("jwt: JWKS from " + this.uri + " refused: " + response.bodySize.toString() + " bytes");
      this.recordFailure(nowNs);
    } else {
      const parsed = parseJwks(response.body());
      if (parsed.keys === null) {
        logError("jwt: JWKS from " + this.uri + " refused: " + parsed.error);
        this.recordFailure(nowNs);
      } else {
        this.keys = parsed.keys;
        this.failed = false;
        this.keysAtNs = nowNs;
        this.generation++;
        logInfo("jwt: fetched " + parsed.keys!.length.toString() + " keys from " + this.uri);
      }
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (let i = 0; i < waiting.length; i++) unchecked(waiting[i]).onJwksReady();
  }
}
