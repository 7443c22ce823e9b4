/**
 * What the stats filter knows about the workload on the other side of a
 * request, and the three encodings it arrives in:
 * - `x-envoy-peer-metadata`: base64 of a google.protobuf.Struct holding the
 *   peer's node metadata (WORKLOAD_NAME, NAMESPACE, CLUSTER_ID, LABELS{app,
 *   version, service.istio.io/canonical-*}), Istio's metadata exchange;
 * - filter state `downstream_peer` / `upstream_peer`: a Struct with Istio's
 *   field tokens (workload, namespace, cluster, service, revision, app,
 *   version) written by the peer_metadata filter;
 * - `baggage`: `k8s.namespace.name=...,service.name=...` pairs.
 * Keys: istio/proxy extensions/common/metadata_object.h and .cc.
 */
import { decodeBase64 } from "../../crypto/base64";
import { RecentText } from "./recent-text";

export class PeerInfo {
  workload: string = "";
  namespace: string = "";
  cluster: string = "";
  app: string = "";
  version: string = "";
  canonicalService: string = "";
  canonicalRevision: string = "";

  /** Takes one metadata field, in either vocabulary; unknown keys are ignored. */
  set(key: string, value: string): void {
    if (key == "WORKLOAD_NAME" || key == "workload") this.workload = value;
    else if (key == "NAMESPACE" || key == "namespace") this.namespace = value;
    else if (key == "CLUSTER_ID" || key == "cluster") this.cluster = value;
    else if (key == "service") this.canonicalService = value;
    else if (key == "revision") this.canonicalRevision = value;
    else if (key == "app") this.app = value;
    else if (key == "version") this.version = value;
  }

  /** Takes one pod label (the Struct's LABELS member). */
  setLabel(key: string, value: string): void {
    if (key == "service.istio.io/canonical-name") this.canonicalService = value;
    else if (key == "service.istio.io/canonical-revision") this.canonicalRevision = value;
    else if (key == "app" || (key == "app.kubernetes.io/name" && this.app.length == 0)) this.app = value;
    else if (key == "version" || (key == "app.kubernetes.io/version" && this.version.length == 0)) this.version = value;
  }
}

// ------------------------------------------------------------ protobuf Struct

class WireReader {
  at: usize;
  readonly end: usize;
  ok: bool = true;

  constructor(start: usize, length: usize) {
    this.at = start;
    this.end = start + length;
  }

