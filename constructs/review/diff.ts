/**
 * Compares two synthesized cdktf apps (stack name → `cdk.tf.json` content) by Terraform
 * address and flags what would destroy data or drop a deletion guard.
 */
import {
  deepEqual,
  isExpression,
  isObject,
  Json,
  shown,
  stripMetadata,
  SUPPRESSIONS_KEY,
  walkJson,
} from '../core/json';
import { CATALOGUE, lossOf } from './catalogue';
import {
  databaseVersionProblem,
  deletionBlocked,
  forcingAttribute,
  FORCES_REPLACEMENT,
  identityOf,
  isStateful,
  protectionRemoved,
} from './danger';

import type { AttributeChange, Flag, ResourceChange, ReviewedSuppression, StackReview, SynthesizedApp } from './types';

export type {
  AttributeChange,
  Flag,
  FlagKind,
  ResourceChange,
  ReviewedSuppression,
  StackReview,
  SynthesizedApp,
} from './types';

/** Blocks whose entries have Terraform addresses. */
const ADDRESSED: Readonly<Record<string, (type: string, name?: string) => string>> = {
  resource: (t, n) => `${t}.${n}`,
  data: (t, n) => `data.${t}.${n}`,
  ephemeral: (t, n) => `ephemeral.${t}.${n}`,
  module: (n) => `module.${n}`,
};
const SKIPPED = ['//', 'moved'];

/** Literal values of these keys are never printed, in case a secret was written in plain text. */
const SENSITIVE_KEY =
  /(^|_)(password|secret_data|private_key|secret_access_key|client_secret|api_key|access_token|credentials)(_wo)?$/;
export const HIDDEN = '(literal value hidden)';

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
    if (version) {
      flags.push({ kind: 'replace', address, message: `${version}.`, ...noteOf(type, old, now) });
      replaced.set(address, new Set(['database_version']));
    }
    const forcing = new Map<string, AttributeChange[]>();
    for (const c of changes) {
      const attr = forcingAttribute(type, c.path);
      if (attr) forcing.set(attr, [...(forcing.get(attr) ?? []), c]);
    }
    if (forcing.size) replaced.set(address, new Set(changes.map((c) => c.path.split(/[.[]/)[0])));
    for (const [attr, list] of forcing) {
      const what =
        list.length === 1 && list[0].path === attr
          ? `(${shown(list[0].from)} → ${shown(list[0].to)})`
          : `(${list.map((c) => `\`${c.path}\``).join(', ')})`;
      flags.push({
        kind: 'replace',
        address,
        message: `\`${attr}\` changes ${what}, which forces replacement: ${replacedText(type)}`,
        ...noteOf(type, old, now),
      });
    }
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

/**
 * Stateful resources replaced because a resource they point at is: a replacement-forcing
 * attribute that references a changing or computed attribute of a replaced resource (unknown
 * until apply), or a `replace_triggered_by` naming it. Repeats until nothing new is found.
 */
function cascade(
  replaced: Map<string, Set<string>>,
  pairs: [string, string][],
  before: Map<string, Json>,
  after: Map<string, Json>,
): Flag[] {
  const flags: Flag[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const [oldAddress, address] of pairs) {
      const type = typeOf(address);
      if (replaced.has(address) || address.startsWith('data.') || (!isStateful(type) && !FORCES_REPLACEMENT[type]))
        continue;
      const config = after.get(address);
      const reason = [...replaced].flatMap(([target, changedAttrs]) => {
        const triggers: Json[] = config.lifecycle?.replace_triggered_by ?? [];
        if (triggers.some((t) => t === target || String(t).startsWith(`${target}.`))) {
          return [
            `replaced along with \`${target}\`: its \`lifecycle.replace_triggered_by\` names it${lossOf(type) ? `, losing ${lossOf(type)}` : ''}.`,
          ];
        }
        const targetConfig = after.get(target) ?? {};
        const ref = new RegExp(`\\$\\{${target.replace(/\./g, '\\.')}\\.([a-z0-9_]+)[^}]*\\}`, 'g');
        const found: string[] = [];
        for (const [path, value] of walkJson(config)) {
          if (typeof value !== 'string' || path.length === 0) continue;
          const attr = forcingAttribute(type, path.join('.'));
          if (!attr) continue;
          for (const m of value.matchAll(ref)) {
            // A config value kept through the replacement stays known; changed and computed ones do not.
            if (changedAttrs.has(m[1]) || !(m[1] in targetConfig)) {
              found.push(
                `replaced along with \`${target}\`: its \`${attr}\` is \`${m[0]}\`, which forces replacement${lossOf(type) ? `, losing ${lossOf(type)}` : ''}.`,
              );
            }
          }
        }
        return found;
      });
      if (!reason.length) continue;
      replaced.set(address, new Set());
      grew = true;
      flags.push({ kind: 'replace', address, message: reason[0], ...noteOf(type, before.get(oldAddress), config) });
    }
  }
  return flags;
}

