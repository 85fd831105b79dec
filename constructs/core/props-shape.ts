/**
 * Runtime key lists of the props types, declared once beside each type and tied to it by the
 * compiler: `PropShape<T>` demands exactly T's keys, each with the kind of its TypeScript type.
 * Synth transpiles without type-checking (swc), so a typo such as `maxInstance` would otherwise
 * vanish; `checkShape` refuses it with a "did you mean".
 */
import { Token } from 'cdktf';
import { Problems, quote } from './validation';

type Base<V> = [V] extends [string]
  ? 'string'
  : [V] extends [number]
    ? 'number'
    : [V] extends [boolean]
      ? 'boolean'
      : [V] extends [readonly unknown[]]
        ? 'array'
        : [V] extends [string | false]
          ? 'string|false'
          : false extends V
            ? 'object|false'
            : 'object';

// An optional key: the empty object already satisfies `Pick<T, K>`.
type Optional<T, K extends keyof T> = Record<never, never> extends Pick<T, K> ? '?' : '';

/** A nested plain object (`shape`) or a map whose values are such objects (`values`). */
export type NestedShape<V, O extends '' | '?'> =
  | {
      readonly optional: O extends '?' ? true : false;
      readonly orFalse?: boolean;
      readonly shape: PropShape<Exclude<V, false>>;
    }
  | { readonly optional: O extends '?' ? true : false; readonly values: PropShape<V[keyof V]> };

/**
 * Every key of `T` with its kind: `'string'`, `'number'`, `'boolean'`, `'array'`, `'object'`
 * (not looked into: constructs, maps of plain values), `'string|false'` / `'object|false'` for
 * an option that `false` turns off, a `?` suffix when optional, or a nested shape for plain
 * objects whose keys are checked too.
 */
export type PropShape<T> = {
  readonly [K in keyof T]-?:
    | `${Base<NonNullable<T[K]>>}${Optional<T, K>}`
    | (Base<NonNullable<T[K]>> extends 'object' | 'object|false'
        ? NestedShape<NonNullable<T[K]>, Optional<T, K>>
        : never);
};

type Spec =
  | string
  | { readonly optional: boolean; readonly orFalse?: boolean; readonly shape?: AnyShape; readonly values?: AnyShape };
type AnyShape = Readonly<Record<string, Spec>>;

/** The shape of `Partial<Omit<T, K>>`: the keys left, all optional. */
export function partialShape<T, K extends keyof T>(
  shape: PropShape<T>,
  omit: readonly K[],
): PropShape<Partial<Omit<T, K>>> {
  const out: Record<string, Spec> = {};
  for (const [key, spec] of Object.entries(shape as AnyShape)) {
    if ((omit as readonly string[]).includes(key)) continue;
    out[key] = typeof spec === 'string' ? spec.replace(/\?$/, '') + '?' : { ...spec, optional: true };
  }
  return out as unknown as PropShape<Partial<Omit<T, K>>>;
}

/** The shape of `Omit<T, K>`, optionality kept. */
export function omitShape<T, K extends keyof T>(shape: PropShape<T>, omit: readonly K[]): PropShape<Omit<T, K>> {
  const out: Record<string, Spec> = {};
  for (const [key, spec] of Object.entries(shape as AnyShape))
    if (!(omit as readonly string[]).includes(key)) out[key] = spec;
  return out as unknown as PropShape<Omit<T, K>>;
}

export interface ShapeCheckOptions {
  /** What a key is called in messages: `prop` for construct props, `key` for a config. */
  readonly noun?: string;
  /** Prefix of the paths in messages, e.g. `service.`. */
  readonly path?: string;
}

/**
 * Adds a problem for every unknown key (with the nearest known key when it is a near miss),
 * missing required key and value of the wrong kind, at any depth. Returns a copy without the
 * refused keys and values, so construction can go on with the defaults.
 */
