/**
 * What makes a change to synthesized Terraform dangerous: the resource types that hold data,
 * the attributes whose change makes Terraform replace them, and the switches that guard
 * against deletion (hashicorp/google 6.50.0 schemas).
 */
import { getPath, isExpression, Json, shown, walkJson } from '../internal/json';

/** Resource types whose destruction loses data or keys that cannot be recreated. */
export const STATEFUL_TYPES: readonly string[] = [
  'google_sql_database_instance',
  'google_sql_database',
  'google_sql_user',
  'google_secret_manager_secret',
  'google_secret_manager_secret_version',
  'google_secret_manager_regional_secret',
  'google_secret_manager_regional_secret_version',
  'google_storage_bucket',
  'google_storage_hmac_key',
  'google_alloydb_cluster',
  'google_bigquery_dataset',
  'google_bigquery_table',
  'google_compute_disk',
  'google_filestore_instance',
  'google_firestore_database',
  'google_kms_crypto_key',
  'google_redis_instance',
  'google_spanner_database',
];

/** Attributes (dotted path or prefix) whose change forces replacement, per stateful type. */
export const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = {
  google_sql_database_instance: ['name', 'region', 'project', 'master_instance_name', 'encryption_key_name'],
  google_sql_database: ['name', 'instance', 'project'],
  google_sql_user: ['name', 'instance', 'project', 'host', 'type'],
  google_secret_manager_secret: ['secret_id', 'project', 'replication'],
  google_secret_manager_secret_version: ['secret'],
  google_secret_manager_regional_secret: ['secret_id', 'project', 'location'],
  google_secret_manager_regional_secret_version: ['secret'],
  google_storage_bucket: ['name', 'location', 'project'],
  google_storage_hmac_key: ['service_account_email', 'project'],
};
/** For stateful types not listed above: their identity. */
const GENERIC_FORCING = ['name', 'project', 'region', 'location'];

/** The attribute that names a stateful resource; equal names at two addresses mean a rename. */
const IDENTITY: Readonly<Record<string, string>> = {
  google_secret_manager_secret: 'secret_id',
  google_secret_manager_regional_secret: 'secret_id',
  google_storage_hmac_key: 'service_account_email',
  google_secret_manager_secret_version: '',
  google_secret_manager_regional_secret_version: '',
};

/** Types whose `deletion_protection` is true when unset. */
const PROTECTED_BY_DEFAULT = [
  'google_sql_database_instance',
  'google_cloud_run_v2_service',
  'google_cloud_run_v2_job',
  'google_cloud_run_v2_worker_pool',
  'google_bigquery_table',
  'google_container_cluster',
];

export function isStateful(type: string): boolean {
  return STATEFUL_TYPES.includes(type);
}

/** The identity attribute of a stateful type ('' when only the whole config identifies it). */
export function identityOf(type: string): string {
  return IDENTITY[type] ?? 'name';
}

/** The replacement-forcing attribute that `path` (dotted, `[...]` for list items) is in, if any. */
export function forcingAttribute(type: string, path: string): string | undefined {
  const attrs = FORCES_REPLACEMENT[type] ?? GENERIC_FORCING;
  return attrs.find((a) => path === a || path.startsWith(`${a}.`) || path.startsWith(`${a}[`));
}

/** `database_version` moving to another engine or an older major version (never in place). */
export function databaseVersionProblem(from: Json, to: Json): string | undefined {
  if (from === to || typeof from !== 'string' || typeof to !== 'string') return undefined;
  const parse = (v: string) => /^([A-Z]+)_(\d+)(?:_(\d+))?/.exec(v);
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return `database_version changes from ${JSON.stringify(from)} to ${JSON.stringify(to)}, which cannot be checked as an upgrade`;
  if (a[1] !== b[1]) return `database_version changes engine from ${from} to ${to}: Cloud SQL cannot do that in place`;
  const older = Number(b[2]) < Number(a[2]) || (b[2] === a[2] && Number(b[3] ?? 0) < Number(a[3] ?? 0));
  return older ? `database_version goes down from ${from} to ${to}: Cloud SQL only upgrades in place, a downgrade recreates the instance` : undefined;
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
    const defaultTrue = path === 'deletion_protection' && PROTECTED_BY_DEFAULT.includes(type);
    const wasOn = old === true || (old === undefined && defaultTrue);
    const isOn = now === true || (now === undefined && defaultTrue) || isExpression(now);
    if (wasOn && !isOn) found.push(`\`${path}\` turned off (${shown(old)} → ${shown(now)})`);
  }
  const pairs: [string, (v: Json) => boolean][] = [
    ['lifecycle.prevent_destroy', (v) => v === true],
    ['force_destroy', (v) => v !== true],
    ['deletion_policy', (v) => v === 'ABANDON'],
  ];
  for (const [path, guarded] of pairs) {
    const old = getPath(from, path);
    const now = getPath(to, path);
    if (guarded(old) && !guarded(now) && !isExpression(now)) found.push(`\`${path}\` no longer guards deletion (${shown(old)} → ${shown(now)})`);
  }
  return found;
}