/**
 * Replacements of catalogue types that lose nothing (an IAM member, a URL map, a time_sleep)
 * and that no deletion guard stops are listed, not flagged; with `unknownFlagged`, a type
 * the catalogue does not know stays flagged.
 */
export function splitReplacements(flags: readonly Flag[], unknownFlagged: boolean): [Flag[], Flag[]] {
  const harmless = (f: Flag) => {
    if (f.kind !== 'replace' || f.note) return false;
    const type = typeOf(f.address);
    if (lossOf(type)) return false;
    return !(unknownFlagged && !CATALOGUE[type]);
  };
  return [flags.filter((f) => !harmless(f)), flags.filter(harmless)];
}

/** The end of a REPLACE message: what is lost. */
export function replacedText(type: string): string {
  const loss = lossOf(type);
  return loss ? `the resource is destroyed and recreated, losing ${loss}.` : 'the resource is destroyed and recreated.';
}

export function noteOf(type: string, old: Json, now: Json | undefined): { note?: string } {
  const note = deletionBlocked(type, old, now);
  return note ? { note } : {};
}

/**
 * What an IAM member grants: its replacement-forcing arguments (role, member, condition and the
 * parent: project, secret_id, bucket), which are also what names the binding. Computed
 * attributes in a plan (`id`, `etag`) are left out.
 */
function grantKey(type: string, config: Json): string {
  const keys = CATALOGUE[type]?.forceNew ?? ['role', 'member', 'condition', 'project'];
  return JSON.stringify(keys.map((k) => config?.[k] ?? null));
}

/** IAM members that leave one address for another with the same grant: two resources manage one binding. */
export function iamMoves(
  removed: string[],
  added: string[],
  before: Map<string, Json>,
  after: Map<string, Json>,
): Flag[] {
  const flags: Flag[] = [];
  for (const address of removed) {
    const type = typeOf(address);
    if (!/_iam_member$/.test(type)) continue;
    const key = grantKey(type, before.get(address));
    const twin = added.find((a) => typeOf(a) === type && grantKey(type, after.get(a)) === key);
    if (!twin) continue;
    flags.push({
      kind: 'iam-move',
      address,
      message: `the same grant moves to \`${twin}\` without a \`moved\` block: for one apply two resources manage one binding, and destroying \`${address}\` removes the member that \`${twin}\` has just granted, until the next apply. Keep the construct id, or add a \`moved\` block (\`moveFromId('${address}')\`).`,
    });
  }
  return flags;
}

/** The suppressions recorded in the new config, each marked new unless the base has it too. */
function suppressionsIn(toJson: Json | undefined, fromJson: Json | undefined): ReviewedSuppression[] {
  type Recorded = { ruleId: string; address: string; reason: string; finding: string };
  const list = (json: Json | undefined): Recorded[] => json?.['//']?.[SUPPRESSIONS_KEY]?.suppressions ?? [];
  const base = new Set(list(fromJson).map((x) => `${x.ruleId} ${x.address} ${x.reason}`));
  return list(toJson).map((x) => ({
    ruleId: x.ruleId,
    address: x.address,
    reason: x.reason,
    finding: x.finding,
    isNew: !!fromJson && !base.has(`${x.ruleId} ${x.address} ${x.reason}`),
  }));
}

