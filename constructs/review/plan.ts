/**
 * Reviews a real plan: `terraform show -json plan.out`, read through its
 * `resource_changes[].change` (`actions`, `before`, `after`, `replace_paths`), flagged with the
 * same dangers as the synth review.
 */
import { deepEqual, isObject, Json } from '../core/json';
import { addressed } from './addresses';
import { lossOf } from './catalogue';
import { databaseVersionProblem, isStateful, protectionRemoved } from './danger';
import { iamMoves, noteOf, splitReplacements, suppressionsIn } from './flags';
import { compare, diffValues, HIDDEN, redact } from './values';

import type { Flag, ResourceChange, StackReview } from './types';

interface PlanChange {
  readonly address: string;
  readonly previous_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Json;
    readonly after: Json;
    readonly after_unknown?: Json;
    readonly before_sensitive?: Json;
    readonly after_sensitive?: Json;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

/**
 * The review of one plan; `label` names it in the report (the file name). A plan carries no
 * cdktf metadata, so the guardrail suppressions are listed from `synth`, the stack's
 * `cdk.tf.json` the plan was made from, when given (`synthLabel` names it in errors).
 */
export function reviewPlan(label: string, plan: Json, synth?: Json, synthLabel = 'the synth file'): StackReview {
  if (!isObject(plan) || typeof plan.format_version !== 'string') {
    throw new Error(
      `${label} is not the output of \`terraform show -json\` for a plan (no format_version); run \`terraform plan -out plan.out && terraform show -json plan.out > plan.json\``,
    );
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes))
    throw new Error(`${label}: resource_changes is not a list`);
  if (synth !== undefined && !(isObject(synth) && isObject(synth.terraform)))
    throw new Error(
      `${synthLabel} is not a synthesized stack (no terraform block); give cdktf.out/stacks/<stack>/cdk.tf.json`,
    );
  const changes = ((plan.resource_changes ?? []) as PlanChange[]).filter(
    (c) => c.mode !== 'data' && Array.isArray(c.change?.actions),
  );
  if (synth !== undefined) sameStack(label, changes, synth, synthLabel);
  const flags: Flag[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  const moved: { from: string; to: string }[] = [];
  const changed: ResourceChange[] = [];
  const before = new Map<string, Json>();
  const after = new Map<string, Json>();

  for (const c of changes) {
    const { actions } = c.change;
    const old = masked(c.change.before, c.change.before_sensitive);
    const now = masked(c.change.after, c.change.after_sensitive, c.change.before);
    if (c.previous_address && c.previous_address !== c.address) moved.push({ from: c.previous_address, to: c.address });
    const replace = actions.includes('delete') && actions.includes('create');
    if (actions.length === 1 && actions[0] === 'create') {
      added.push(c.address);
      after.set(c.address, now);
      continue;
    }
    if (actions.length === 1 && actions[0] === 'delete') {
      removed.push(c.address);
      before.set(c.address, old);
      if (isStateful(c.type))
        flags.push({
          kind: 'destroy',
          address: c.address,
          message: `the plan destroys it, losing ${lossOf(c.type)}.`,
          ...noteOf(c.type, old, undefined),
        });
      continue;
    }
    if (!replace && !actions.includes('update')) continue; // no-op, read, forget
    const diff = diffValues(old, withUnknown(now, c.change.after_unknown)).map(redact);
    if (diff.length) changed.push({ address: c.address, changes: diff });
    for (const message of protectionRemoved(c.type, withoutUnknown(old, c.change.after_unknown), now))
      flags.push({ kind: 'protection-off', address: c.address, message });
    if (replace) {
      const paths = (c.change.replace_paths ?? []).map((p) => p.filter((x) => typeof x === 'string').join('.'));
      const why =
        c.type === 'google_sql_database_instance' &&
        databaseVersionProblem(old?.database_version, now?.database_version)
          ? `${databaseVersionProblem(old.database_version, now.database_version)}`
          : paths.length
            ? `${paths.map((p) => `\`${p}\``).join(', ')} ${paths.length === 1 ? 'forces' : 'force'} replacement`
            : 'the plan replaces it';
      const loss = lossOf(c.type);
      flags.push({
        kind: 'replace',
        address: c.address,
        message: `${why}: the resource is destroyed and recreated${loss ? `, losing ${loss}` : ''}.`,
        ...noteOf(c.type, old, undefined),
      });
    }
  }
  flags.push(...iamMoves(removed, added, before, after));
  const [flagged, harmless] = splitReplacements(flags, true);
  return {
    stack: label,
    status: 'present',
    added: added.sort(),
    removed: removed.sort(),
    moved,
    changed: changed.sort((a, b) => compare(a.address, b.address)),
    other: [],
    suppressions: suppressionsIn(synth, undefined),
    replaced: harmless.sort((a, b) => compare(a.address, b.address)),
    flags: flagged.sort((a, b) => compare(a.address, b.address) || compare(a.kind, b.kind)),
  };
}

/**
 * Values the plan marks sensitive, hidden (`terraform show -json` prints them in clear). Given
 * the `before` side, a hidden `after` value that differs from it says so, without the value.
 */
function masked(value: Json, sensitive: Json, before?: Json): Json {
  if (sensitive === true) {
    if (value === null || value === undefined) return value;
    return before !== undefined && !deepEqual(before, value) ? HIDDEN_CHANGED : HIDDEN;
  }
  const at = (k: string | number) =>
    before !== null && typeof before === 'object' ? (before as Record<string | number, Json>)[k] : undefined;
  if (Array.isArray(value))
    return value.map((v, i) => masked(v, Array.isArray(sensitive) ? sensitive[i] : undefined, at(i)));
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, masked(v, isObject(sensitive) ? sensitive[k] : undefined, at(k))]),
    );
  return value;
}

const HIDDEN_CHANGED = '(sensitive value hidden, changed)';

/** `before` without what is unknown after apply: no comparison is possible there. */
function withoutUnknown(value: Json, unknown: Json): Json {
  if (unknown === true) return undefined;
  if (isObject(unknown) && isObject(value)) {
    const out = { ...value };
    for (const [k, u] of Object.entries(unknown)) out[k] = withoutUnknown(out[k], u);
    return out;
  }
  return value;
}

/** `after` with the values known only after apply shown as such. */
function withUnknown(value: Json, unknown: Json): Json {
  if (unknown === true) return '(known after apply)';
  if (isObject(unknown)) {
    const base = isObject(value) ? { ...value } : {};
    for (const [k, u] of Object.entries(unknown)) base[k] = withUnknown(base[k], u);
    return base;
  }
  if (Array.isArray(unknown) && Array.isArray(value)) return value.map((v, i) => withUnknown(v, unknown[i]));
  return value;
}

/**
 * Refuses a `--synth` file of another stack: `terraform show -json` lists every resource of
 * the configuration (no-op ones too), so the plan and the stack it was made from share
 * addresses. Either side empty says nothing, and is let through.
 */
function sameStack(label: string, changes: readonly PlanChange[], synth: Json, synthLabel: string): void {
  const synthesized = addressed(synth);
  // `aws_x.name[0]` and `aws_x.name["k"]` are instances of `aws_x.name`.
  const planned = changes.map((c) => c.address.replace(/\[[^\]]*\]$/, ''));
  if (synthesized.size && planned.length && !planned.some((a) => synthesized.has(a)))
    throw new Error(
      `${synthLabel} is not the stack ${label} was made from: none of its ${synthesized.size} addresses is in the plan; give the cdk.tf.json of the plan's stack (cdktf.out/stacks/<stack>/cdk.tf.json)`,
    );
}