export function checkShape<T>(
  problems: Problems,
  value: unknown,
  shape: PropShape<T>,
  options: ShapeCheckOptions = {},
): T {
  return checkObject(problems, value, shape as AnyShape, options.path ?? '', options.noun ?? 'prop') as T;
}

function checkObject(
  problems: Problems,
  value: unknown,
  shape: AnyShape,
  path: string,
  noun: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (value === undefined || value === null) return out;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.add(`${path ? path.replace(/\.$/, '') : 'the props'} is ${describe(value)}; expected an object`);
    return out;
  }
  const known = Object.keys(shape);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const spec = shape[key];
    if (spec === undefined) {
      const near = nearest(key, known);
      problems.add(
        near
          ? `unknown ${noun} ${quote(path + key)}; did you mean ${quote(path + near)}?`
          : `unknown ${noun} ${quote(path + key)}; known: ${known.join(', ')}`,
      );
      continue;
    }
    const checked = checkValue(problems, v, spec, `${path}${key}`, noun);
    // An explicit undefined is left out, so that spreading the result keeps the defaults.
    if (checked.ok && checked.value !== undefined) out[key] = checked.value;
  }
  for (const [key, spec] of Object.entries(shape)) {
    const optional = typeof spec === 'string' ? spec.endsWith('?') : spec.optional;
    // A missing construct (`'object'`) is named by the construct that needs it, in its own words.
    if (!optional && spec !== 'object' && (value as Record<string, unknown>)[key] === undefined)
      problems.add(`${noun} ${quote(path + key)} is missing`);
  }
  return out;
}

function checkValue(
  problems: Problems,
  v: unknown,
  spec: Spec,
  path: string,
  noun: string,
): { ok: boolean; value?: unknown } {
  if (v === undefined) return { ok: true, value: v };
  if (typeof spec !== 'string') {
    if (v === false && spec.orFalse) return { ok: true, value: v };
    if (!isPlainObject(v)) {
      problems.add(`${path} is ${describe(v)}; expected an object`);
      return { ok: false };
    }
    if (spec.shape) return { ok: true, value: checkObject(problems, v, spec.shape, `${path}.`, noun) };
    const map: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      if (isPlainObject(item)) map[k] = checkObject(problems, item, spec.values!, `${path}.${k}.`, noun);
      else problems.add(`${path}.${k} is ${describe(item)}; expected an object`);
    }
    return { ok: true, value: map };
  }
  const orFalse = spec.includes('|false');
  const kind = spec.replace(/\?$/, '').replace('|false', '');
  if (Token.isUnresolved(v) || (orFalse && v === false)) return { ok: true, value: v };
  const actual = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
  if (actual === kind) return { ok: true, value: v };
  // A function or class instance is an object to a prop typed with a construct.
  if (kind === 'object' && (actual === 'object' || actual === 'function')) return { ok: true, value: v };
  const hint =
    kind === 'number' && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? `, e.g. ${v} without quotes` : '';
  problems.add(
    `${path} is ${describe(v)}; expected ${{ array: 'a list', object: 'an object' }[kind] ?? `a ${kind}`}${orFalse ? ' or false' : ''}${hint}`,
  );
  return { ok: false };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `the string ${quote(v)}`;
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `the ${typeof v} ${String(v)}`;
}

/** The known key a typo most likely meant: a case-insensitive match, a small edit distance, or a unique prefix. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    if (k.toLowerCase() === key.toLowerCase()) return k;
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(key.length, best?.length ?? 0) / 4)));
  if (bestDistance <= allowed) return best;
  // A key cut short or run on (`requestTimeout` for `requestTimeoutSeconds`), when only one fits.
  const lower = key.toLowerCase();
  const prefixed = known.filter(
    (k) => lower.length >= 5 && (k.toLowerCase().startsWith(lower) || lower.startsWith(k.toLowerCase())),
  );
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Levenshtein distance with adjacent transpositions. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
