/**
 * Logging through proxy_log. Each helper asks the host for its level first
 * and returns before encoding when the message would be dropped; callers that
 * build expensive messages can guard with {@link isLogEnabled}.
 */
import { LogLevel } from "./abi";
import * as host from "./hostcalls";

export { LogLevel };

/** True when the host would keep a message at `level`. */
export function isLogEnabled(level: LogLevel): bool {
  return level >= host.getLogLevel();
}

/** Logs `message` at `level` if the host keeps that level. */
export function log(level: LogLevel, message: string): void {
  if (isLogEnabled(level)) host.log(level, message);
}

export function logTrace(message: string): void { log(LogLevel.Trace, message); }
export function logDebug(message: string): void { log(LogLevel.Debug, message); }
export function logInfo(message: string): void { log(LogLevel.Info, message); }
export function logWarn(message: string): void { log(LogLevel.Warn, message); }
export function logError(message: string): void { log(LogLevel.Error, message); }
export function logCritical(message: string): void { log(LogLevel.Critical, message); }
