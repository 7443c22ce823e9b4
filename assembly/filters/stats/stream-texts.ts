/**
 * The texts every stream reads from the host for its labels (principals, the
 * cluster name, the authority) as the plugin last saw them, with what the
 * labels derive from them: a stream like the previous one decodes, splits
 * and allocates nothing, and its label values are the very strings of the
 * label set it repeats (label-set-cache.ts then compares them by identity).
 */
import { RecentText } from "./recent-text";

/** `<domain>/ns/<namespace>/sa/<account>` -> namespace (istio_stats.cc `getNamespace`); "" if none. */
export function namespaceOfPrincipal(principal: string): string {
  const at = principal.indexOf("/ns/");
  if (at < 0) return "";
  const end = principal.indexOf("/", at + 4);
  return end < 0 ? principal.substring(at + 4) : principal.substring(at + 4, end);
}

/** The authority without its port. */
export function hostOfAuthority(authority: string): string {
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    return close < 0 ? authority : authority.substring(0, close + 1);
  }
  const colon = authority.indexOf(":");
  return colon < 0 ? authority : authority.substring(0, colon);
}

export class StreamTexts {
  readonly peerPrincipal: RecentText = new RecentText();
  readonly localPrincipal: RecentText = new RecentText();
  readonly cluster: RecentText = new RecentText();
  readonly authority: RecentText = new RecentText();

  private principal: string = "";
  private principalNamespace: string = "";
  private authorityText: string = "";
  /** The authority's host (no port) and its first DNS label, for the last authority given to {@link service}. */
  serviceHost: string = "";
  serviceName: string = "";

  /** {@link namespaceOfPrincipal}, remembered for the last principal. */
  namespaceOf(principal: string): string {
    if (principal !== this.principal) {
      this.principalNamespace = namespaceOfPrincipal(principal);
      this.principal = principal;
    }
    return this.principalNamespace;
  }

  /** Sets {@link serviceHost} and {@link serviceName} for `authority`. */
  service(authority: string): void {
    if (authority === this.authorityText && authority.length > 0) return;
    const host = hostOfAuthority(authority);
    const dot = host.indexOf(".");
    this.serviceHost = host;
    this.serviceName = dot < 0 ? host : host.substring(0, dot);
    this.authorityText = authority;
  }
}
