/**
 * Where attribute values come from. The engine turns every chain of field
 * selections and constant indexes (`request.headers['x-id']`,
 * `xds.node.metadata.NAMESPACE`) into one {@link AttributePath} at parse time
 * and asks the source for it at evaluation time; a filter plugs in the source
 * it has (Envoy properties, a test table, a request view of its own).
 */
import { CelValue } from "./value";

/** A constant attribute path, with a slot a source may use to cache its own encoding of it. */
export class AttributePath {
  /** Source-specific cached form (for Envoy properties: the NUL-joined UTF-8 path). */
  encoded: ArrayBuffer | null = null;
  /** Source-specific cached type code; -1 until the source sets it. */
  typeCode: i32 = -1;
  /** Source-specific remembered value, for attributes a source knows never change. */
  remembered: CelValue | null = null;
  rememberedSet: bool = false;

  constructor(readonly parts: string[]) {}

  /** Dotted form for messages, e.g. `request.headers.x-id`. */
  toString(): string { return this.parts.join("."); }
}

/** Resolves attribute paths to values. */
export class AttributeSource {
  /** The value at `path`, or null when the attribute is absent. */
  lookup(path: AttributePath): CelValue | null { return null; }
}
