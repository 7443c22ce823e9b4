/**
 * What RBAC looks at for one request, read from the host on first use and
 * then kept: with many policies the same attribute is asked for again and
 * again, and every host call crosses the Wasm boundary.
 */
import { Header, JsonObject, JsonValue, getProperty, getPropertyString, parseJsonBytes, requestHeaders } from "../../sdk";
import { asciiLowerCase } from "../../expr/ascii-case";
import { IpAddress, addressWithoutPort, parseIpAddress } from "./ip-address";

/** Filter state the jwt filter writes (docs/auth-contract.md). */
export const JWT_PRINCIPAL_KEY = "wasmixer.jwt.principal";
export const JWT_PAYLOAD_KEY = "wasmixer.jwt.payload";

const enum Loaded {
  Headers = 1,
  SourceIp = 2,
  RemoteIp = 4,
  DestinationIp = 8,
  DestinationPort = 16,
  Sni = 32,
  PeerPrincipal = 64,
  Jwt = 128,
}

export class RequestAttributes {
  private loaded: i32 = 0;
  private headers: Header[] = [];
  private sourceIpValue: IpAddress | null = null;
  private remoteIpValue: IpAddress | null = null;
  private destinationIpValue: IpAddress | null = null;
  private destinationPortValue: i64 = -1;
  private sniValue: string = "";
  private peerPrincipalValue: string | null = null;
  private jwtPayloadValue: JsonObject | null = null;
  private jwtPrincipalValue: string | null = null;
  /** Set when the jwt filter's payload could not be read: the request must then be denied. */
  corruptJwtPayload: bool = false;

  constructor(readonly numTrustedProxies: i32) {}

  private loadHeaders(): void {
    if (this.loaded & Loaded.Headers) return;
    this.loaded |= Loaded.Headers;
    const pairs = requestHeaders.pairs();
    // Names are lower case on the wire in Envoy; the host may not guarantee it.
    for (let i = 0; i < pairs.length; i++) pairs[i].name = asciiLowerCase(pairs[i].name);
    this.headers = pairs;
  }

  /**
   * Header `name` (lower case), repeated values joined with ',' as Envoy's
   * header matchers see them (HeaderUtility::getAllOfHeaderAsString); null when absent.
   */
  header(name: string): string | null {
    this.loadHeaders();
    let result: string | null = null;
    const headers = this.headers;
    for (let i = 0, n = headers.length; i < n; i++) {
      const pair = unchecked(headers[i]);
      if (pair.name != name) continue;
      result = result === null ? pair.value : result + "," + pair.value;
    }
    return result;
  }

  /** `:path` without query and fragment, as Envoy's path matchers compare it; null when absent. */
  path(): string | null {
    const full = this.header(":path");
    if (full === null) return null;
    let end = full.length;
    for (let i = 0; i < full.length; i++) {
      const c = full.charCodeAt(i);
      if (c == 0x3F || c == 0x23) { end = i; break; }
    }
    return end == full.length ? full : full.substring(0, end);
  }

  /** The downstream peer's address (Envoy `source.address`, the RBAC `direct_remote_ip`). */
  sourceIp(): IpAddress | null {
    if (!(this.loaded & Loaded.SourceIp)) {
      this.loaded |= Loaded.SourceIp;
      const address = getPropertyString(["source", "address"]);
      this.sourceIpValue = address === null ? null : addressWithoutPort(address);
    }
    return this.sourceIpValue;
  }

  /**
   * The original client (RBAC `remote_ip`). With Istio's default of no
   * trusted proxies (meshConfig numTrustedProxies = 0) that is the peer
   * itself; with N trusted proxies Envoy takes the Nth address from the
   * right of x-forwarded-for (use_remote_address with xff_num_trusted_hops),
   * falling back to the peer when the header is shorter.
   */
  remoteIp(): IpAddress | null {
    if (!(this.loaded & Loaded.RemoteIp)) {
      this.loaded |= Loaded.RemoteIp;
      let remote: IpAddress | null = null;
      let fromHeader = false;
      if (this.numTrustedProxies > 0) {
        const forwarded = this.header("x-forwarded-for");
        if (forwarded !== null) {
          const entries = forwarded.split(",");
          if (entries.length >= this.numTrustedProxies) {
            remote = parseIpAddress(entries[entries.length - this.numTrustedProxies].trim());
            fromHeader = true;
          }
        }
      }
      this.remoteIpValue = fromHeader ? remote : this.sourceIp();
    }
    return this.remoteIpValue;
  }

