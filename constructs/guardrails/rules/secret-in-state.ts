import { entriesOf } from '../../core/json';
import { GuardrailRule } from '../rule';

/** Data sources that copy a secret's value into state. */
const SECRET_READING_DATA = [
  'google_secret_manager_secret_version',
  'google_secret_manager_secret_version_access',
  'google_secret_manager_regional_secret_version',
  'google_secret_manager_regional_secret_version_access',
];

/**
 * Managed resources that compute a secret and keep it in state (the attribute named).
 * hashicorp/google 6.50.0: storage `resource_storage_hmac_key.go` (`secret`, Sensitive, Computed),
 * resourcemanager `resource_google_service_account_key.go` (`private_key`); hashicorp/random
 * `random_password` (`result`); hashicorp/tls `tls_private_key` (`private_key_pem`).
 */
export const SECRET_COMPUTING_TYPES: Readonly<Record<string, string>> = {
  google_storage_hmac_key: 'secret',
  google_service_account_key: 'private_key',
  random_password: 'result',
  tls_private_key: 'private_key_pem',
};

export const SECRET_IN_STATE: GuardrailRule = {
  id: 'SECRET-IN-STATE',
  rationale:
    'Terraform keeps arguments, and secrets a resource computes, in plain text in state and plans; write-only `*_wo` arguments are never stored',
  severity: 'error',
  outsideProduction: 'error',
  check({ kind, type, config, construct }) {
    const computed = kind === 'resource' ? SECRET_COMPUTING_TYPES[type] : undefined;
    if (computed) {
      const instead =
        type === 'random_password'
          ? 'use an ephemeral random_password and write it with a *_wo argument'
          : 'avoid it, or keep the state bucket as closely guarded as the secret';
      return [`${type} computes a secret (${computed}) that Terraform keeps in state in plain text; ${instead}`];
    }
    if (kind === 'data') {
      return SECRET_READING_DATA.includes(type)
        ? [
            `the data source ${type} copies the secret's value into state; let Cloud Run read it (secret_key_ref) or use an ephemeral resource`,
          ]
        : [];
    }
    const problems: string[] = [];
    const holders = new Map<string, unknown>();
    if (!construct) return problems; // no binding to ask for write-only twins
    for (const [path, value] of entriesOf(config)) {
      if (path.length === 0 || value === undefined || value === null || typeof path[path.length - 1] !== 'string')
        continue;
      if (hasWriteOnlyTwin(construct, path, holders)) {
        const key = path.join('.');
        problems.push(
          `${key} is stored in state and shown in plans; write it with ${path[path.length - 1]}_wo and ${path[path.length - 1]}_wo_version instead`,
        );
      }
    }
    return problems;
  },
};

/**
 * Whether the provider binding offers `<key>_wo` next to the attribute at `path` (found through
 * its `*WoInput` getters). Every getter on the way builds new token objects, each recording a
 * stack trace, so walking from the root for every leaf cost ~95 ms per environment. The answer
 * depends only on the binding class and the path's shape (every item of a list has the same
 * class), so it is kept per class, and the holders of one resource are walked once per prefix.
 */
function hasWriteOnlyTwin(construct: object, path: (string | number)[], holders: Map<string, unknown>): boolean {
  const key = path[path.length - 1] as string;
  if (key.endsWith('_wo') || key.endsWith('_wo_version')) return false;
  const shape = path.slice(0, -1).map((step) => (typeof step === 'number' ? 0 : step));
  const id = `${shape.join('.')}:${key}`;
  let known = TWINS.get(construct.constructor);
  if (!known) TWINS.set(construct.constructor, (known = new Map()));
  let twin = known.get(id);
  if (twin === undefined) {
    const holder = holderAt(construct, shape, holders);
    twin = holder !== null && typeof holder === 'object' && `${camel(key)}WoInput` in holder;
    known.set(id, twin);
  }
  return twin;
}

/** Binding class -> `path shape:key` -> whether a write-only twin exists. */
const TWINS = new WeakMap<object, Map<string, boolean>>();

/** The binding object at `shape` below `construct`, or undefined; memoized per prefix in `holders`. */
function holderAt(construct: object, shape: (string | number)[], holders: Map<string, unknown>): unknown {
  if (shape.length === 0) return construct;
  const id = shape.join('.');
  if (holders.has(id)) return holders.get(id);
  const parent = holderAt(construct, shape.slice(0, -1), holders);
  const step = shape[shape.length - 1];
  let holder: unknown;
  try {
    if (parent === null || parent === undefined) holder = undefined;
    else if (typeof step === 'number') {
      const list = parent as { get?: (i: number) => unknown };
      holder = typeof list.get === 'function' ? list.get(step) : undefined;
    } else holder = (parent as Record<string, unknown>)[camel(step)];
  } catch {
    holder = undefined;
  }
  holders.set(id, holder);
  return holder;
}

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
