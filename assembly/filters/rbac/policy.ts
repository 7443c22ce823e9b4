/**
 * Compiled authorization policies and their evaluation, by Istio's rules
 * (istio.io "Authorization Policy" reference; pilot/pkg/security/authz/
 * model/model.go): a rule matches when one of its `from` entries, one of
 * its `to` entries and every `when` condition match (an absent list matches
 * anything); inside an entry every field must match; a field matches when
 * one of its values does and none of its not-values does.
 */
import { Matcher } from "./matchers";
import { RequestAttributes } from "./request-attributes";

export const enum PolicyAction { Allow = 0, Deny = 1, Audit = 2 }

/** One field: values OR-ed, not-values negated. */
export class Condition {
  constructor(readonly values: Matcher[], readonly notValues: Matcher[]) {}

  matches(request: RequestAttributes): bool {
    const values = this.values;
    if (values.length > 0) {
      let any = false;
      for (let i = 0, n = values.length; i < n; i++) {
        if (unchecked(values[i]).matches(request)) { any = true; break; }
      }
      if (!any) return false;
    }
    const notValues = this.notValues;
    for (let i = 0, n = notValues.length; i < n; i++) {
      if (unchecked(notValues[i]).matches(request)) return false;
    }
    return true;
  }
}

function allMatch(conditions: Condition[], request: RequestAttributes): bool {
  for (let i = 0, n = conditions.length; i < n; i++) {
    if (!unchecked(conditions[i]).matches(request)) return false;
  }
  return true;
}

function anyEntryMatches(entries: Condition[][], request: RequestAttributes): bool {
  if (entries.length == 0) return true;
  for (let i = 0, n = entries.length; i < n; i++) {
    if (allMatch(unchecked(entries[i]), request)) return true;
  }
  return false;
}

export class Rule {
  /** False for the rule standing in for a policy without rules: Istio makes it match nothing. */
  matchable: bool = true;
  from: Condition[][] = [];
  to: Condition[][] = [];
  when: Condition[] = [];

  matches(request: RequestAttributes): bool {
    if (!this.matchable) return false;
    // `when` first: its conditions are usually the cheapest to reject with.
    return allMatch(this.when, request) && anyEntryMatches(this.from, request) && anyEntryMatches(this.to, request);
  }
}

/** One rule under the name Istio gives it in Envoy's RBAC config: `ns[<ns>]-policy[<name>]-rule[<i>]`. */
export class NamedRule {
  constructor(readonly id: string, readonly rule: Rule) {}
}

/**
 * The rules of one action, enforced or dry-run. Envoy keeps RBAC policies in
 * an ordered map, so the policy reported as matched is the first by name.
 */
export class Engine {
  rules: NamedRule[] = [];

  get isEmpty(): bool { return this.rules.length == 0; }

  add(rule: NamedRule): void {
    const rules = this.rules;
    rules.push(rule);
    for (let at = rules.length - 1; at > 0 && rules[at - 1].id > rule.id; at--) {
      rules[at] = rules[at - 1];
      rules[at - 1] = rule;
    }
  }

  /** Id of the first rule that matches, or null. */
  firstMatch(request: RequestAttributes): string | null {
    const rules = this.rules;
    for (let i = 0, n = rules.length; i < n; i++) {
      const named = unchecked(rules[i]);
      if (named.rule.matches(request)) return named.id;
    }
    return null;
  }
}

/** Everything the filter enforces and reports, per action. */
export class RbacConfig {
  readonly audit: Engine = new Engine();
  readonly deny: Engine = new Engine();
  readonly denyDryRun: Engine = new Engine();
  readonly allow: Engine = new Engine();
  readonly allowDryRun: Engine = new Engine();
  numTrustedProxies: i32 = 0;
  policyCount: i32 = 0;
}
