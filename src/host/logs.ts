/** Log entries a module writes through proxy_log or WASI fd_write. */
import { LogLevel } from "./abi.js";

export interface LogEntry {
  level: LogLevel;
  message: string;
  /** Plugin name (or root id) that logged it. */
  plugin: string;
  /** Context that was current (or effective) when it logged. */
  contextId: number;
}
