import { qualifyHost } from "./host-names.js";
import type { MeshConfig, PortSpec } from "./mesh-config.js";

/** A service a sidecar knows: from a Workload's `service` or from a ServiceEntry. */
export interface KnownService {
  host: string;
  namespace: string;
  ports: PortSpec[];
  exportTo?: string[];
  /** `Kind namespace/name` that declared it. */
  declaredBy: string;
}

/** HTTP-family protocols: only their ports get HTTP route tables in a sidecar. */
export function isHttpProtocol(protocol: string): boolean {
  return ["HTTP", "HTTP2", "GRPC", "GRPC-WEB"].includes(protocol.toUpperCase());
}

/** Every service in the mesh, merged by host (a service fronting several workloads appears once). */
export function knownServices(mesh: MeshConfig): KnownService[] {
  const byHost = new Map<string, KnownService>();
  const add = (service: KnownService): void => {
    const existing = byHost.get(service.host);
    if (!existing) {
      byHost.set(service.host, { ...service, ports: [...service.ports] });
      return;
    }
    for (const port of service.ports) {
      if (!existing.ports.some((p) => p.number === port.number)) existing.ports.push(port);
    }
  };
  for (const workload of mesh.workloads) {
    if (workload.service) {
      add({ host: workload.service.host, namespace: workload.namespace, ports: workload.service.ports, declaredBy: `Workload ${workload.namespace}/${workload.name}` });
    }
  }
  for (const entry of mesh.serviceEntries) {
    const ports: PortSpec[] = (entry.spec.ports ?? [])
      .filter((port): port is { number: number; name?: string; protocol?: string } => typeof port.number === "number")
      .map((port) => ({ number: port.number, ...(port.name ? { name: port.name } : {}), protocol: port.protocol ?? "TCP" }));
    for (const host of entry.spec.hosts ?? []) {
      add({
        host: qualifyHost(host, entry.namespace),
        namespace: entry.namespace,
        ports,
        ...(entry.spec.exportTo ? { exportTo: entry.spec.exportTo } : {}),
        declaredBy: `ServiceEntry ${entry.namespace}/${entry.name}`,
      });
    }
  }
  return [...byHost.values()].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}