  destinationIp(): IpAddress | null {
    if (!(this.loaded & Loaded.DestinationIp)) {
      this.loaded |= Loaded.DestinationIp;
      const address = getPropertyString(["destination", "address"]);
      this.destinationIpValue = address === null ? null : addressWithoutPort(address);
    }
    return this.destinationIpValue;
  }

  /** `destination.port`, or the port of `destination.address`; -1 when unknown. */
  destinationPort(): i64 {
    if (!(this.loaded & Loaded.DestinationPort)) {
      this.loaded |= Loaded.DestinationPort;
      const raw = getProperty(["destination", "port"]);
      if (raw !== null && raw.byteLength == 8) {
        this.destinationPortValue = load<i64>(changetype<usize>(raw));
      } else {
        const address = getPropertyString(["destination", "address"]);
        if (address !== null) this.destinationPortValue = portOf(address);
      }
    }
    return this.destinationPortValue;
  }

  /** TLS SNI; "" without one, as Envoy's requested_server_name matcher sees it. */
  sni(): string {
    if (!(this.loaded & Loaded.Sni)) {
      this.loaded |= Loaded.Sni;
      const sni = getPropertyString(["connection", "requested_server_name"]);
      this.sniValue = sni === null ? "" : sni;
    }
    return this.sniValue;
  }

  /** The mTLS peer's URI SAN ("spiffe://cluster.local/ns/x/sa/y"), or null without a peer certificate. */
  peerPrincipal(): string | null {
    if (!(this.loaded & Loaded.PeerPrincipal)) {
      this.loaded |= Loaded.PeerPrincipal;
      const san = getPropertyString(["connection", "uri_san_peer_certificate"]);
      this.peerPrincipalValue = san !== null && san.length > 0 ? san : null;
    }
    return this.peerPrincipalValue;
  }

  private loadJwt(): void {
    if (this.loaded & Loaded.Jwt) return;
    this.loaded |= Loaded.Jwt;
    this.jwtPrincipalValue = getPropertyString([JWT_PRINCIPAL_KEY]);
    const payload = getProperty([JWT_PAYLOAD_KEY]);
    if (payload === null) return;
    const parsed = parseJsonBytes(payload);
    const value = parsed.value;
    const object: JsonObject | null = value === null ? null : value.asObject();
    if (object === null) {
      this.corruptJwtPayload = true;
      return;
    }
    this.jwtPayloadValue = object;
  }

  /** Claim at `path` (nested objects) of the verified token, or null. */
  claim(path: string[]): JsonValue | null {
    this.loadJwt();
    let current: JsonValue | null = this.jwtPayloadValue;
    for (let i = 0; i < path.length; i++) {
      if (current === null) return null;
      const object = current.asObject();
      if (object === null) return null;
      current = object.get(path[i]);
    }
    return current;
  }

  /**
   * The token's issuer or subject (`iss`/`sub` claims, which Istio's
   * requestPrincipals match), taken from the "<iss>/<sub>" principal when
   * only that was handed over.
   */
  issuerOrSubject(subject: bool): string | null {
    const claim = this.claim([subject ? "sub" : "iss"]);
    if (this.jwtPayloadValue !== null) return claim === null ? null : claim.asString();
    const principal = this.jwtPrincipalValue;
    if (principal === null) return null;
    const slash = principal.lastIndexOf("/");
    if (slash < 0) return subject ? null : principal;
    return subject ? principal.substring(slash + 1) : principal.substring(0, slash);
  }
}

function portOf(address: string): i64 {
  const colon = address.lastIndexOf(":");
  if (colon < 0 || colon == address.length - 1) return -1;
  let port: i64 = 0;
  for (let i = colon + 1; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c < 0x30 || c > 0x39 || port > 65535) return -1;
    port = port * 10 + (c - 0x30);
  }
  return port;
}
