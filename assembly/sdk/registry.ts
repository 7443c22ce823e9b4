/**
 * Root context registration and the table of live contexts.
 *
 * A plugin registers one factory per root_id. With a single registration it
 * serves every root_id (no property lookup needed); with several, the SDK
 * reads the `plugin_root_id` property to pick one.
 */
import { Context, ContextKind } from "./context";
import { RootContext } from "./root-context";
import { HttpContext } from "./http-context";
import { getProperty } from "./hostcalls";
import { logCritical } from "./log";
import { ContextTable } from "./context-table";

/** Builds the root context for a plugin; must not capture variables (no closures). */
export type RootContextFactory = (contextId: u32) => RootContext;

class Registration {
  constructor(readonly rootId: string, readonly factory: RootContextFactory) {}
}

const registrations = new Array<Registration>();
const contexts = new ContextTable();

/** Registers the root context factory for plugins configured with `rootId` (default ""). */
export function registerRootContext(factory: RootContextFactory, rootId: string = ""): void {
  registrations.push(new Registration(rootId, factory));
}

function factoryFor(contextId: u32): RootContextFactory | null {
  const count = registrations.length;
  if (count == 0) return null;
  if (count == 1) return unchecked(registrations[0]).factory;
  const rootIdBytes = getProperty(["plugin_root_id"]);
  const rootId = rootIdBytes === null ? "" : String.UTF8.decode(rootIdBytes);
  for (let i = 0; i < count; i++) {
    const registration = unchecked(registrations[i]);
    if (registration.rootId == rootId) return registration.factory;
  }
  logCritical("no root context registered for root_id \"" + rootId + "\"");
  return null;
}

/** @internal proxy_on_context_create. */
export function createContext(contextId: u32, rootContextId: u32): void {
  if (rootContextId == 0) {
    const factory = factoryFor(contextId);
    contexts.set(contextId, factory === null ? new RootContext(contextId) : factory(contextId));
    return;
  }
  const root = findContext(rootContextId);
  if (root === null || root.contextKind != ContextKind.Root) {
    logCritical("stream context created under an unknown root context");
    return;
  }
  const rootContext = changetype<RootContext>(root);
  let stream: Context | null = rootContext.createHttpContext(contextId);
  if (stream === null) stream = rootContext.createTcpContext(contextId);
  // A plugin with no stream factory still gets a context so every callback has a target.
  contexts.set(contextId, stream === null ? new HttpContext(contextId, rootContext) : stream);
}

/** The live context with `contextId`, or null. */
export function findContext(contextId: u32): Context | null {
  return contexts.find(contextId);
}

/** @internal proxy_on_delete. */
export function forgetContext(contextId: u32): void {
  contexts.delete(contextId);
}
