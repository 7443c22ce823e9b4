/**
 * A context per TCP connection (network filter). Callbacks default to
 * Continue; the data buffers hold what arrived in the current callback.
 */
import { Action, PeerType, StreamType, Status } from "./abi";
import { Context, ContextKind } from "./context";
import { RootContext } from "./root-context";
import { HostBuffer, downstreamData, upstreamData } from "./host-buffer";
import * as host from "./hostcalls";

export class TcpContext extends Context {
  constructor(id: u32, readonly root: RootContext) {
    super(id, ContextKind.Tcp);
  }

  onNewConnection(): Action { return Action.Continue; }
  onDownstreamData(dataSize: u32, endOfStream: bool): Action { return Action.Continue; }
  onDownstreamConnectionClose(peer: PeerType): void {}
  onUpstreamData(dataSize: u32, endOfStream: bool): Action { return Action.Continue; }
  onUpstreamConnectionClose(peer: PeerType): void {}

  get downstreamData(): HostBuffer { return downstreamData; }
  get upstreamData(): HostBuffer { return upstreamData; }

  /** Resumes reading from the downstream peer after a Pause. */
  continueDownstream(): Status { return host.continueStream(StreamType.Downstream); }
  /** Resumes reading from the upstream peer after a Pause. */
  continueUpstream(): Status { return host.continueStream(StreamType.Upstream); }
  /** Closes the downstream connection. */
  closeDownstream(): Status { return host.closeStream(StreamType.Downstream); }
  /** Closes the upstream connection. */
  closeUpstream(): Status { return host.closeStream(StreamType.Upstream); }
}
