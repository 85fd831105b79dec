/**
 * What each Twenty release needs. Every construct asks this module instead of
 * hard-coding a version. Sources: shared/FACTS.md §2 and §6, and the image contract
 * (twenty-contract/contract.json) for what the image runs.
 */
import { ImageContract, IMAGE_CONTRACTS } from './contract';

export interface TwentyVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The Docker tag, e.g. `v2.45.0`. */
  readonly tag: string;
}

/** The oldest release this library deploys: the first of the oldest release line whose image contract is recorded. */
export const MIN_SUPPORTED_VERSION = IMAGE_CONTRACTS[0].releases.from;
/**
 * The newest release whose image contract is recorded (its line's patch releases share it).
 * A newer pin synthesizes with a warning.
 */
export const NEWEST_VERIFIED_VERSION = IMAGE_CONTRACTS[IMAGE_CONTRACTS.length - 1].releases.from;
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
    return `Twenty version "${tag}" is older than ${MIN_SUPPORTED_VERSION}, the oldest this library supports (the oldest release whose image contract, what its image contains and runs, was recorded from Twenty's source)`;
  }
  return undefined;
}

/** Newer than every line whose contract is recorded (patches of the newest line are not). */
export function isNewerThanVerified(v: TwentyVersion): boolean {
  return atLeast(v, IMAGE_CONTRACTS[IMAGE_CONTRACTS.length - 1].releases.below);
}

/**
 * The image contract the job for `v` is built from: its own line's when recorded, else
 * the newest older line's (`exact: false`, and the construct warns).
 */
export function contractFor(v: TwentyVersion): { contract: ImageContract; exact: boolean } {
  const older = IMAGE_CONTRACTS.filter((c) => atLeast(v, c.releases.from));
  const contract = older[older.length - 1] ?? IMAGE_CONTRACTS[0];
  return { contract, exact: atLeast(v, contract.releases.from) && !atLeast(v, contract.releases.below) };
}

/** Why a pin gets no exactly recorded contract, or undefined when it has one. */
export function contractWarning(v: TwentyVersion): string | undefined {
  const { contract, exact } = contractFor(v);
  if (exact) return undefined;
  if (isNewerThanVerified(v)) {
    return `Twenty ${v.tag} is newer than ${NEWEST_VERIFIED_VERSION}, the newest release whose image contract this library recorded; the migration job follows ${contract.line}'s contract. Read the release's upgrade guide`;
  }
  return `Twenty ${v.tag} has no recorded image contract (recorded lines: ${IMAGE_CONTRACTS.map((c) => c.line).join(', ')}); the migration job follows ${contract.line}'s contract`;
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
}

export function requirementsFor(v: TwentyVersion): TwentyRequirements {
  return {
    minPostgresMajor: atLeast(v, 'v2.34.0') ? 15 : 12,
    pgUrlScheme: atLeast(v, 'v0.50.0') ? 'postgresql' : 'postgres',
    redisTls: atLeast(v, 'v0.50.0'),
    encryptionKey: atLeast(v, 'v2.5.0'),
    s3RegionAwsShaped: !atLeast(v, 'v2.15.0'),
    cookieSessionOnlyLogin: atLeast(v, COOKIE_SESSION_ONLY_SINCE),
  };
}

/**
 * The migration job's shell script, built from the image contract of `v`'s line.
 *
 * The job runs its own script, not the image's entrypoint, to fail closed: 2.x entrypoints
 * warn and carry on when `upgrade` fails (issue #23012), and a job that exits 0 lets a new
 * revision serve a half-migrated schema. (Entrypoints before 2.x, e.g. commit d8a26a30,
 * also split the URL with awk, which cannot address `/cloudsql/P:R:I`; 2.x ones pass it whole.)
 * Every step fails the job: `set -eu`, psql with ON_ERROR_STOP, and commands that exit
 * non-zero on error (PR #20312). The database itself is created by Terraform.
 */
export interface MigrationScriptOptions {
  /**
   * The instance has pgAudit on (`auditDdl`): create the `pgaudit` extension in the database
   * before Twenty's init or upgrade, failing the job when that is refused.
   * @default false
   */
  readonly pgaudit?: boolean;
}

