/**
 * Twenty's env vars as the backend sets them: one declarative table, in the order the
 * containers get them. `OWNED_ENV_VARS` (names the escape hatch may not shadow) is derived from
 * it, and a test ties the table to the synthesized env of each process. Adding a variable is one
 * row here (FACTS.md §2 for what each means).
 */
import { GCS_S3_ENDPOINT, TWENTY_PORT } from '../twenty/catalogue';
import { AWS_SDK_CHECKSUM_ENV } from './file-storage';

/** The three ways the image runs. */
export type TwentyProcess = 'server' | 'worker' | 'job';

/** A Secret Manager version an env var reads. */
export interface EnvSecretSource {
  /** `projects/P/secrets/ID`. */
  readonly secretName: string;
  readonly version: string;
}

/** What the plain values are made from, once the backend's parts exist. */
export interface EnvContext {
  readonly serverUrl: string;
  readonly poolSize: number;
  readonly bucketName: string;
  readonly s3Region: string;
  readonly s3AccessKeyId: string;
  readonly migrationQueryTimeoutSeconds: number;
}

interface PlainRow {
  readonly name: string;
  readonly value: (c: EnvContext) => string;
  /** Only these processes get it. @default every process */
  readonly only?: readonly TwentyProcess[];
}
interface SecretRow {
  readonly name: string;
  /** Read from Secret Manager; left out when the backend has no such secret (ENCRYPTION_KEY before v2.5.0). */
  readonly secret: true;
}
/** Where the user's `extraSecrets` and `extraEnv` go. */
interface ExtraRow {
  readonly extra: 'secrets' | 'env';
}
export type EnvRow = PlainRow | SecretRow | ExtraRow;

const EVERY: readonly TwentyProcess[] = ['server', 'worker', 'job'];

export const TWENTY_ENV: readonly EnvRow[] = [
  { name: 'NODE_PORT', value: () => String(TWENTY_PORT) },
  { name: 'SERVER_URL', value: (c) => c.serverUrl },
  { name: 'PG_DATABASE_URL', secret: true },
  { name: 'REDIS_URL', secret: true },
  { name: 'APP_SECRET', secret: true },
  { name: 'ENCRYPTION_KEY', secret: true },
  { extra: 'secrets' },
  { name: 'PG_POOL_MAX_CONNECTIONS', value: (c) => String(c.poolSize) },
  // Uploads on the container's disk vanish with the instance (field notes row 15).
  { name: 'STORAGE_TYPE', value: () => 's3' },
  { name: 'STORAGE_S3_ENDPOINT', value: () => GCS_S3_ENDPOINT },
  { name: 'STORAGE_S3_NAME', value: (c) => c.bucketName },
  { name: 'STORAGE_S3_REGION', value: (c) => c.s3Region },
  { name: 'STORAGE_S3_ACCESS_KEY_ID', value: (c) => c.s3AccessKeyId },
  // Cloud Storage is not S3: no aws-chunked bodies or optional checksums (README "Files").
  ...Object.entries(AWS_SDK_CHECKSUM_ENV).map(([name, value]) => ({ name, value: () => value })),
  { name: 'STORAGE_S3_SECRET_ACCESS_KEY', secret: true },
  { extra: 'env' },
  // Migrations are the job's work; every server cold start would otherwise run them.
  { name: 'DISABLE_DB_MIGRATIONS', value: () => 'true', only: ['server', 'worker'] },
  // The worker's entrypoint registers the cron schedules at every start, so a flushed or new
  // Redis heals at the next worker start. Registering is idempotent across instances
  // (BullMQ job schedulers keyed by job name; see the image contract's `crons`).
  { name: 'DISABLE_CRON_JOBS_REGISTRATION', value: () => 'true', only: ['server'] },
  // Only the job may run a query for hours; the server and worker keep Twenty's default.
  {
    name: 'PG_DATABASE_PRIMARY_TIMEOUT_MS',
    value: (c) => String(c.migrationQueryTimeoutSeconds * 1000),
    only: ['job'],
  },
];

/** Env vars the constructs set themselves; the escape hatch may not shadow them. */
export const OWNED_ENV_VARS: readonly string[] = TWENTY_ENV.flatMap((r) => ('name' in r ? [r.name] : []));

/** One container env entry, in the provider's shape. */
export interface EnvEntry {
  readonly name: string;
  readonly value?: string;
  readonly valueSource?: { readonly secretKeyRef: { readonly secret: string; readonly version: string } };
}

/** The env of one process, built from the table. */
export function envFor(
  process: TwentyProcess,
  context: EnvContext,
  secrets: Readonly<Record<string, EnvSecretSource | undefined>>,
  extra: { readonly secrets: readonly [string, EnvSecretSource][]; readonly env: readonly [string, string][] },
): EnvEntry[] {
  const secretEntry = (name: string, s: EnvSecretSource): EnvEntry => ({
    name,
    valueSource: { secretKeyRef: { secret: s.secretName, version: s.version } },
  });
  return TWENTY_ENV.flatMap((row): EnvEntry[] => {
    if ('extra' in row) {
      return row.extra === 'secrets'
        ? extra.secrets.map(([n, s]) => secretEntry(n, s))
        : extra.env.map(([name, value]) => ({ name, value }));
    }
    if ('secret' in row) {
      const s = secrets[row.name];
      return s ? [secretEntry(row.name, s)] : [];
    }
    return (row.only ?? EVERY).includes(process) ? [{ name: row.name, value: row.value(context) }] : [];
  });
}
