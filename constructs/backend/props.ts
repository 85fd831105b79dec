import type { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import type { CloudSqlSocketDatabase } from '../database/cloud-sql-socket-database';
import type { UpstashRedisConfig } from '../redis/upstash-redis-config';

/** Roles the service account holds on the project besides `roles/cloudsql.client`. */
export const TWENTY_PROJECT_ROLES = ['roles/logging.logWriter', 'roles/cloudtrace.agent'] as const;
/** The construct id of each project role's grant (Terraform addresses: never change one). */
export const PROJECT_ROLE_GRANT_IDS: Readonly<Record<(typeof TWENTY_PROJECT_ROLES)[number], string>> = {
  'roles/logging.logWriter': 'LogWriter',
  'roles/cloudtrace.agent': 'TraceAgent',
};
/** Twenty's image on Docker Hub. */
export const DOCKER_HUB_IMAGE = 'twentycrm/twenty';
export const DEFAULT_IMAGE_REPOSITORY = `docker.io/${DOCKER_HUB_IMAGE}`;
/**
 * IAM changes "typically propagate in 2 minutes, but could potentially take 7 minutes or longer"
 * (https://cloud.google.com/iam/docs/access-change-propagation; docs/first-apply.md).
 */
export const DEFAULT_IAM_PROPAGATION_SECONDS = 120;
/** Secret Manager's delayed destruction of key versions: a destroyed key can be re-enabled for 7 days. */
export const DEFAULT_KEY_VERSION_DESTROY_TTL = '604800s';
/** Default migration job timeout: hours, since heavy upgrades rebuild indexes on every row. */
export const DEFAULT_MIGRATION_TIMEOUT_SECONDS = 4 * 3600;

/** A secret, by id, that an extra env var reads. */
export interface TwentySecretRef {
  /** Secret Manager secret id (not the full name) in the service's project. */
  readonly secretId: string;
  /**
   * Version to read: `latest`, a version number or a version alias.
   * @default 'latest'
   */
  readonly version?: string;
}

export interface TwentyBackendServiceProps {
  /** Cloud Run service name; the migration job is `<serviceName>-migrate`. */
  readonly serviceName: string;
  /** Twenty release to run, e.g. `v2.45.0`. `latest` is refused. */
  readonly twentyVersion: string;
  /** The public URL users open (https). Twenty builds links, OAuth callbacks and cookie origins from it. */
  readonly serverUrl: string;
  /** The database; its socket, `PG_DATABASE_URL` secret and client role are wired in. */
  readonly database: CloudSqlSocketDatabase;
  /** `REDIS_URL`. */
  readonly redis: UpstashRedisConfig;
  /**
   * Project id.
   * @default the stack's `google` provider project
   */
  readonly project?: string;
  /**
   * Region of the service and job; must equal the environment's and the database's.
   * @default the stack's `google` provider region
   */
  readonly region?: string;
  /**
   * Image repository, without tag or digest. Giving one turns `imageMirror` off.
   * @default `twentycrm/twenty` through the Docker Hub mirror (`<region>-docker.pkg.dev/<project>/<imageMirrorRepositoryId>/twentycrm/twenty`), or 'docker.io/twentycrm/twenty' with `imageMirror: false`
   */
  readonly imageRepository?: string;
  /**
   * Pull the image through an Artifact Registry remote repository of Docker Hub in the
   * service's region (`DockerHubMirror`): deploys keep working when Docker Hub is down,
   * rate-limited, or a tag disappears after it was cached.
   * @default true, unless `imageRepository` is given
   */
  readonly imageMirror?: boolean;
  /**
   * Repository id of the Docker Hub mirror.
   * @default `${serviceName}-dockerhub`
   */
  readonly imageMirrorRepositoryId?: string;
  /**
   * Pin the image by digest as well as tag (`sha256:...`).
   * @default tag only
   */
  readonly imageDigest?: string;
  /**
   * CPU limit per instance.
   * @default '2'
   */
  readonly cpu?: string;
  /**
   * Memory limit per instance.
   * @default '2Gi'
   */
  readonly memory?: string;
  /**
   * Minimum instances (1+ avoids cold starts).
   * @default 0
   */
  readonly minInstances?: number;
  /**
   * Maximum instances; each may hold `dbPoolSize` connections in each of its pools, which
   * must fit the database's `max_connections` (checked at synth).
   * @default 5
   */
  readonly maxInstances?: number;
  /**
   * Concurrent requests per instance.
   * @default 80
   */
  readonly concurrency?: number;
  /**
   * Request timeout in seconds (1-3600).
   * @default 600
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * Migration job timeout in seconds, 60 to 86400 (Cloud Run allows a job task up to 168 h
   * today, 24 h when long jobs went GA; this library stays at the 24 h it was checked with). Heavy
   * upgrades rebuild indexes and backfill columns on every row, which takes hours on a big
   * database; a job killed part-way leaves the revision unserved and the upgrade to resume.
   * @default 14400 (4 hours)
   */
  readonly migrationTimeoutSeconds?: number;
  /**
   * Longest single database query of the migration job, in seconds
   * (`PG_DATABASE_PRIMARY_TIMEOUT_MS`, set in the job's env only; the server and worker
   * keep Twenty's default of 10 s). Twenty's default aborts heavy DDL on large tables
   * (issues #22760, #23012).
   * @default migrationTimeoutSeconds
   */
  readonly migrationQueryTimeoutSeconds?: number;
  /**
   * Account id of the dedicated service account (6-30 characters).
   * @default `${serviceName}-run`
   */
  readonly serviceAccountId?: string;
  /**
   * Terraform deletion protection on the service and worker, and `prevent_destroy` on the
   * generated keys (losing `ENCRYPTION_KEY` makes stored credentials unreadable). The
   * migration job holds no data and is never protected, so that a failed run can be replaced.
   * `false` also sets `force_destroy` on the uploads bucket: a destroy then deletes every upload.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * How long a destroyed version of `APP_SECRET` or `ENCRYPTION_KEY` stays disabled, and can
   * be re-enabled, before Secret Manager destroys it (`version_destroy_ttl`). `false`: at once.
   * @default '604800s' (7 days)
   */
  readonly keyVersionDestroyTtl?: string | false;
  /**
   * Extra plain env vars (non-secret settings). Names the construct owns and secret-looking
   * names are refused.
   * @default none
   */
  readonly extraEnv?: Record<string, string>;
  /**
   * Extra env vars read from existing Secret Manager secrets (SMTP password, OAuth secrets...).
   * Access is granted on each secret.
   * @default none
   */
  readonly extraSecrets?: Record<string, TwentySecretRef>;
  /**
   * Id prefix of the generated key secrets (`-app-secret`, `-encryption-key`).
   * @default serviceName
   */
  readonly secretPrefix?: string;
  /**
   * The `google-beta` provider for the migration job (`run_execution_token` is beta in 6.50).
   * @default the stack's default google-beta provider
   */
  readonly betaProvider?: GoogleBetaProvider;
  /**
   * Who may reach the service: `all`, or only internal traffic and Google load balancers
   * (set by a load balancer front door).
   * @default 'all'
   */
  readonly ingress?: 'all' | 'internal-and-load-balancer';
  /**
   * Labels on the service, job and secrets.
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * Instances of the worker (`yarn worker:prod`): emails, workflows, webhooks, calendar and
   * mail sync, cron jobs. A worker pool never scales to zero.
   * @default 1
   */
  readonly workerInstances?: number;
  /**
   * CPU and memory of each worker instance.
   * @default { cpu: '1', memory: '2Gi' }
   */
  readonly workerResources?: { readonly cpu: string; readonly memory: string };
  /**
   * Run without a worker. Nothing queued (emails, workflows, webhooks, sync) will ever run;
   * only for throw-away environments.
   * @default false
   */
  readonly disableWorker?: boolean;
  /**
   * `PG_POOL_MAX_CONNECTIONS` of every Twenty process (server, worker, job). Each process
   * opens several pools of this size (README "Connection budget"); all of them at full scale
   * must fit the database's `max_connections` (checked at synth).
   * @default 10, or the largest size that fits the database when 10 does not (at least 2)
   */
  readonly dbPoolSize?: number;
  /**
   * Seconds the first apply waits after the service account and its grants exist before the
   * job, service and worker are created (IAM is eventually consistent; Google's own samples
   * wait 120 s). Only on create, and again when a grant is added or replaced. 0 turns it off.
   * @default 120
   */
  readonly iamPropagationSeconds?: number;
  /**
   * Name of the Cloud Storage bucket for uploaded files (globally unique).
   * @default `${project}-${serviceName}-files`
   */
  readonly filesBucketName?: string;
  /**
   * Days a replaced or deleted file version is kept before deletion.
   * @default 30
   */
  readonly noncurrentFileRetentionDays?: number;
  /**
   * Accept Terraform state on this machine (no backend, or a `LocalBackend`). That state holds
   * the files bucket's HMAC secret, so without this a stack with local state is refused.
   * @default false
   */
  readonly allowLocalState?: boolean;
}