/** Every differing leaf between two JSON values, keyed by attribute path. */
export function diffValues(a: Json, b: Json, path = ''): AttributeChange[] {
  if (deepEqual(a, b)) return [];
  const join = (k: string) => (path ? `${path}.${k}` : k);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffValues(a[k], b[k], join(k)));
  }
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every(isObject)) {
    const named = namedItems(a) && namedItems(b);
    if (named) {
      const byName = (list: Json[]) => new Map(list.map((x) => [x.name as string, x]));
      const ma = byName(a);
      const mb = byName(b);
      const order = [...ma.keys(), ...[...mb.keys()].filter((n) => !ma.has(n))];
      return order.flatMap((n) => diffValues(ma.get(n), mb.get(n), `${path}[name=${n}]`));
    }
    const n = Math.max(a.length, b.length);
    return Array.from({ length: n }, (_, i) => diffValues(a[i], b[i], `${path}[${i}]`)).flat();
  }
  if (Array.isArray(a) && Array.isArray(b) && ![...a, ...b].some((x) => isObject(x) || Array.isArray(x))) {
    // Items only added or removed (order otherwise kept, as in depends_on): one line per item.
    const removed = a.filter((x) => !b.includes(x));
    const added = b.filter((x) => !a.includes(x));
    const kept = (list: Json[], gone: Json[]) => list.filter((x) => !gone.includes(x));
    if (deepEqual(kept(a, removed), kept(b, added))) {
      return [
        ...removed.map((x) => ({ path: `${path}[]`, from: x })),
        ...added.map((x) => ({ path: `${path}[]`, to: x })),
      ];
    }
  }
  return [{ path, from: a, to: b }];
}

/** Code-point order: the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function namedItems(list: Json[]): boolean {
  const names = list.map((x) => x.name);
  return names.every((n) => typeof n === 'string') && new Set(names).size === names.length;
}

/** Address → config for every resource, data source, ephemeral resource and module. */
function addressed(json: Json): Map<string, Json> {
  const map = new Map<string, Json>();
  for (const [block, address] of Object.entries(ADDRESSED)) {
    const entries = json[block];
    if (!isObject(entries)) continue;
    if (block === 'module') {
      for (const [name, cfg] of Object.entries(entries)) map.set(address(name), cfg);
      continue;
    }
    for (const [type, byName] of Object.entries(entries)) {
      if (!isObject(byName)) continue;
      for (const [name, cfg] of Object.entries(byName)) map.set(address(type, name), cfg);
    }
  }
  return map;
}

function otherBlocks(json: Json): Json {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(stripMetadata(json) as Record<string, Json>)) {
    if (!(k in ADDRESSED) && !SKIPPED.includes(k)) out[k] = v;
  }
  return out;
}

export function typeOf(address: string): string {
  const parts = address.split('.');
  return parts[0] === 'data' || parts[0] === 'ephemeral' ? parts[1] : parts[0];
}

/** The old config with references to moved addresses rewritten, so that they do not show as changes. */
function withRenames(config: Json, renames: Map<string, string>): Json {
  if (renames.size === 0) return config;
  let text = JSON.stringify(config);
  for (const [from, to] of renames) text = text.split(`${from}.`).join(`${to}.`).split(`"${from}"`).join(`"${to}"`);
  return JSON.parse(text);
}

function withoutDependsOn(config: Json): Json {
  if (!isObject(config)) return config;
  const { depends_on: _ignored, ...rest } = config;
  return rest;
}

/** Hides literal values under secret-looking keys; references (`${...}`) stay visible. */
export function redact(change: AttributeChange): AttributeChange {
  const key =
    change.path
      .replace(/\[[^\]]*\]$/, '')
      .split('.')
      .pop() ?? '';
  return { path: change.path, from: hide(change.from, key), to: hide(change.to, key) };
}

function hide(value: Json, key: string): Json {
  if (value === undefined || value === null) return value;
  if (SENSITIVE_KEY.test(key) && !isObject(value) && !Array.isArray(value)) {
    return isExpression(value) || typeof value !== 'string' ? value : HIDDEN;
  }
  if (Array.isArray(value)) return value.map((v) => hide(v, key));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hide(v, k)]));
  return value;
}
