import { hostAliases, hostMatches, qualifyHost } from "../host-names.js";
import type { FilterPlanner, PlanningContext } from "../filter-planner.js";
import type { DestinationRuleSpec, IstioResource, MeshConfig, Workload } from "../mesh-config.js";
import { exportedTo, labelsMatch } from "../policy-scope.js";
import { meshVirtualServicesFor } from "../virtual-service-binding.js";
import { resourceIssue } from "../resource-issue.js";
import { isHttpProtocol, knownServices } from "../service-registry.js";
import type { FilterPlan, OutboundVirtualHost } from "../workload-plan.js";

/** The request header the router filter writes the chosen Istio cluster name into. */
export const CLUSTER_HEADER = "x-wasmixer-cluster";

/** Router filter configuration, as specified in the router-config contract. */
export interface RouterConfig {
  clusterHeader: string;
  virtualServices: { name: string; hosts: string[]; http: Record<string, unknown>[] }[];
  destinationRules: Record<string, { consistentHash: Record<string, unknown> }>;
}

function qualifyDestinations(route: Record<string, unknown>, namespace: string): Record<string, unknown> {
  const copy = structuredClone(route);
  const qualify = (holder: unknown): void => {
    if (holder && typeof holder === "object" && typeof (holder as { host?: unknown }).host === "string") {
      const target = holder as { host: string };
      target.host = qualifyHost(target.host, namespace);
    }
  };
  for (const destination of (copy.route as { destination?: unknown }[] | undefined) ?? []) qualify(destination.destination);
  qualify(copy.mirror);
  for (const mirror of (copy.mirrors as { destination?: unknown }[] | undefined) ?? []) qualify(mirror.destination);
  return copy;
}

/**
 * The DestinationRule that governs `host` for a client, by Istio's lookup order: the client's namespace,
 * then the service's namespace, then the root namespace; within one, an exact host beats a wildcard.
 * Rules with a `workloadSelector` only count for the workloads they select.
 */
function destinationRuleFor(
  mesh: MeshConfig,
  workload: Workload,
  host: string,
  serviceNamespace: string | undefined,
): IstioResource<DestinationRuleSpec> | undefined {
  const candidates = mesh.destinationRules.filter((dr) => {
    if (!dr.spec.host || !hostMatches(qualifyHost(dr.spec.host, dr.namespace), host)) return false;
    if (!exportedTo({ namespace: dr.namespace, exportTo: dr.spec.exportTo }, workload.namespace)) return false;
    const selector = dr.spec.workloadSelector?.matchLabels;
    if (selector && (dr.namespace !== workload.namespace || !labelsMatch(selector, workload.labels))) return false;
    return true;
  });
  const namespaces = [workload.namespace, serviceNamespace, mesh.rootNamespace].filter((ns): ns is string => ns !== undefined);
  for (const namespace of namespaces) {
    const inNamespace = candidates.filter((dr) => dr.namespace === namespace);
    const exact = inNamespace.find((dr) => qualifyHost(dr.spec.host as string, dr.namespace) === host);
    if (exact) return exact;
    if (inNamespace.length > 0) return inNamespace[0];
  }
  return candidates[0];
}

function plan({ mesh, workload, warn }: PlanningContext): FilterPlan | undefined {
  const virtualServices = meshVirtualServicesFor(mesh, workload.namespace).filter((vs) => (vs.spec.http ?? []).length > 0);
  if (virtualServices.length === 0) return undefined;

  const services = knownServices(mesh).filter((service) => exportedTo(service, workload.namespace));
  const config: RouterConfig = { clusterHeader: CLUSTER_HEADER, virtualServices: [], destinationRules: {} };
  const sources = new Set<string>();
  const destinationHosts = new Set<string>();
  const virtualHosts: OutboundVirtualHost[] = [];

  for (const vs of virtualServices) {
    sources.add(`VirtualService ${vs.namespace}/${vs.name}`);
    const hosts = (vs.spec.hosts ?? []).map((host) => qualifyHost(host, vs.namespace));
    const http = (vs.spec.http ?? []).map((route) => qualifyDestinations(route, vs.namespace));
    for (const route of http) {
      for (const destination of (route.route as { destination?: { host?: string } }[] | undefined) ?? []) {
        if (destination.destination?.host) destinationHosts.add(destination.destination.host);
      }
    }
    config.virtualServices.push({
      name: `${vs.namespace}/${vs.name}`,
      hosts: [...new Set(hosts.flatMap((host) => hostAliases(host, workload.namespace)))],
      http,
    });
    hosts.forEach((host, index) => {
      const covered = services.filter((service) => hostMatches(host, service.host));
      if (covered.length === 0) {
        warn(resourceIssue(vs, ["spec", "hosts", index], `host "${host}" is not a known service (no Workload service or ServiceEntry declares it): its requests get no cluster_header route`));
      }
      for (const service of covered) {
        for (const port of service.ports.filter((p) => isHttpProtocol(p.protocol))) {
          if (!virtualHosts.some((v) => v.host === service.host && v.port === port.number)) virtualHosts.push({ host: service.host, port: port.number });
        }
      }
    });
  }

  for (const host of [...destinationHosts].sort()) {
    const serviceNamespace = services.find((service) => service.host === host)?.namespace;
    const rule = destinationRuleFor(mesh, workload, host, serviceNamespace);
    const loadBalancer = rule?.spec.trafficPolicy?.loadBalancer as { consistentHash?: Record<string, unknown> } | undefined;
    if (rule && loadBalancer?.consistentHash) {
      config.destinationRules[host] = { consistentHash: structuredClone(loadBalancer.consistentHash) };
      sources.add(`DestinationRule ${rule.namespace}/${rule.name}`);
    }
  }

  virtualHosts.sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : a.port - b.port));
  return {
    name: "router",
    module: "router",
    phase: "UNSPECIFIED_PHASE",
    // Last of all wasmixer filters: it must see the headers every other filter may have changed.
    priority: -1000,
    mode: "CLIENT",
    failStrategy: "FAIL_CLOSE",
    config: config as unknown as Record<string, unknown>,
    clusterHeaderRouting: { header: CLUSTER_HEADER, virtualHosts },
    sources: [...sources],
  };
}

/**
 * Plans the router filter for a workload's outbound traffic: every VirtualService bound to the mesh
 * gateway and exported to the workload's namespace, with destinations fully qualified, plus the
 * DestinationRule `consistentHash` settings of the hosts they route to.
 */
export const routerPlanner: FilterPlanner = { name: "router", plan };
