/**
 * A host-held byte buffer: an HTTP body, TCP data, a call response body or a
 * configuration. During a body callback the buffer holds the current chunk
 * (or everything buffered so far when the filter paused).
 */
import { BufferType, Status } from "./abi";
import * as host from "./hostcalls";
import { utf8 } from "./memory";

// Spec: a start at or past the end appends; the largest size_t is the canonical "end".
const END: u32 = u32.MAX_VALUE;

export class HostBuffer {
  constructor(readonly type: BufferType) {}

  /** Bytes `[start, start + maxSize)`, clipped to the buffer; null when the buffer is not available. */
  read(start: u32 = 0, maxSize: u32 = END): ArrayBuffer | null {
    return host.getBufferBytes(this.type, start, maxSize);
  }

  /** The whole buffer decoded as UTF-8 ("" when not available). */
  readText(): string {
    const bytes = this.read();
    return bytes === null ? "" : String.UTF8.decode(bytes);
  }

  /** Current size in bytes, or -1 when the buffer is not available. */
  size(): i64 {
    return host.getBufferSize(this.type);
  }

  /** Replaces the whole content with `bytes`. */
  replace(bytes: ArrayBuffer): Status {
    // Envoy drains exactly `size` bytes before prepending, so pass the real size rather than "everything".
    const current = this.size();
    return host.setBufferBytes(this.type, 0, current < 0 ? END : <u32>current, bytes);
  }

  /** Adds `bytes` after the current content. */
  append(bytes: ArrayBuffer): Status {
    return host.setBufferBytes(this.type, END, 0, bytes);
  }

  /** Adds `bytes` before the current content. */
  prepend(bytes: ArrayBuffer): Status {
    return host.setBufferBytes(this.type, 0, 0, bytes);
  }

  /** {@link replace} with UTF-8 text. */
  replaceText(text: string): Status { return this.replace(utf8(text)); }
  /** {@link append} with UTF-8 text. */
  appendText(text: string): Status { return this.append(utf8(text)); }
  /** {@link prepend} with UTF-8 text. */
  prependText(text: string): Status { return this.prepend(utf8(text)); }
}

/** Body of the current HTTP request. */
export const requestBody = new HostBuffer(BufferType.HttpRequestBody);
/** Body of the current HTTP response. */
export const responseBody = new HostBuffer(BufferType.HttpResponseBody);
/** Data received from the downstream peer in the current TCP callback. */
export const downstreamData = new HostBuffer(BufferType.DownstreamData);
/** Data received from the upstream peer in the current TCP callback. */
export const upstreamData = new HostBuffer(BufferType.UpstreamData);
/** The VM configuration (readable during on_vm_start). */
export const vmConfiguration = new HostBuffer(BufferType.VmConfiguration);
/** The plugin configuration (readable during on_configure). */
export const pluginConfiguration = new HostBuffer(BufferType.PluginConfiguration);