export function migrationScript(v: TwentyVersion, options: MigrationScriptOptions = {}): string {
  const c = contractFor(v).contract;
  const init = c.yarnScripts['database:init:prod'];
  const command = c.yarnScripts['command:prod'];
  for (const name of ['cache:flush', 'upgrade']) {
    if (!command?.commands?.[name]) throw new Error(`image contract ${c.line} lacks command:prod ${name}`);
  }
  if (!init) throw new Error(`image contract ${c.line} lacks database:init:prod`);
  const [schema, table] = c.database.markerTable.split('.');
  const psql = (sql: string) => `psql "$PG_DATABASE_URL" -X -v ON_ERROR_STOP=1 -tAc "${sql}"`;
  return [
    'set -eu',
    // Frozen text: the script hashes into run_execution_token, so editing it reruns every job.
    `# Built from the Twenty ${c.line} image contract (cdktf-twenty-gcp constructs/internal/twenty-contract).`,
    'bool() { case "$2" in t|f) ;; *) echo "twenty migrate: $1: unexpected answer \'$2\' from psql" >&2; exit 1 ;; esac; }',
    `echo "twenty migrate: checking the database (contract ${c.line})"`,
    ...(options.pgaudit ? pgauditStep(psql) : []),
    `has_schema=$(${psql(`SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = '${schema}')`)})`,
    'bool has_schema "$has_schema"',
    'has_workspace=f',
    'if [ "$has_schema" = t ]; then',
    `  has_table=$(${psql(`SELECT to_regclass('${schema}.${table}') IS NOT NULL`)})`,
    '  bool has_table "$has_table"',
    '  if [ "$has_table" = t ]; then',
    `    has_workspace=$(${psql(`SELECT EXISTS (SELECT 1 FROM ${schema}.${table})`)})`,
    '    bool has_workspace "$has_workspace"',
    '  fi',
    'fi',
    'if [ "$has_workspace" = f ]; then',
    '  if [ "$has_schema" = f ]; then',
    `    echo "twenty migrate: empty database: running Twenty's init (yarn database:init:prod)"`,
    '  else',
    `    echo "twenty migrate: no workspace yet (an unfinished init, or nobody signed up): running Twenty's init again; it skips every step already done"`,
    '  fi',
    '  yarn database:init:prod',
    'fi',
    'yarn command:prod cache:flush',
    ...upgradeStep(c),
    'yarn command:prod cache:flush',
    'echo "twenty migrate: done"',
  ].join('\n');
}

/**
 * Google's pgAudit steps are: set `cloudsql.enable_pgaudit`, run `CREATE EXTENSION pgaudit`
 * in the database, set `pgaudit.log` (cloud.google.com/sql/docs/postgres/pg-audit; not through
 * Terraform, "Use a psql client"). The flags alone log DDL without its object type and name:
 * the extension adds the event triggers that fill them in (pgaudit README, "Settings").
 * Creating extensions is a right of `cloudsqlsuperuser`, of which every user Cloud SQL creates
 * is a member. Run before the init so that Twenty's own DDL is audited in full. A second run
 * only reads `pg_extension`.
 */
function pgauditStep(psql: (sql: string) => string): string[] {
  return [
    `has_pgaudit=$(${psql(`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgaudit')`)})`,
    'bool has_pgaudit "$has_pgaudit"',
    'if [ "$has_pgaudit" = f ]; then',
    '  echo "twenty migrate: pgAudit is on (auditDdl): creating the pgaudit extension in this database"',
    `  if ! ${psql('CREATE EXTENSION IF NOT EXISTS pgaudit')}; then`,
    '    echo "twenty migrate: could not create the pgaudit extension (the psql error is above); failing before Twenty\'s init. It needs the instance flag cloudsql.enable_pgaudit=on in effect (setting it restarts the instance) and a database user in cloudsqlsuperuser (every user Cloud SQL creates is); or turn auditDdl off." >&2',
    '    exit 1',
    '  fi',
    'fi',
  ];
}

/**
 * `yarn command:prod upgrade`, failing the job when the command exits non-zero and also when
 * it reports workspaces it could not upgrade: it logs those and exits 0 (the contract's
 * `upgradeWorkspaceFailures`), which would let a new revision serve workspaces left at the
 * old version. Shell builtins only (the image's programs are the contract's); every log line
 * still reaches the job's log as it comes.
 */
function upgradeStep(c: ImageContract): string[] {
  const w = c.upgradeWorkspaceFailures;
  if (!w) return ['yarn command:prod upgrade'];
  if (/['"\\$`]/.test(w.match))
    throw new Error(`image contract ${c.line}: upgradeWorkspaceFailures.match must be plain text`);
  return [
    'exec 3>&1',
    'upgrade=$( { if yarn command:prod upgrade 2>&1; then echo "twenty-migrate-exit 0"; else echo "twenty-migrate-exit $?"; fi; } | {',
    '  rc=1; failed=0',
    '  while IFS= read -r line; do',
    '    case "$line" in',
    // The marker follows the command's last line, which may lack its newline.
    '      *"twenty-migrate-exit "*) rc=${line##*twenty-migrate-exit }; pre=${line%twenty-migrate-exit *}; if [ -n "$pre" ]; then printf \'%s\\n\' "$pre" >&3; fi ;;',
    `      *"${w.match}"*) failed=1; printf '%s\\n' "$line" >&3 ;;`,
    `      *) printf '%s\\n' "$line" >&3 ;;`,
    '    esac',
    '  done',
    '  echo "$rc $failed"',
    '} )',
    'set -- $upgrade',
    'if [ "$1" != 0 ]; then echo "twenty migrate: upgrade failed (exit $1)" >&2; exit "$1"; fi',
    `if [ "$2" != 0 ]; then echo "twenty migrate: upgrade left workspaces not upgraded (it logged \\"${w.match.trim()}\\" and exits 0); failing so that no new revision serves them" >&2; exit 1; fi`,
  ];
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
