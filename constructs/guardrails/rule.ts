import { TerraformDataSource, TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';
import { Json } from '../core/json';

export type Severity = 'error' | 'warning';

/** One resource or data source as written to `cdk.tf.json`, after every aspect and override. */
export interface SynthesizedResource {
  /** Terraform type, e.g. `google_sql_database_instance`. */
  readonly type: string;
  /** Terraform address, e.g. `google_sql_database_instance.database_Instance_1B6129A2`. */
  readonly address: string;
  readonly kind: 'resource' | 'data';
  /**
   * The synthesized config (snake_case, references as `${...}`, no `//` metadata), with the
   * strings `"true"` and `"false"` read as booleans (Terraform converts them).
   */
  readonly config: Json;
  /** The construct that wrote it; undefined for a block added by a stack-level `addOverride`. */
  readonly construct?: TerraformResource | TerraformDataSource;
  /** Whether the stack is a production environment. */
  readonly production: boolean;
}

/** A check run on every resource of a stack at synth. */
export interface GuardrailRule {
  /** Stable id, used in messages and suppressions. */
  readonly id: string;
  /** One line: why the rule exists. */
  readonly rationale: string;
  /** Severity in production environments. */
  readonly severity: Severity;
  /** Severity elsewhere; `'off'` for rules that only matter in production. */
  readonly outsideProduction: Severity | 'off';
  /** The problems of one resource, each naming the value found and what is allowed; empty when compliant or unknown at synth. */
  check(resource: SynthesizedResource): readonly string[];
}

/** Per scope and rule id: whether the findings under the scope are reported once, as their cause. */
const CAUSES = new WeakMap<IConstruct, Map<string, () => boolean>>();

/**
 * Declares that the findings of `ruleId` on resources under `scope` share one cause that is
 * reported elsewhere (as one problem) whenever `reported()` is true at synth, e.g. TwentyStack's
 * one problem for a production environment whose monitoring has no notification channel. The
 * rule then skips them (`causeReported`), so the report names the cause once instead of one
 * line per resource. `reported()` must be false when the cause is suppressed: the findings are
 * then made, suppressed and listed as usual.
 */
export function reportCauseOnce(scope: IConstruct, ruleId: string, reported: () => boolean): void {
  const byRule = CAUSES.get(scope) ?? new Map<string, () => boolean>();
  byRule.set(ruleId, reported);
  CAUSES.set(scope, byRule);
}

/** Whether a finding of `ruleId` on the resource is covered by a cause reported once (`reportCauseOnce`). */
export function causeReported(resource: SynthesizedResource, ruleId: string): boolean {
  return (resource.construct?.node.scopes ?? []).some((scope) => CAUSES.get(scope)?.get(ruleId)?.() === true);
}

/** A deletion guard a library construct sets on a resource it creates. */
export type LibraryGuard = 'deletion_protection' | 'lifecycle.prevent_destroy';

/** Per resource: the guards the library set on it, and who set them when no prop maps (`userTerm`). */
const GUARDS = new WeakMap<IConstruct, Map<LibraryGuard, string>>();

/**
 * Records that the library set `guard` on `resource`, so that PROD-DELETION-PROTECTION can
 * tell, on the final JSON, a guard an override or aspect removed from one never set.
 * `setBy` names the setter when no construct prop does (e.g. `TwentyBootstrapStack`).
 */
export function markGuard(resource: IConstruct, guard: LibraryGuard, setBy = 'the library'): void {
  const guards = GUARDS.get(resource) ?? new Map<LibraryGuard, string>();
  guards.set(guard, setBy);
  GUARDS.set(resource, guards);
}

/** Who set `guard` on the resource, in the user's terms, when the library did (`markGuard`); else undefined. */
export function guardSetBy(resource: SynthesizedResource, guard: LibraryGuard): string | undefined {
  const setBy = resource.construct && GUARDS.get(resource.construct)?.get(guard);
  if (setBy === undefined) return undefined;
  const term = userTerm(resource, guard);
  return term.includes(' of ') ? term : setBy;
}

/** A Cloud SQL instance that is not a read replica (replicas take no backups and follow their primary). */
export function isPrimarySqlInstance({ type, config }: SynthesizedResource): boolean {
  return type === 'google_sql_database_instance' && !config.master_instance_name;
}

/**
 * How the user set an attribute, in their own terms: the prop of the library construct that
 * writes it (`deletionProtection of TwentyBackendService "server"`), or the binding's own
 * camelCase prop for a resource the user made (`deletionProtection`).
 */
export function userTerm(resource: SynthesizedResource, attribute: string): string {
  for (const scope of [...(resource.construct?.node.scopes ?? [])].reverse()) {
    const props = OWNER_PROPS[scope.constructor.name];
    const prop = props?.[`${resource.type}:${attribute}`] ?? props?.[`*:${attribute}`];
    if (prop) return `${prop} of ${scope.constructor.name} "${scope.node.id}"`;
  }
  return attribute
    .split('.')
    .map((part) => part.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()))
    .join('.');
}

/** Library construct -> `type:attribute` (or `*:attribute`) -> the prop that sets it. */
const OWNER_PROPS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CloudSqlSocketDatabase: {
    '*:deletion_protection': 'deletionProtection',
    '*:settings.deletion_protection_enabled': 'deletionProtection',
    '*:settings.availability_type': 'highAvailability',
  },
  TwentyBackendService: {
    '*:deletion_protection': 'deletionProtection',
    'google_storage_bucket:force_destroy': 'deletionProtection',
    '*:lifecycle.prevent_destroy': 'deletionProtection',
  },
};
