/**
 * The tests one Istio value turns into, each reading what it needs from
 * the request. They mirror the Envoy RBAC principals and permissions Istio
 * generates (pilot/pkg/security/authz/model/generator.go).
 */
import { JsonValue } from "../../sdk";
import { CidrRange, IpAddress } from "./ip-address";
import { globMatches } from "./glob";
import { PathTemplate } from "./path-template";
import { RequestAttributes } from "./request-attributes";
import { ValuePattern } from "./value-pattern";

export class Matcher {
  matches(request: RequestAttributes): bool { return false; }
}

/** A request header (`:method`, `:authority` and `request.headers[...]` included). */
export class HeaderMatcher extends Matcher {
  constructor(readonly name: string, readonly pattern: ValuePattern) { super(); }

  matches(request: RequestAttributes): bool {
    const value = request.header(this.name);
    return value !== null && this.pattern.matches(value);
  }
}

/** `operation.paths` without templates: the path without query. */
export class PathMatcher extends Matcher {
  constructor(readonly pattern: ValuePattern) { super(); }

  matches(request: RequestAttributes): bool {
    const path = request.path();
    return path !== null && this.pattern.matches(path);
  }
}

export class PathTemplateMatcher extends Matcher {
  constructor(readonly template: PathTemplate) { super(); }

  matches(request: RequestAttributes): bool {
    const path = request.path();
    return path !== null && this.template.matches(path);
  }
}

export class SniMatcher extends Matcher {
  constructor(readonly pattern: ValuePattern) { super(); }

  matches(request: RequestAttributes): bool {
    return this.pattern.matches(request.sni());
  }
}

/**
 * `principals` / `source.principal` and `namespaces` / `source.namespace`:
 * Envoy's `authenticated` principal against the peer certificate's URI SAN,
 * which never matches without mTLS. A glob stands in for Istio's regexes.
 */
export class PeerPrincipalMatcher extends Matcher {
  constructor(readonly pattern: ValuePattern | null, readonly glob: string) { super(); }

  matches(request: RequestAttributes): bool {
    const principal = request.peerPrincipal();
    if (principal === null) return false;
    const pattern = this.pattern;
    return pattern !== null ? pattern.matches(principal) : globMatches(this.glob, principal);
  }
}

export const enum IpSource { Source = 0, Remote = 1, Destination = 2 }

export class IpMatcher extends Matcher {
  constructor(readonly source: IpSource, readonly range: CidrRange) { super(); }

  matches(request: RequestAttributes): bool {
    let address: IpAddress | null;
    if (this.source == IpSource.Source) address = request.sourceIp();
    else if (this.source == IpSource.Remote) address = request.remoteIp();
    else address = request.destinationIp();
    return address !== null && this.range.contains(address);
  }
}

export class PortMatcher extends Matcher {
  constructor(readonly port: i64) { super(); }

  matches(request: RequestAttributes): bool {
    return request.destinationPort() == this.port;
  }
}

/**
 * `requestPrincipals` / `request.auth.principal`: Istio splits the value at
 * its last '/' and matches the token's `iss` and `sub` claims separately
 * (generator.go `requestPrincipalGenerator`).
 */
export class RequestPrincipalMatcher extends Matcher {
  constructor(readonly issuer: ValuePattern, readonly subject: ValuePattern) { super(); }

  matches(request: RequestAttributes): bool {
    const issuer = request.issuerOrSubject(false);
    if (issuer === null || !this.issuer.matches(issuer)) return false;
    const subject = request.issuerOrSubject(true);
    return subject !== null && this.subject.matches(subject);
  }
}

/**
 * A JWT claim (`request.auth.claims[a][b]`, audiences = `aud`, presenter =
 * `azp`): a string claim must match, a list claim matches when one of its
 * string elements does; other types never match (Envoy's metadata matcher).
 */
export class ClaimMatcher extends Matcher {
  constructor(readonly path: string[], readonly pattern: ValuePattern) { super(); }

  matches(request: RequestAttributes): bool {
    const claim = request.claim(this.path);
    if (claim === null) return false;
    return claimMatches(claim, this.pattern);
  }
}

function claimMatches(claim: JsonValue, pattern: ValuePattern): bool {
  const text = claim.asString();
  if (text !== null) return pattern.matches(text);
  const list = claim.asArray();
  if (list === null) return false;
  const items = list.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i].asString();
    if (item !== null && pattern.matches(item)) return true;
  }
  return false;
}
