/** The Kubernetes cluster domain Istio assumes unless told otherwise. */
export const CLUSTER_DOMAIN = "cluster.local";

/**
 * Resolves a host as Istio does for VirtualService/DestinationRule hosts: a short name (no dot) is
 * qualified with the namespace of the resource that wrote it; anything with a dot, and wildcards, are
 * taken as written (istio/istio pilot/pkg/model/config.go `ResolveShortnameToFQDN`).
 */
export function qualifyHost(host: string, namespace: string, clusterDomain = CLUSTER_DOMAIN): string {
  const lower = host.toLowerCase();
  if (lower === "*" || lower.startsWith("*") || lower.includes(".")) return lower;
  return `${lower}.${namespace}.svc.${clusterDomain}`;
}

/** Splits `name.ns.svc.<domain>` into its name and namespace, or undefined for other hosts. */
export function parseServiceHost(host: string, clusterDomain = CLUSTER_DOMAIN): { name: string; namespace: string } | undefined {
  const suffix = `.svc.${clusterDomain}`;
  if (!host.endsWith(suffix)) return undefined;
  const parts = host.slice(0, -suffix.length).split(".");
  if (parts.length !== 2) return undefined;
  return { name: parts[0], namespace: parts[1] };
}

/**
 * The names a client in `clientNamespace` can use for `host`: the FQDN, `name.ns.svc`, `name.ns` and, from
 * the same namespace only, `name` (the domains Istio gives a sidecar's outbound virtual host).
 */
export function hostAliases(host: string, clientNamespace: string, clusterDomain = CLUSTER_DOMAIN): string[] {
  const service = parseServiceHost(host, clusterDomain);
  if (!service) return [host];
  const out = [host];
  if (service.namespace === clientNamespace) out.push(service.name);
  out.push(`${service.name}.${service.namespace}`, `${service.name}.${service.namespace}.svc`);
  return out;
}

/** Istio host matching: exact, or a `*.suffix` wildcard covering the other host, or `*`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === "*" || pattern === host) return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1));
  return false;
}
