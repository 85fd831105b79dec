import { TerraformProviderGeneratorMetadata } from 'cdktf';
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
    const prebuilt = prebuiltTwins(construct.terraformGeneratorMetadata);
    for (const [path, value] of entriesOf(config)) {
      if (path.length === 0 || value === undefined || value === null || typeof path[path.length - 1] !== 'string')
        continue;
      if (hasWriteOnlyTwin(construct, path, holders, prebuilt)) {
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
function hasWriteOnlyTwin(
  construct: object,
  path: (string | number)[],
  holders: Map<string, unknown>,
  prebuilt: ReadonlySet<string> | undefined,
): boolean {
  const key = path[path.length - 1] as string;
  if (key.endsWith('_wo') || key.endsWith('_wo_version')) return false;
  // Below the root (where the check runs no getter) every holder is built by the binding's
  // getters, except under meta-arguments (lifecycle, connection: objects the user passed in).
  if (prebuilt && path.length > 1 && !META_ARGUMENTS.has(path[0] as string) && !prebuilt.has(camel(key))) return false;
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

/**
 * Per prebuilt binding package (provider name in `terraformGeneratorMetadata`, the release it was
 * generated from), the Terraform arguments that have a write-only twin `<name>_wo` anywhere in
 * it: one per `*WoInput` getter in its `lib/<type>/index.js` (@cdktf/provider-google and
 * provider-google-beta 16.12.1, @cdktf/provider-time 11.0.1). Walking the getters for every
 * nested leaf cost 7-12 ms of the ~25 ms all rules take per synth of the example app (issue
 * 13); in these bindings a nested leaf whose name is not listed has no twin, so no walk.
 * `__tests__/guardrails/write-only-twins.test.ts` derives the lists from the packages.
 */
export const PREBUILT_WRITE_ONLY: Readonly<Record<string, { version: string; arguments: readonly string[] }>> = {
  google: { version: '6.50.0', arguments: ['password', 'secret_access_key', 'secret_data'] },
  'google-beta': { version: '6.50.0', arguments: ['password', 'secret_access_key', 'secret_data'] },
  time: { version: '0.13.1', arguments: [] },
};

/** Per provider name: its release in PREBUILT_WRITE_ONLY and the `WoInput` getter prefixes there. */
const PREBUILT_TWINS = new Map(
  Object.entries(PREBUILT_WRITE_ONLY).map(([name, p]) => [
    name,
    { version: p.version, twins: new Set(p.arguments.map(camel)) },
  ]),
);

/** The `WoInput` getter prefixes of a binding listed in PREBUILT_WRITE_ONLY, else undefined (walk the getters). */
function prebuiltTwins(metadata: TerraformProviderGeneratorMetadata | undefined): ReadonlySet<string> | undefined {
  const known = metadata && PREBUILT_TWINS.get(metadata.providerName);
  return known && known.version === metadata.providerVersion ? known.twins : undefined;
}

const META_ARGUMENTS = new Set([
  'depends_on',
  'count',
  'for_each',
  'provider',
  'lifecycle',
  'provisioner',
  'connection',
]);

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

/** cdktf's property name for a Terraform name, as the rule asks a binding for it. */
export function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