  varint(): u64 {
    let value: u64 = 0;
    for (let shift: u64 = 0; shift < 64; shift += 7) {
      if (this.at >= this.end) break;
      const byte = <u64>load<u8>(this.at++);
      value |= (byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    this.ok = false;
    return 0;
  }

  /** Skips a field of `wireType`, except length-delimited ones, which the caller reads. */
  skip(wireType: u32): void {
    if (wireType == 0) this.varint();
    else if (wireType == 1) this.at += 8;
    else if (wireType == 5) this.at += 4;
    else if (wireType == 2) this.at += <usize>this.varint();
    else this.ok = false;
    if (this.at > this.end) this.ok = false;
  }

  /** Length of the length-delimited payload starting here; false when it overruns. */
  payloadLength(): usize {
    const length = <usize>this.varint();
    if (this.at + length > this.end) { this.ok = false; return 0; }
    return length;
  }
}

const LABELS_DEPTH: i32 = 1;

/** Reads the Struct at [start, start+length): string members into `peer`, LABELS' members as labels. */
function readStruct(start: usize, length: usize, peer: PeerInfo, depth: i32): bool {
  const reader = new WireReader(start, length);
  while (reader.ok && reader.at < reader.end) {
    const tag = <u32>reader.varint();
    if (tag != ((1 << 3) | 2)) { reader.skip(tag & 7); continue; }
    const entryLength = reader.payloadLength();
    if (!reader.ok) break;
    if (!readEntry(reader.at, entryLength, peer, depth)) return false;
    reader.at += entryLength;
  }
  return reader.ok;
}

/** One `fields` map entry: key (1) and google.protobuf.Value (2). */
function readEntry(start: usize, length: usize, peer: PeerInfo, depth: i32): bool {
  const reader = new WireReader(start, length);
  let key = "";
  let valueAt: usize = 0;
  let valueLength: usize = 0;
  while (reader.ok && reader.at < reader.end) {
    const tag = <u32>reader.varint();
    if ((tag & 7) != 2) { reader.skip(tag & 7); continue; }
    const size = reader.payloadLength();
    if (!reader.ok) return false;
    if (tag >> 3 == 1) key = String.UTF8.decodeUnsafe(reader.at, size);
    else if (tag >> 3 == 2) { valueAt = reader.at; valueLength = size; }
    reader.at += size;
  }
  if (!reader.ok || valueAt == 0) return reader.ok;
  // Value: string_value = 3, struct_value = 5.
  const value = new WireReader(valueAt, valueLength);
  while (value.ok && value.at < value.end) {
    const tag = <u32>value.varint();
    if ((tag & 7) != 2) { value.skip(tag & 7); continue; }
    const size = value.payloadLength();
    if (!value.ok) return false;
    if (tag >> 3 == 3) {
      const text = String.UTF8.decodeUnsafe(value.at, size);
      if (depth == 0) peer.set(key, text);
      else peer.setLabel(key, text);
    } else if (tag >> 3 == 5 && depth == 0 && (key == "LABELS" || key == "labels")) {
      if (!readStruct(value.at, size, peer, LABELS_DEPTH)) return false;
    }
    value.at += size;
  }
  return value.ok;
}

/** A serialized google.protobuf.Struct as peer info; null when malformed. */
export function peerFromStruct(bytes: ArrayBuffer): PeerInfo | null {
  const peer = new PeerInfo();
  return readStruct(changetype<usize>(bytes), <usize>bytes.byteLength, peer, 0) ? peer : null;
}

/** The `x-envoy-peer-metadata` header value; null when it is not base64 of a Struct. */
export function peerFromMetadataHeader(header: string): PeerInfo | null {
  const bytes = decodeBase64(header.trim());
  return bytes === null ? null : peerFromStruct(bytes);
}

// ------------------------------------------------------------ baggage

/** Applies one baggage member; false when the key is not one of Istio's. */
function baggageMember(peer: PeerInfo, key: string, value: string): bool {
  if (key == "k8s.namespace.name") peer.namespace = value;
  else if (key == "k8s.cluster.name") peer.cluster = value;
  else if (key == "service.name") peer.canonicalService = value;
  else if (key == "service.version") peer.canonicalRevision = value;
  else if (key == "app.name") peer.app = value;
  else if (key == "app.version") peer.version = value;
  else if (key == "k8s.workload.name" || key == "k8s.deployment.name" || key == "k8s.pod.name" ||
    key == "k8s.job.name" || key == "k8s.cronjob.name") peer.workload = value;
  else return false;
  return true;
}

/** A W3C `baggage` header with Istio's keys; null when it has none of them. */
export function peerFromBaggage(header: string): PeerInfo | null {
  const peer = new PeerInfo();
  const members = header.split(",");
  let found = false;
  for (let i = 0, n = members.length; i < n; i++) {
    let member = unchecked(members[i]);
    const semicolon = member.indexOf(";");
    if (semicolon >= 0) member = member.substring(0, semicolon);
    const eq = member.indexOf("=");
    if (eq <= 0) continue;
    const key = member.substring(0, eq).trim();
    if (baggageMember(peer, key, member.substring(eq + 1).trim())) found = true;
  }
  return found ? peer : null;
}

// ------------------------------------------------------------ cache

const CACHE_LIMIT: i32 = 256;

/** Marks a header value that decoded to nothing, so it is not decoded again. */
const NO_PEER = new PeerInfo();

/** Decoded peers by header value: a peer sends the same header on every request. */
export class PeerCache {
  private readonly entries: Map<string, PeerInfo> = new Map();
  // The last value of each header and its peer: most streams repeat the previous one.
  private readonly metadataText: RecentText = new RecentText();
  private readonly baggageText: RecentText = new RecentText();
  private lastMetadata: string = "";
  private lastMetadataPeer: PeerInfo | null = null;
  private lastBaggage: string = "";
  private lastBaggagePeer: PeerInfo | null = null;

  /** `decoder` 0: metadata header, 1: baggage. */
  get(header: string, decoder: i32): PeerInfo | null {
    if (this.entries.has(header)) {
      const cached = this.entries.get(header);
      return cached === NO_PEER ? null : cached;
    }
    const peer = decoder == 0 ? peerFromMetadataHeader(header) : peerFromBaggage(header);
    if (this.entries.size >= CACHE_LIMIT) this.entries.clear();
    this.entries.set(header, peer === null ? NO_PEER : peer);
    return peer;
  }

  /** {@link get} for the `x-envoy-peer-metadata` value the host left in the return slots (taking it). */
  takeMetadata(): PeerInfo | null {
    const header = this.metadataText.take();
    if (header !== this.lastMetadata || header.length == 0) {
      this.lastMetadataPeer = this.get(header, 0);
      this.lastMetadata = header;
    }
    return this.lastMetadataPeer;
  }

  /** {@link get} for the `baggage` value the host left in the return slots (taking it). */
  takeBaggage(): PeerInfo | null {
    const header = this.baggageText.take();
    if (header !== this.lastBaggage || header.length == 0) {
      this.lastBaggagePeer = this.get(header, 1);
      this.lastBaggage = header;
    }
    return this.lastBaggagePeer;
  }
}
