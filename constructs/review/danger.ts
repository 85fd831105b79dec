/**
 * What makes a change to synthesized Terraform dangerous: the resource types that hold data,
 * the attributes whose change makes Terraform replace them, and the switches that guard
 * against deletion (hashicorp/google 6.50.0 schemas).
 */
import { getPath, isExpression, Json, shown, walkJson } from '../core/json';
import { DELETION_PROTECTED_BY_DEFAULT } from '../gcp/provider-defaults';
import { CATALOGUE, STATEFUL_TYPES } from './catalogue';

export { STATEFUL_TYPES } from './catalogue';

/** Replacement-forcing arguments per type, as read from the provider source (see catalogue.ts). */
export const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(CATALOGUE).flatMap(([type, e]) => (e.forceNew ? [[type, e.forceNew]] : [])),
);
/** For stateful types the provider facts do not cover: their identity. */
const GENERIC_FORCING = ['name', 'project', 'region', 'location'];

export function isStateful(type: string): boolean {
  return STATEFUL_TYPES.includes(type);
}

/** The identity attribute of a stateful type ('' when only the whole config identifies it). */
export function identityOf(type: string): string {
  return CATALOGUE[type]?.identity ?? 'name';
}

/**
 * The replacement-forcing argument that `path` (dotted; `[...]` or `.0` for list items) is in,
 * if any: from the provider facts, else the identity of a stateful type, else none.
 */
export function forcingAttribute(type: string, path: string): string | undefined {
  const attrs = FORCES_REPLACEMENT[type] ?? (isStateful(type) ? GENERIC_FORCING : []);
  const plain = path.replace(/\[[^\]]*\]/g, '').replace(/\.\d+(?=\.|$)/g, '');
  return attrs.find((a) => plain === a || plain.startsWith(`${a}.`));
}

/** Whether a resource of `type` with this (old) config is guarded against deletion, and how to proceed. */
export function deletionBlocked(type: string, before: Json, after: Json | undefined): string | undefined {
  const dp = before?.deletion_protection;
  const on =
    dp === true ||
    dp === 'true' ||
    (dp === undefined && DELETION_PROTECTED_BY_DEFAULT.includes(type) && before !== undefined);
  if (after?.lifecycle?.prevent_destroy === true) {
    return '`lifecycle.prevent_destroy` is set: Terraform refuses this plan. To go ahead on purpose, first remove `prevent_destroy` (for the library constructs: `deletionProtection: false`) in its own reviewed change.';
  }
  if (on) {
    return '`deletion_protection` is on in state: the apply stops with an error before it destroys this. To go ahead on purpose, first apply `deletionProtection: false` alone, then this change.';
  }
  return undefined;
}

/** `database_version` moving to another engine or an older major version (never in place). */
export function databaseVersionProblem(from: Json, to: Json): string | undefined {
  if (from === to || typeof from !== 'string' || typeof to !== 'string') return undefined;
  const parse = (v: string) => /^([A-Z]+)_(\d+)(?:_(\d+))?/.exec(v);
  const a = parse(from);
  const b = parse(to);
  if (!a || !b)
    return `database_version changes from ${JSON.stringify(from)} to ${JSON.stringify(to)}, which cannot be checked as an upgrade`;
  if (a[1] !== b[1]) return `database_version changes engine from ${from} to ${to}: Cloud SQL cannot do that in place`;
  const older = Number(b[2]) < Number(a[2]) || (b[2] === a[2] && Number(b[3] ?? 0) < Number(a[3] ?? 0));
  return older
    ? `database_version goes down from ${from} to ${to}: Cloud SQL only upgrades in place, a downgrade recreates the instance`
    : undefined;
}

/** Deletion guards a change switches off, as messages. */
export function protectionRemoved(type: string, from: Json, to: Json): string[] {
  const found: string[] = [];
  const at = (cfg: Json) => {
    const map = new Map<string, Json>();
    for (const [path, v] of walkJson(cfg)) {
      const key = path[path.length - 1];
      if (key === 'deletion_protection' || key === 'deletion_protection_enabled') map.set(path.join('.'), v);
    }
    return map;
  };
  const before = at(from);
  const after = at(to);
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(path);
    const now = after.get(path);
    const defaultTrue = path === 'deletion_protection' && DELETION_PROTECTED_BY_DEFAULT.includes(type);
    const wasOn = old === true || (old === undefined && defaultTrue);
    const isOn = now === true || (now === undefined && defaultTrue);
    if (wasOn && isExpression(now)) {
      found.push(
        `\`${path}\` changes from ${shown(old)} to an expression, ${shown(now)}: it is off whenever that value is false at plan time`,
      );
    } else if (wasOn && !isOn) found.push(`\`${path}\` turned off (${shown(old)} → ${shown(now)})`);
  }
  const pairs: [string, (v: Json) => boolean][] = [
    ['lifecycle.prevent_destroy', (v) => v === true],
    ['force_destroy', (v) => v !== true],
    ['deletion_policy', (v) => v === 'ABANDON'],
  ];
  for (const [path, guarded] of pairs) {
    const old = getPath(from, path);
    const now = getPath(to, path);
    if (guarded(old) && !guarded(now))
      found.push(`\`${path}\` no longer guards deletion (${shown(old)} → ${shown(now)})`);
  }
  return found;
}
