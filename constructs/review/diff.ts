/**
 * Compares two synthesized cdktf apps (stack name → `cdk.tf.json` content) by Terraform
 * address and flags what would destroy data or drop a deletion guard.
 */
import { deepEqual, Json, shown, stripMetadata } from '../core/json';
import { lossOf } from './catalogue';
import {
  databaseVersionProblem,
  forcingAttribute,
  FORCES_REPLACEMENT,
  identityOf,
  isStateful,
  protectionRemoved,
} from './danger';
import { addressed, otherBlocks, typeOf, withoutDependsOn, withRenames } from './addresses';
import { cascade } from './cascade';
import { iamMoves, noteOf, replacedText, splitReplacements, suppressionsIn } from './flags';
import { compare, diffValues, redact } from './values';

import type { AttributeChange, Flag, ResourceChange, StackReview, SynthesizedApp } from './types';

export function reviewApps(from: SynthesizedApp, to: SynthesizedApp): StackReview[] {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return names.map((stack) => reviewStack(stack, from[stack], to[stack]));
}

export function reviewStack(stack: string, fromJson: Json | undefined, toJson: Json | undefined): StackReview {
  const before = addressed(stripMetadata(fromJson ?? {}));
  const after = addressed(stripMetadata(toJson ?? {}));
  const flags: Flag[] = [];

  // `moved` blocks in the new config carry state from the old address to the new one.
  const renames = new Map<string, string>();
  const moved: { from: string; to: string }[] = [];
  for (const m of (toJson?.moved ?? []) as Json[]) {
    if (before.has(m.from) && after.has(m.to) && !after.has(m.from)) {
      renames.set(m.from, m.to);
      moved.push({ from: m.from, to: m.to });
    }
  }
  const removedAll = [...before.keys()].filter((a) => !after.has(a) && !renames.has(a)).sort();
  const added = [...after.keys()].filter((a) => !before.has(a) && ![...renames.values()].includes(a)).sort();

  // A stateful resource gone at one address and back at another is a rename: destroy + create.
  const pairedAdds = new Set<string>();
  for (const address of removedAll) {
    const type = typeOf(address);
    if (!isStateful(type)) continue;
    const old = withRenames(before.get(address), renames);
    const key = identityOf(type);
    const twin = added.find(
      (a) =>
        !pairedAdds.has(a) &&
        typeOf(a) === type &&
        (key
          ? old[key] !== undefined && deepEqual(old[key], after.get(a)[key])
          : deepEqual(withoutDependsOn(old), withoutDependsOn(after.get(a)))),
    );
    if (twin) {
      pairedAdds.add(twin);
      flags.push({
        kind: 'rename',
        address,
        message: `moves to \`${twin}\` without a \`moved\` block: Terraform destroys \`${address}\` (and its data) and creates \`${twin}\`. Keep the old construct id, or call \`moveFromId('${address}')\` on the new resource (it writes the \`moved\` block).`,
        ...noteOf(type, old, undefined),
      });
    } else {
      flags.push({
        kind: 'destroy',
        address,
        message: `stateful resource removed: Terraform destroys it, losing ${lossOf(type)}.`,
        ...noteOf(type, old, undefined),
      });
    }
  }
  flags.push(...iamMoves(removedAll, added, before, after));

  const changed: ResourceChange[] = [];
  /** Replaced address → its top-level attributes that change. */
  const replaced = new Map<string, Set<string>>();
  const pairs: [string, string][] = [
    ...[...before.keys()].filter((a) => after.has(a)).map((a): [string, string] => [a, a]),
    ...moved.map((m): [string, string] => [m.from, m.to]),
  ].sort((x, y) => compare(x[1], y[1]));
  for (const [oldAddress, address] of pairs) {
    const old = withRenames(before.get(oldAddress), renames);
    const now = after.get(address);
    const changes = diffValues(old, now).map(redact);
    if (changes.length) changed.push({ address, changes });
    const type = typeOf(address);
    if (!address.startsWith('data.')) {
      for (const message of protectionRemoved(type, old, now)) flags.push({ kind: 'protection-off', address, message });
    }
    // terraform_data holds nothing, but its replacement is what a `replace_triggered_by` follows.
    if (type === 'terraform_data') {
      if (changes.some((c) => c.path.startsWith('triggers_replace')))
        replaced.set(address, new Set(['triggers_replace']));
      continue;
    }
    if (address.startsWith('data.') || (!isStateful(type) && !FORCES_REPLACEMENT[type])) continue;
    const version =
      type === 'google_sql_database_instance' && databaseVersionProblem(old.database_version, now.database_version);
    const forcing = new Map<string, AttributeChange[]>();
    for (const c of changes) {
      const attr = forcingAttribute(type, c.path);
      if (attr) forcing.set(attr, [...(forcing.get(attr) ?? []), c]);
    }
    if (!version && !forcing.size) continue;
    replaced.set(address, new Set(forcing.size ? changes.map((c) => c.path.split(/[.[]/)[0]) : ['database_version']));
    // One flag per resource, naming every argument that forces its replacement.
    const forced = forcing.size ? forcingText(forcing, type) : '';
    flags.push({
      kind: 'replace',
      address,
      message: version ? `${version}${forced ? `; ${forced}` : '.'}` : forced,
      ...noteOf(type, old, now),
    });
  }

  flags.push(...cascade(replaced, pairs, before, after));

  const suppressions = suppressionsIn(toJson, fromJson);
  for (const x of suppressions.filter((y) => y.isNew)) {
    flags.push({
      kind: 'suppression',
      address: x.address,
      message: `a new guardrail suppression: ${x.finding} — reason given: "${x.reason}".`,
    });
  }

  // A whole stack appearing or disappearing needs no list of its provider and backend settings.
  const other = fromJson && toJson ? diffValues(otherBlocks(fromJson), otherBlocks(toJson)).map(redact) : [];
  const backendBefore = fromJson?.terraform?.backend;
  const backendAfter = toJson?.terraform?.backend;
  if (fromJson && toJson && !deepEqual(stripMetadata(backendBefore), stripMetadata(backendAfter))) {
    flags.push({
      kind: 'state',
      address: 'terraform.backend',
      message:
        'the state location changes: Terraform starts from an empty state there and would try to create everything again. Migrate the state first (`terraform init -migrate-state`).',
    });
  }

  if (!toJson) {
    // Nothing is destroyed by `cdktf deploy` then, but a `cdktf destroy` of the old stack would.
    const stateful = removedAll.filter((a) => isStateful(typeOf(a)));
    flags.length = 0;
    if (stateful.length) {
      flags.push({
        kind: 'destroy',
        address: stack,
        message: `the environment is no longer in the app: its ${stateful.length === 1 ? '1 stateful resource stays' : `${stateful.length} stateful resources stay`} in state unmanaged, and \`cdktf destroy ${stack}\` would delete ${stateful.length === 1 ? 'it' : 'them'}.`,
      });
    }
  }

  const [flagged, harmless] = splitReplacements(flags, false);
  return {
    stack,
    status: !fromJson ? 'added' : !toJson ? 'removed' : 'present',
    added,
    removed: removedAll,
    moved,
    changed,
    other,
    suppressions,
    replaced: harmless.sort((a, b) => compare(a.address, b.address)),
    flags: flagged.sort((a, b) => compare(a.address, b.address) || compare(a.kind, b.kind)),
  };
}

/** `` `a` changes (x → y) and `b` changes (`b.c`), which force replacement: ... ``, each path once. */
function forcingText(forcing: Map<string, AttributeChange[]>, type: string): string {
  const parts = [...forcing].map(([attr, list]) => {
    const what =
      list.length === 1 && list[0].path === attr
        ? `(${shown(list[0].from)} → ${shown(list[0].to)})`
        : `(${[...new Set(list.map((c) => c.path))].map((p) => `\`${p}\``).join(', ')})`;
    return `\`${attr}\` changes ${what}`;
  });
  const names = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `${names}, which ${parts.length === 1 ? 'forces' : 'force'} replacement: ${replacedText(type)}`;
}
