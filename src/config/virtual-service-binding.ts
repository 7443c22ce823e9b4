import type { IstioResource, MeshConfig, VirtualServiceSpec } from "./mesh-config.js";
import { exportedTo } from "./policy-scope.js";

/** Gateways a VirtualService is bound to; none listed means the sidecars ("mesh"). */
export function boundGateways(vs: IstioResource<VirtualServiceSpec>): string[] {
  const gateways = vs.spec.gateways && vs.spec.gateways.length > 0 ? vs.spec.gateways : ["mesh"];
  return gateways.map((gateway) => (gateway === "mesh" || gateway.includes("/") ? gateway : `${vs.namespace}/${gateway}`));
}

/** VirtualServices that a sidecar in `namespace` applies to its outbound traffic. */
export function meshVirtualServicesFor(mesh: MeshConfig, namespace: string): IstioResource<VirtualServiceSpec>[] {
  return mesh.virtualServices.filter(
    (vs) => boundGateways(vs).includes("mesh") && exportedTo({ namespace: vs.namespace, exportTo: vs.spec.exportTo }, namespace),
  );
}
