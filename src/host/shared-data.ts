/**
 * Shared key-value data with compare-and-swap, one namespace per vm_id
 * (cpp-host src/shared_data.cc `SharedData::get/set`): a missing key is
 * NotFound; set with cas 0 always writes; set with a cas that differs from
 * the stored one is CasMismatch; every write gets a new non-zero cas.
 */
import { Status } from "./abi.js";

export interface SharedValue {
  value: Uint8Array;
  cas: number;
}

export class SharedData {
  private readonly namespaces = new Map<string, Map<string, SharedValue>>();
  private lastCas = 0;

  private namespace(vmId: string): Map<string, SharedValue> {
    let ns = this.namespaces.get(vmId);
    if (!ns) this.namespaces.set(vmId, (ns = new Map()));
    return ns;
  }

  private nextCas(): number {
    this.lastCas = (this.lastCas + 1) >>> 0;
    if (this.lastCas === 0) this.lastCas = 1;
    return this.lastCas;
  }

  /** Key is a byte string (as the module sent it). */
  get(vmId: string, key: string): SharedValue | undefined {
    return this.namespaces.get(vmId)?.get(key);
  }

  set(vmId: string, key: string, value: Uint8Array, cas: number): Status {
    const ns = this.namespace(vmId);
    const existing = ns.get(key);
    if (existing && cas !== 0 && cas !== existing.cas) return Status.CasMismatch;
    ns.set(key, { value: value.slice(), cas: this.nextCas() });
    return Status.Ok;
  }

  /** Keys of a vm_id namespace (byte strings). */
  keys(vmId: string): string[] {
    return [...(this.namespaces.get(vmId)?.keys() ?? [])];
  }
}
