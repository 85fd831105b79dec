/** Helpers over synthesized Terraform JSON, shared by the review diff and the guardrails. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A Terraform expression (`${...}`): its value is known only at plan time. */
export function isExpression(v: unknown): boolean {
  return typeof v === 'string' && v.includes('${');
}

/** The value at a dotted path; a single-element list on the way is read as its element. */
export function getPath(node: Json, path: string): Json {
  let cur = node;
  for (const key of path.split('.')) {
    if (Array.isArray(cur) && cur.length === 1) cur = cur[0];
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** A copy without cdktf's `//` metadata, at every depth. */
export function stripMetadata(node: Json): Json {
  if (Array.isArray(node)) return node.map(stripMetadata);
  if (!isObject(node)) return node;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) if (k !== '//') out[k] = stripMetadata(v);
  return out;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
}

/** Every [path, value] at and below `node`; `path` is the list of keys and indexes from the root. */
export function* walkJson(node: Json, path: (string | number)[] = []): Generator<[(string | number)[], Json]> {
  yield [path, node];
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* walkJson(node[i], [...path, i]);
  } else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) yield* walkJson(v, [...path, k]);
  }
}

/** A value for a message: JSON, or `unset`. */
export function shown(value: Json): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

/** Where a stack's guardrail suppressions are recorded in `cdk.tf.json` (Terraform ignores `//` keys); the review reads them. */
export const SUPPRESSIONS_KEY = 'cdktf-twenty-gcp/guardrails';

const ENTRIES = new WeakMap<object, [(string | number)[], Json][]>();

/**
 * The same pairs as `walkJson`, as one array computed once per object: every guardrail rule
 * walks every resource, and the generator's copies of each path were most of their cost.
 */
export function entriesOf(node: Json): readonly [(string | number)[], Json][] {
  if (node === null || typeof node !== 'object') return [[[], node]];
  let list = ENTRIES.get(node);
  if (!list) {
    list = [];
    const visit = (v: Json, path: (string | number)[]) => {
      list!.push([path, v]);
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) visit(v[i], [...path, i]);
      else if (isObject(v)) for (const k of Object.keys(v)) visit(v[k], [...path, k]);
    };
    visit(node, []);
    ENTRIES.set(node, list);
  }
  return list;
}
