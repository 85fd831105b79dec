/**
 * What each Twenty release needs. Every construct asks this module instead of
 * hard-coding a version. Sources: shared/FACTS.md §2 and §6.
 */

export interface TwentyVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The Docker tag, e.g. `v2.45.0`. */
  readonly tag: string;
}

/** The oldest release this library deploys: its entrypoint runs `upgrade` and it accepts `rediss://`. */
export const MIN_SUPPORTED_VERSION = 'v0.51.0';
/** The newest release whose rules were checked against its source. */
export const NEWEST_VERIFIED_VERSION = 'v2.46.0';
/**
 * First release whose browser login rides only on the httpOnly session cookie (PR #24257;
 * possibly v2.33.0, treated as v2.32.0). Proxies that drop cookies break login from here on.
 */
export const COOKIE_SESSION_ONLY_SINCE = 'v2.32.0';

const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseTwentyVersion(tag: string): TwentyVersion | undefined {
  const m = TAG.exec(tag);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), tag };
}

export function compareVersions(a: TwentyVersion, b: TwentyVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

function atLeast(v: TwentyVersion, tag: string): boolean {
  return compareVersions(v, parseTwentyVersion(tag)!) >= 0;
}

/** Returns why `tag` cannot be deployed, or undefined when it can. */
export function checkTwentyVersion(tag: string): string | undefined {
  if (tag === '' || tag === 'latest' || tag === 'main') {
    return `Twenty version "${tag}" is not pinned; use a release tag such as "v2.45.0" so that a deploy is repeatable`;
  }
  const v = parseTwentyVersion(tag);
  if (!v) return `Twenty version "${tag}" is not a release tag; expected "vMAJOR.MINOR.PATCH", e.g. "v2.45.0"`;
  if (!atLeast(v, MIN_SUPPORTED_VERSION)) {
    return `Twenty version "${tag}" is older than ${MIN_SUPPORTED_VERSION}, the oldest this library supports (it needs rediss:// for Upstash and the upgrade command)`;
  }
  return undefined;
}

export function isNewerThanVerified(v: TwentyVersion): boolean {
  return compareVersions(v, parseTwentyVersion(NEWEST_VERIFIED_VERSION)!) > 0;
}

export interface TwentyRequirements {
  /** Oldest PostgreSQL major version the release runs on. */
  readonly minPostgresMajor: number;
  /** URL scheme `PG_DATABASE_URL` must use. */
  readonly pgUrlScheme: 'postgres' | 'postgresql';
  /** Whether `REDIS_URL` may be `rediss://` (TLS). */
  readonly redisTls: boolean;
  /** Whether `ENCRYPTION_KEY` exists (else `APP_SECRET` is the encryption key). */
  readonly encryptionKey: boolean;
  /** Whether `STORAGE_S3_REGION` must look like an AWS region (`us-east-1`). */
  readonly s3RegionAwsShaped: boolean;
  /** Whether browser login depends on the httpOnly session cookie only. */
  readonly cookieSessionOnlyLogin: boolean;
  /** Whether the entrypoint flushes the cache around `upgrade`. */
  readonly cacheFlushAroundUpgrade: boolean;
}

export function requirementsFor(v: TwentyVersion): TwentyRequirements {
  return {
    minPostgresMajor: atLeast(v, 'v2.34.0') ? 15 : 12,
    pgUrlScheme: atLeast(v, 'v0.50.0') ? 'postgresql' : 'postgres',
    redisTls: atLeast(v, 'v0.50.0'),
    encryptionKey: atLeast(v, 'v2.5.0'),
    s3RegionAwsShaped: !atLeast(v, 'v2.15.0'),
    cookieSessionOnlyLogin: atLeast(v, COOKIE_SESSION_ONLY_SINCE),
    cacheFlushAroundUpgrade: atLeast(v, 'v2.0.0'),
  };
}

/**
 * The migration job's shell script.
 *
 * The image's own entrypoint cannot be used: it splits `PG_DATABASE_URL` with
 * `awk -F ':'` and calls `psql -h HOST -p PORT`, which cannot express a socket
 * directory that itself contains colons (`/cloudsql/P:R:I`). This script runs the
 * same steps, but hands the whole URL to `psql`, which understands `?host=`.
 * The database itself is created by Terraform.
 */
export function migrationScript(v: TwentyVersion): string {
  const flush = requirementsFor(v).cacheFlushAroundUpgrade
    ? ['yarn command:prod cache:flush || echo "warning: cache flush failed, continuing"']
    : [];
  return [
    'set -eu',
    'echo "twenty migrate: checking schema"',
    'has_schema=$(psql "$PG_DATABASE_URL" -v ON_ERROR_STOP=1 -tAc "SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = \'core\')")',
    'if [ "$has_schema" = "f" ]; then',
    '  echo "twenty migrate: empty database, creating schema"',
    '  NODE_OPTIONS="--max-old-space-size=1500" tsx ./scripts/setup-db.ts',
    '  yarn database:migrate:prod',
    'fi',
    ...flush,
    'yarn command:prod upgrade',
    ...flush,
    'yarn command:prod cron:register:all || echo "warning: cron registration failed, continuing"',
    'echo "twenty migrate: done"',
  ].join('\n');
}

/**
 * `STORAGE_S3_REGION` for a Cloud Storage bucket: the bucket's region where Twenty accepts
 * it; `us-east-1` (the AWS SDK default, commonly sent to storage.googleapis.com) for
 * releases whose validator demands an AWS-shaped region. The latter is not verified here
 * against Cloud Storage; see README "Files".
 */
export function s3RegionFor(v: TwentyVersion, bucketRegion: string): string {
  return requirementsFor(v).s3RegionAwsShaped ? 'us-east-1' : bucketRegion;
}
