/**
 * Attribute-level diffing of two JSON values, and the redaction of secret-looking literals in
 * what it finds: shared by the synth review and the plan review.
 */
import { deepEqual, isExpression, isObject, Json } from '../core/json';

import type { AttributeChange } from './types';

/** Literal values of these keys are never printed, in case a secret was written in plain text. */
const SENSITIVE_KEY =
  /(^|_)(password|secret_data|private_key|secret_access_key|client_secret|api_key|access_token|credentials)(_wo)?$/;
export const HIDDEN = '(literal value hidden)';

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
