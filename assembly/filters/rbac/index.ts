// Istio AuthorizationPolicy enforcement in one Wasm filter (ALLOW, DENY,
// AUDIT, dry-run), answering like Envoy's RBAC filter: 403 "RBAC: access
// denied". Configuration and the filter state it reads and writes:
// docs/auth-contract.md and assembly/filters/rbac/README.md.
export * from "../../sdk/exports";
import {
  Action, HttpContext, LogLevel, RootContext, isLogEnabled, logDebug, logError, logInfo, registerRootContext,
  setPropertyString,
} from "../../sdk";
import { configError, parseRbacConfig } from "./parse-config";
import { RbacConfig } from "./policy";
import { RequestAttributes } from "./request-attributes";

/** Envoy's local reply text and response details (source/extensions/filters/http/rbac/rbac_filter.cc). */
const DENIED_BODY = "RBAC: access denied";

/** Filter state the filter writes for later filters and access logs (Envoy puts it in dynamic metadata). */
const RESULT_KEY = "wasmixer.rbac.result";
const POLICY_KEY = "wasmixer.rbac.policy";
const DRY_RUN_DENY_RESULT_KEY = "wasmixer.rbac.dry_run_deny_result";
const DRY_RUN_DENY_POLICY_KEY = "wasmixer.rbac.dry_run_deny_policy";
const DRY_RUN_ALLOW_RESULT_KEY = "wasmixer.rbac.dry_run_allow_result";
const DRY_RUN_ALLOW_POLICY_KEY = "wasmixer.rbac.dry_run_allow_policy";
const AUDIT_KEY = "wasmixer.rbac.access_log_hint";
const AUDIT_POLICY_KEY = "wasmixer.rbac.audit_policy";

function deniedDetails(policy: string | null): string {
  return "rbac_access_denied_matched_policy[" + (policy === null ? "none" : policy) + "]";
}

class RbacRoot extends RootContext {
  config: RbacConfig | null = null;

  onConfigure(size: u32): bool {
    const bytes = this.pluginConfiguration();
    if (bytes === null || bytes.byteLength == 0) {
      logError("rbac: rejected configuration: it is empty (a JSON object with \"policies\" is required)");
      return false;
    }
    const config = parseRbacConfig(bytes);
    if (config === null) {
      logError("rbac: rejected configuration: " + configError());
      return false;
    }
    this.config = config;
    logInfo("rbac: configured " + config.policyCount.toString() + " policies");
    return true;
  }

  createHttpContext(id: u32): HttpContext | null {
    return new RbacStream(id, this);
  }
}

class RbacStream extends HttpContext {
  onRequestHeaders(headerCount: u32, endOfStream: bool): Action {
    const config = changetype<RbacRoot>(this.root).config;
    if (config === null) return this.deny(null, "rbac_access_denied_no_configuration");
    const request = new RequestAttributes(config.numTrustedProxies);
    const allowed = this.decide(config, request);
    // A payload the jwt filter handed over but that cannot be read means something upstream broke: fail closed.
    if (request.corruptJwtPayload) {
      logError("rbac: denied: the jwt filter's payload (filter state wasmixer.jwt.payload) is not a JSON object");
      return this.deny(null, "rbac_access_denied_invalid_jwt_payload");
    }
    return allowed ? Action.Continue : Action.Pause;
  }

  /** Runs Istio's order (AUDIT, DENY, ALLOW; each with its dry-run rules first); false once a reply was sent. */
  private decide(config: RbacConfig, request: RequestAttributes): bool {
    if (!config.audit.isEmpty) {
      const audited = config.audit.firstMatch(request);
      setPropertyString([AUDIT_KEY], audited === null ? "false" : "true");
      if (audited !== null) {
        setPropertyString([AUDIT_POLICY_KEY], audited);
        logInfo("rbac: audit: request matched " + audited);
      }
    }
    if (!config.denyDryRun.isEmpty) {
      const matched = config.denyDryRun.firstMatch(request);
      this.recordDryRun(matched !== null, matched, DRY_RUN_DENY_RESULT_KEY, DRY_RUN_DENY_POLICY_KEY);
    }
    if (!config.deny.isEmpty) {
      const matched = config.deny.firstMatch(request);
      if (matched !== null) {
        this.deny(matched, deniedDetails(matched));
        return false;
      }
    }
    if (!config.allowDryRun.isEmpty) {
      const matched = config.allowDryRun.firstMatch(request);
      this.recordDryRun(matched === null, matched, DRY_RUN_ALLOW_RESULT_KEY, DRY_RUN_ALLOW_POLICY_KEY);
    }
    if (!config.allow.isEmpty) {
      const matched = config.allow.firstMatch(request);
      if (matched === null) {
        this.deny(null, deniedDetails(null));
        return false;
      }
      this.record("allowed", matched);
      return true;
    }
    this.record("allowed", null);
    return true;
  }

  private recordDryRun(denied: bool, policy: string | null, resultKey: string, policyKey: string): void {
    const result = denied ? "denied" : "allowed";
    setPropertyString([resultKey], result);
    if (policy !== null) setPropertyString([policyKey], policy);
    logInfo("rbac: dry-run: would have " + result + " the request" + (policy === null ? "" : " (matched " + policy + ")"));
  }

  private record(result: string, policy: string | null): void {
    setPropertyString([RESULT_KEY], result);
    if (policy !== null) setPropertyString([POLICY_KEY], policy);
    if (isLogEnabled(LogLevel.Debug)) logDebug("rbac: " + result + (policy === null ? "" : " by " + policy));
  }

  private deny(policy: string | null, details: string): Action {
    this.record("denied", policy);
    this.sendLocalResponse(403, DENIED_BODY, [], details);
    return Action.Pause;
  }
}

registerRootContext((id: u32): RootContext => new RbacRoot(id));
