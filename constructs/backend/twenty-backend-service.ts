import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2WorkerPool } from '@cdktf/provider-google/lib/cloud-run-v2-worker-pool';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { GoogleCloudRunV2Job } from '@cdktf/provider-google-beta/lib/google-cloud-run-v2-job';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Annotations, ITerraformDependable, LocalBackend, TerraformBackend, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import { CloudSqlSocketDatabase } from '../database/cloud-sql-socket-database';
import { connectionBudgetProblems, defaultPoolSize } from './connection-budget';
import { DockerHubMirror } from './image-mirror';
import { EphemeralPassword } from '../gcp/ephemeral';
import { checkRegion, checkSameRegion } from '../gcp/regions';
import { findGoogleBetaProvider, findOrAddTimeProvider, providerDefaults } from '../gcp/providers';
import { AWS_SDK_CHECKSUM_ENV, TwentyFileStorage } from './file-storage';
import {
  DEFAULT_PG_POOL_SIZE,
  ENV_NAME,
  GCS_S3_ENDPOINT,
  HEALTH_PATH,
  looksSecret,
  OWNED_ENV_VARS,
  REFUSED_ENV_VARS,
  TWENTY_PORT,
  URL_WITH_CREDENTIALS,
  WORKER_ARGS,
} from '../twenty/catalogue';
import {
  checkTwentyVersion,
  contractWarning,
  NEWEST_VERIFIED_VERSION,
  migrationScript,
  parseTwentyVersion,
  requirementsFor,
  s3RegionFor,
} from '../twenty/versions';
import { addSynthWarning } from '../core/synth-warnings';
import { checkBucketName, checkLabels, checkRunResources, checkSecretVersion, defaultFilesBucketName } from '../gcp/values';
import { checkShape } from '../core/props-shape';
import { BACKEND_SHAPE } from '../core/shapes';
import { Problems, quote, registerCheck, reportProblems } from '../core/validation';
import { WriteOnlySecret } from '../gcp/write-only-secret';
import { UpstashRedisConfig } from '../redis/upstash-redis-config';

/** Roles the service account holds on the project besides `roles/cloudsql.client`. */
export const TWENTY_PROJECT_ROLES = ['roles/logging.logWriter', 'roles/cloudtrace.agent'] as const;
/** Twenty's image on Docker Hub. */
export const DOCKER_HUB_IMAGE = 'twentycrm/twenty';
export const DEFAULT_IMAGE_REPOSITORY = `docker.io/${DOCKER_HUB_IMAGE}`;
/** Google's samples wait this long after IAM changes (magic-modules PRs #18182, #18732). */
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
   * Version to read.
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

interface EnvEntry {
  name: string;
  value?: string;
  valueSource?: { secretKeyRef: { secret: string; version: string } };
}

/**
 * The Twenty server on Cloud Run, and a migration job that runs to completion before a
 * new revision serves. Runs as a dedicated service account with exactly
 * `roles/cloudsql.client`, log writer, trace agent, and secret access per secret.
 */
export class TwentyBackendService extends Construct {
  public readonly service: CloudRunV2Service;
  public readonly migrationJob: GoogleCloudRunV2Job;
  public readonly serviceAccount: ServiceAccount;
  /** Generated `APP_SECRET`. */
  public readonly appSecret: WriteOnlySecret;
  /** Generated `ENCRYPTION_KEY` (Twenty v2.5.0 and newer). */
  public readonly encryptionKey?: WriteOnlySecret;
  /** `twentycrm/twenty:vX.Y.Z`, as deployed. */
  public readonly image: string;
  public readonly region: string;
  public readonly project: string;
  public readonly serverUrl: string;
  /** The Twenty release deployed, e.g. `v2.45.0`. */
  public readonly twentyVersion: string;
  /** Secret ids the service reads, by env var name. */
  public readonly secretIds: Record<string, string> = {};
  /** The worker pool running `yarn worker:prod`, unless disabled. */
  public readonly worker?: CloudRunV2WorkerPool;
  /** The Docker Hub mirror the image is pulled through, unless `imageMirror` is off. */
  public readonly imageMirror?: DockerHubMirror;
  /** Uploaded files: bucket, bucket-scoped grants, HMAC key and its secret. */
  public readonly files: TwentyFileStorage;
  /** The wait for IAM propagation (`time_sleep`) the job, service and worker depend on, unless turned off. */
  public readonly iamPropagation?: Sleep;
  /** `PG_POOL_MAX_CONNECTIONS` of each process. */
  public readonly dbPoolSize: number;
  /** Request timeout of the service, in seconds. */
  public readonly requestTimeoutSeconds: number;

  constructor(scope: Construct, id: string, given: TwentyBackendServiceProps) {
    super(scope, id);
    const problems = new Problems(`TwentyBackendService ${this.node.path}`);
    const props = checkShape(problems, given, BACKEND_SHAPE);
    const defaults = providerDefaults(this);
    const project = props.project ?? defaults.project;
    const region = props.region ?? defaults.region;
    const serviceAccountId = props.serviceAccountId ?? `${props.serviceName}-run`;
    const minInstances = props.minInstances ?? 0;
    const maxInstances = props.maxInstances ?? 5;
    const timeout = props.requestTimeoutSeconds ?? 600;
    const migrationTimeout = props.migrationTimeoutSeconds ?? DEFAULT_MIGRATION_TIMEOUT_SECONDS;
    const migrationQueryTimeout = props.migrationQueryTimeoutSeconds ?? migrationTimeout;
    const deletionProtection = props.deletionProtection ?? true;
    const extraEnv = props.extraEnv ?? {};
    const extraSecrets = props.extraSecrets ?? {};
    const betaProvider = props.betaProvider ?? findGoogleBetaProvider(this);
    const jobName = `${props.serviceName}-migrate`;
    const propagationSeconds = props.iamPropagationSeconds ?? DEFAULT_IAM_PROPAGATION_SECONDS;

    if (!project) problems.add('no project: set `project` or configure the stack\'s google provider with one');
    if (!region) problems.add('no region: set `region` or configure the stack\'s google provider with one');
    problems.whenKnown(region, checkRegion);
    if (region && defaults.region) problems.whenKnown(region, (r) => checkSameRegion('Cloud Run service', r, defaults.region!));
    if (region) problems.whenKnown(props.database.region, (r) => checkSameRegion('Cloud SQL instance', r, region));
    if (region && betaProvider) problems.whenKnown(betaProvider.region, (r) => checkSameRegion('google-beta provider', r, region));
    const dbVersion = props.database?.twentyVersion;
    // Only two valid release tags are compared; a wrong one is reported on its own.
    if (typeof dbVersion === 'string' && !checkTwentyVersion(dbVersion) && !checkTwentyVersion(props.twentyVersion) && dbVersion !== props.twentyVersion) {
      problems.add(
        `twentyVersion ${quote(props.twentyVersion)} differs from ${quote(dbVersion)}, the version the database ${props.database.node.path} was built for (its PostgreSQL minimum and URL scheme follow it); give both the same twentyVersion`,
      );
    }
    if (!betaProvider) {
      problems.add('no google-beta provider: the migration job needs one (run_execution_token is beta in provider 6.50); add a GoogleBetaProvider to the stack or pass `betaProvider`');
    }
    const versionProblem = checkTwentyVersion(props.twentyVersion);
    if (versionProblem) problems.add(versionProblem);
    problems.whenKnown(props.serviceName, (n) =>
      /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(n)
        ? undefined
        : `service name "${n}" is invalid; use lowercase letters, digits and hyphens, start with a letter, at most 40 characters (the job name adds "-migrate")`,
    );
    problems.whenKnown(serviceAccountId, (n) =>
      /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/.test(n)
        ? undefined
        : `service account id "${n}" is invalid; it must be 6-30 lowercase letters, digits and hyphens, starting with a letter (set \`serviceAccountId\`)`,
    );
    problems.whenKnown(props.serverUrl, checkServerUrl);
    if (typeof props.keyVersionDestroyTtl === 'string') {
      problems.whenKnown(props.keyVersionDestroyTtl, (t) =>
        /^[1-9]\d*s$/.test(t) ? undefined : `keyVersionDestroyTtl "${t}" is invalid; give a duration in seconds ending in "s" (e.g. "604800s"), or false`,
      );
    }
    problems.whenKnown(props.imageDigest, (d) => (/^sha256:[a-f0-9]{64}$/.test(d) ? undefined : `image digest "${d}" is invalid; expected "sha256:" and 64 hex digits`));
    if (props.imageMirror && props.imageRepository) problems.add('imageMirror and imageRepository are both given; the mirror sets the repository, so give one of them');
    problems.whenKnown(props.imageRepository, (r) =>
      /[:@]/.test(r.split('/').pop() ?? '') ? `image repository "${r}" must not carry a tag or digest; the tag comes from twentyVersion` : undefined,
    );
    problems.whenKnown(minInstances, (n) => (Number.isInteger(n) && n >= 0 ? undefined : `minInstances ${n} must be a whole number >= 0`));
    problems.whenKnown(maxInstances, (n) => (Number.isInteger(n) && n >= 1 && n <= 1000 ? undefined : `maxInstances ${n} must be a whole number from 1 to 1000`));
    if (!Token.isUnresolved(minInstances) && !Token.isUnresolved(maxInstances) && minInstances > maxInstances) {
      problems.add(`minInstances ${minInstances} is greater than maxInstances ${maxInstances}`);
    }
    problems.whenKnown(timeout, (t) => (Number.isInteger(t) && t >= 1 && t <= 3600 ? undefined : `requestTimeoutSeconds ${t} must be from 1 to 3600`));
    problems.whenKnown(migrationTimeout, (t) => (Number.isInteger(t) && t >= 60 && t <= 86400 ? undefined : `migrationTimeoutSeconds ${t} must be from 60 to 86400`));
    problems.whenKnown(props.migrationQueryTimeoutSeconds, (t) =>
      Number.isInteger(t) && t >= 10 && t <= 86400 ? undefined : `migrationQueryTimeoutSeconds ${t} must be from 10 to 86400`,
    );
    if (![migrationTimeout, migrationQueryTimeout].some((t) => Token.isUnresolved(t)) && migrationQueryTimeout > migrationTimeout) {
      problems.add(`migrationQueryTimeoutSeconds ${migrationQueryTimeout} is longer than migrationTimeoutSeconds ${migrationTimeout}; the job would be stopped first`);
    }
    problems.whenKnown(propagationSeconds, (n) =>
      Number.isInteger(n) && n >= 0 && n <= 600 ? undefined : `iamPropagationSeconds ${n} must be a whole number from 0 to 600 (0 turns the wait off)`,
    );
    const cpu = props.cpu ?? '2';
    const memory = props.memory ?? '2Gi';
    if (!Token.isUnresolved(cpu) && !Token.isUnresolved(memory)) for (const m of checkRunResources(cpu, memory, { cpu: 'cpu', memory: 'memory' })) problems.add(m);
    const workerResources = props.workerResources ?? { cpu: '1', memory: '2Gi' };
    if (props.workerResources && !Token.isUnresolved(workerResources.cpu) && !Token.isUnresolved(workerResources.memory)) {
      for (const m of checkRunResources(workerResources.cpu, workerResources.memory, { cpu: 'workerResources.cpu', memory: 'workerResources.memory' })) problems.add(m);
    }
    problems.whenKnown(props.labels, (l) => checkLabels(l, 'labels'));
    problems.whenKnown(props.filesBucketName, (b) => checkBucketName(b, 'filesBucketName'));
    problems.whenKnown(props.concurrency, (c) => (Number.isInteger(c) && c >= 1 && c <= 1000 ? undefined : `concurrency ${c} must be from 1 to 1000`));
    // Refused names are left out when building, so that construction can go on.
    const refused = new Set<string>();
    for (const name of [...Object.keys(extraEnv), ...Object.keys(extraSecrets)]) {
      const found = checkExtraName(name);
      for (const m of found) problems.add(m);
      if (found.length) refused.add(name);
    }
    for (const name of Object.keys(extraSecrets)) {
      if (name in extraEnv) {
        problems.add(`env var "${name}" is given both in extraEnv and extraSecrets; give it once`);
        refused.add(name);
      }
      problems.whenKnown(extraSecrets[name].secretId, (s) =>
        /^[A-Za-z0-9_-]{1,255}$/.test(s) ? undefined : `extraSecrets.${name}.secretId "${s}" is invalid; give the secret id, not its full name`,
      );
      problems.whenKnown(extraSecrets[name].version, (v) => checkSecretVersion(v, `extraSecrets.${name}.version`));
    }
    for (const [name, value] of Object.entries(extraEnv)) {
      if (looksSecret(name)) {
        problems.add(`extraEnv.${name} looks like a secret; plain env vars show in the console and the plan, so pass it through extraSecrets (a Secret Manager secret id)`);
      } else if (!Token.isUnresolved(value) && URL_WITH_CREDENTIALS.test(value)) {
        problems.add(`extraEnv.${name} holds a URL with a password; pass it through extraSecrets instead`);
      }
    }
    const workerInstances = props.disableWorker ? 0 : (props.workerInstances ?? 1);
    const parsedVersion = parseTwentyVersion(props.twentyVersion);
    const budgetInput = parsedVersion && {
      twentyVersion: parsedVersion,
      serverMaxInstances: maxInstances,
      workerInstances,
      maxConnections: props.database.maxConnections,
      tier: props.database.tier,
    };
    const poolSize = props.dbPoolSize ?? (budgetInput ? defaultPoolSize(budgetInput) : DEFAULT_PG_POOL_SIZE);
    if (!props.disableWorker) {
      problems.whenKnown(props.workerInstances, (n) =>
        Number.isInteger(n) && n >= 1 && n <= 100
          ? undefined
          : `workerInstances ${n} must be a whole number from 1 to 100; queued jobs never run without a worker (set disableWorker to run without one)`,
      );
    }
    problems.whenKnown(props.dbPoolSize, (n) => (Number.isInteger(n) && n >= 2 && n <= 100 ? undefined : `dbPoolSize ${n} must be a whole number from 2 to 100`));
    if (budgetInput) for (const m of connectionBudgetProblems({ ...budgetInput, poolSize })) problems.add(m);
    reportProblems(this, problems);
    // Terraform state holds the HMAC secret of the files bucket (the provider returns it).
    if (!props.allowLocalState) registerCheck(this, problems.subject, () => localStateProblems(this));

    if (props.dbPoolSize === undefined && poolSize < DEFAULT_PG_POOL_SIZE) {
      Annotations.of(this).addWarning(
        `dbPoolSize is not set: using ${poolSize}, the largest pool that fits max_connections ${props.database.maxConnections} (Twenty's default is ${DEFAULT_PG_POOL_SIZE}); set dbPoolSize, or give the database more connections, to choose yourself`,
      );
    }
    // A wrong version is reported above; construction goes on with the newest verified one.
    const parsed = parseTwentyVersion(props.twentyVersion);
    const twenty = versionProblem || !parsed ? parseTwentyVersion(NEWEST_VERIFIED_VERSION)! : parsed;
    const needs = requirementsFor(twenty);
    const contractProblem = versionProblem ? undefined : contractWarning(twenty);
    if (contractProblem) addSynthWarning(this, contractProblem);
    this.project = project!;
    this.region = region!;
    this.serverUrl = props.serverUrl;
    this.dbPoolSize = poolSize;
    this.twentyVersion = props.twentyVersion;
    this.requestTimeoutSeconds = timeout;
    if (props.imageMirror ?? props.imageRepository === undefined) {
      this.imageMirror = new DockerHubMirror(this, 'ImageMirror', {
        project: this.project,
        region: this.region,
        repositoryId: props.imageMirrorRepositoryId ?? `${props.serviceName}-dockerhub`,
        labels: props.labels,
      });
    }
    const repository =
      props.imageRepository ?? (this.imageMirror ? `${this.imageMirror.registryPath}/${DOCKER_HUB_IMAGE}` : DEFAULT_IMAGE_REPOSITORY);
    this.image = `${repository}:${props.twentyVersion}${props.imageDigest ? `@${props.imageDigest}` : ''}`;

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      project,
      accountId: serviceAccountId,
      displayName: `Twenty ${props.serviceName} (Cloud Run server, worker, migrations)`,
    });
    const member = this.serviceAccount.member;
    const grants: TerraformResource[] = TWENTY_PROJECT_ROLES.map(
      (role) =>
        new ProjectIamMember(this, role === 'roles/logging.logWriter' ? 'LogWriter' : 'TraceAgent', {
          project: this.project,
          role,
          member,
        }),
    );
    const sql = props.database.attach(this.serviceAccount);
    grants.push(sql.grant);

    const secretPrefix = props.secretPrefix ?? props.serviceName;
    const keyTtl = props.keyVersionDestroyTtl === false ? undefined : (props.keyVersionDestroyTtl ?? DEFAULT_KEY_VERSION_DESTROY_TTL);
    const generated = (cid: string, suffix: string) =>
      new WriteOnlySecret(this, cid, {
        project: this.project,
        region: this.region,
        secretId: `${secretPrefix}-${suffix}`,
        labels: props.labels,
        value: Token.asString(new EphemeralPassword(this, `${cid}Value`, { length: 64 }).result),
        // Never rewritten: a new key would make existing tokens and encrypted data unreadable.
        valueVersion: 1,
        preventDestroy: deletionProtection,
        deletionProtection,
        versionDestroyTtl: keyTtl,
      });
    this.appSecret = generated('AppSecret', 'app-secret');
    if (needs.encryptionKey) this.encryptionKey = generated('EncryptionKey', 'encryption-key');

    const env: EnvEntry[] = [
      { name: 'NODE_PORT', value: String(TWENTY_PORT) },
      { name: 'SERVER_URL', value: props.serverUrl },
    ];
    const waitFor: ITerraformDependable[] = [...grants, ...props.database.dependables, ...props.redis.dependables];
    /** IAM grants to the service account; the propagation wait follows all of them. */
    const iamGrants: TerraformResource[] = [...grants];
    if (this.imageMirror) waitFor.push(this.imageMirror.repository);
    const addSecret = (name: string, secretName: string, version: string, grant: SecretManagerSecretIamMember) => {
      env.push({ name, valueSource: { secretKeyRef: { secret: secretName, version } } });
      waitFor.push(grant);
      iamGrants.push(grant);
    };
    const db = props.database.urlSecret;
    addSecret('PG_DATABASE_URL', db.secretName, db.version.version, db.grantRead('ReadPgDatabaseUrl', this, member));
    this.secretIds.PG_DATABASE_URL = db.secret.secretId;
    // A rotated Redis URL is picked up by the next revision; pinning needs the created version.
    const redisVersion = props.redis.secret ? props.redis.secret.version.version : 'latest';
    addSecret('REDIS_URL', props.redis.secretName, redisVersion, props.redis.grantRead(this, 'ReadRedisUrl', member));
    if (props.redis.secret) this.secretIds.REDIS_URL = props.redis.secret.secret.secretId;
    for (const [name, s] of [['APP_SECRET', this.appSecret], ['ENCRYPTION_KEY', this.encryptionKey]] as const) {
      if (!s) continue;
      addSecret(name, s.secretName, s.version.version, s.grantRead(`Read${pascal(name)}`, this, member));
      waitFor.push(s.version);
      this.secretIds[name] = s.secret.secretId;
    }
    for (const [name, ref] of Object.entries(extraSecrets)) {
      if (refused.has(name)) continue;
      const grant = new SecretManagerSecretIamMember(this, `Read${pascal(name)}`, {
        project,
        secretId: ref.secretId,
        role: 'roles/secretmanager.secretAccessor',
        member,
      });
      addSecret(name, `projects/${this.project}/secrets/${ref.secretId}`, ref.version ?? 'latest', grant);
    }
    this.files = new TwentyFileStorage(this, 'Files', {
      project: this.project,
      region: this.region,
      bucketName: props.filesBucketName ?? defaultFilesBucketName(this.project, props.serviceName),
      serviceAccount: this.serviceAccount,
      forceDestroy: !deletionProtection,
      noncurrentRetentionDays: props.noncurrentFileRetentionDays ?? 30,
      labels: props.labels,
    });
    waitFor.push(...this.files.grants);
    iamGrants.push(...this.files.grants);
    env.push(
      { name: 'PG_POOL_MAX_CONNECTIONS', value: String(poolSize) },
      // Uploads on the container's disk vanish with the instance (field notes row 15).
      { name: 'STORAGE_TYPE', value: 's3' },
      { name: 'STORAGE_S3_ENDPOINT', value: GCS_S3_ENDPOINT },
      { name: 'STORAGE_S3_NAME', value: this.files.bucket.name },
      { name: 'STORAGE_S3_REGION', value: s3RegionFor(twenty, this.region) },
      { name: 'STORAGE_S3_ACCESS_KEY_ID', value: this.files.hmacKey.accessId },
      // Cloud Storage is not S3: no aws-chunked bodies or optional checksums (README "Files").
      ...Object.entries(AWS_SDK_CHECKSUM_ENV).map(([name, value]) => ({ name, value })),
    );
    const hmac = this.files.secret;
    addSecret('STORAGE_S3_SECRET_ACCESS_KEY', hmac.secretName, hmac.version.version, hmac.grantRead('ReadStorageS3SecretAccessKey', this, member));
    waitFor.push(hmac.version);
    this.secretIds.STORAGE_S3_SECRET_ACCESS_KEY = hmac.secret.secretId;
    for (const [name, value] of Object.entries(extraEnv)) if (!refused.has(name)) env.push({ name, value });

    // Migrations are the job's work; every server cold start would otherwise run them.
    const noMigrations = { name: 'DISABLE_DB_MIGRATIONS', value: 'true' };
    const serverEnv = [...env, noMigrations, { name: 'DISABLE_CRON_JOBS_REGISTRATION', value: 'true' }];
    // The worker's entrypoint registers the cron schedules at every start, so a flushed or new
    // Redis heals at the next worker start. Registering is idempotent across instances
    // (BullMQ job schedulers keyed by job name; see the image contract's `crons`).
    const workerEnv = [...env, noMigrations];
    // Only the job may run a query for hours; the server and worker keep Twenty's default.
    const jobEnv = [...env, { name: 'PG_DATABASE_PRIMARY_TIMEOUT_MS', value: String(migrationQueryTimeout * 1000) }];

    // New service accounts and IAM grants take time to reach every Google service; a job or
    // revision started at once can fail with "Permission denied on secret" (docs/first-apply.md).
    if (propagationSeconds > 0) {
      this.iamPropagation = new Sleep(this, 'IamPropagation', {
        provider: findOrAddTimeProvider(this),
        createDuration: `${propagationSeconds}s`,
        // A grant added or replaced later (e.g. for a new extraSecrets entry) waits again.
        triggers: {
          service_account: this.serviceAccount.member,
          ...Object.fromEntries(iamGrants.map((g) => [g.node.path, Token.asString(g.getStringAttribute('id'))])),
        },
        dependsOn: [this.serviceAccount, ...iamGrants],
      });
      waitFor.push(this.iamPropagation);
    }

    const script = migrationScript(twenty);
    this.migrationJob = new GoogleCloudRunV2Job(this, 'MigrationJob', {
      provider: betaProvider,
      project,
      location: this.region,
      name: jobName,
      // The job holds no data. Kept replaceable so that a failed first run, which leaves the
      // job tainted, is deleted and run again by the next deploy (docs/first-apply.md).
      deletionProtection: false,
      labels: props.labels,
      // Runs the job on create and whenever image or script change; the resource is
      // ready only once that execution has completed.
      runExecutionToken: createHash('sha256').update(`${this.image}\n${script}`).digest('hex').slice(0, 16),
      template: {
        taskCount: 1,
        parallelism: 1,
        template: {
          serviceAccount: this.serviceAccount.email,
          timeout: `${migrationTimeout}s`,
          maxRetries: 0,
          volumes: [sql.volume],
          containers: [
            {
              name: 'migrate',
              image: this.image,
              command: ['/bin/sh', '-c'],
              args: [script],
              env: jobEnv,
              resources: { limits: { cpu: '2', memory: '2Gi' } },
              volumeMounts: [sql.volumeMount],
            },
          ],
        },
      },
      dependsOn: waitFor,
    });

    if (props.disableWorker) {
      Annotations.of(this).addWarning(
        'disableWorker is set: emails, workflows, webhooks, calendar/mail sync and cron jobs will queue up in Redis and never run',
      );
    } else {
      const resources = workerResources;
      // A worker pool: no HTTP port needed, CPU always allocated, a fixed instance count.
      this.worker = new CloudRunV2WorkerPool(this, 'Worker', {
        project,
        location: this.region,
        name: `${props.serviceName}-worker`,
        // Worker pools were a preview API in provider 6.50's time (FACTS.md §3).
        launchStage: 'BETA',
        deletionProtection,
        labels: props.labels,
        scaling: { scalingMode: 'MANUAL', manualInstanceCount: workerInstances },
        template: {
          serviceAccount: this.serviceAccount.email,
          volumes: [sql.volume],
          containers: [
            {
              name: 'worker',
              image: this.image,
              args: [...WORKER_ARGS],
              env: workerEnv,
              resources: { limits: { cpu: resources.cpu, memory: resources.memory } },
              volumeMounts: [sql.volumeMount],
            },
          ],
        },
        // New code never works the queue before its migration finished.
        dependsOn: [this.migrationJob, ...waitFor],
      });
    }

    const probe = { httpGet: { path: HEALTH_PATH, port: TWENTY_PORT }, timeoutSeconds: 5 };
    this.service = new CloudRunV2Service(this, 'Service', {
      project,
      location: this.region,
      name: props.serviceName,
      ingress: props.ingress === 'internal-and-load-balancer' ? 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' : 'INGRESS_TRAFFIC_ALL',
      // Public app: IAM invoker checks off, which also works under domain-restricted sharing.
      invokerIamDisabled: true,
      deletionProtection,
      labels: props.labels,
      template: {
        serviceAccount: this.serviceAccount.email,
        timeout: `${timeout}s`,
        maxInstanceRequestConcurrency: props.concurrency ?? 80,
        scaling: { minInstanceCount: minInstances, maxInstanceCount: maxInstances },
        volumes: [sql.volume],
        containers: [
          {
            name: 'twenty',
            image: this.image,
            ports: { name: 'http1', containerPort: TWENTY_PORT },
            env: serverEnv,
            resources: {
              limits: { cpu, memory },
              cpuIdle: true,
              startupCpuBoost: true,
            },
            startupProbe: { ...probe, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 30 },
            livenessProbe: { ...probe, periodSeconds: 30, failureThreshold: 3 },
            volumeMounts: [sql.volumeMount],
          },
        ],
      },
      // A revision never serves before its migration finished and every secret and grant exists.
      dependsOn: [this.migrationJob, ...waitFor],
    });
  }

  /** The service's `run.app` URL. */
  get url(): string {
    return this.service.uri;
  }

  /** The service's name (what Firebase rewrites and serverless NEGs point at). */
  get serviceName(): string {
    return this.service.name;
  }

  /** The service's location. */
  get location(): string {
    return this.service.location;
  }
}

/**
 * A stack without a backend keeps its state in a local file, and that state holds the files
 * bucket's HMAC secret. cdktf adds a `LocalBackend` of its own when none is given, so an
 * unconfigured stack and an explicit `LocalBackend` look alike at synth: both are refused.
 */
function localStateProblems(service: TwentyBackendService): string[] {
  const backends = TerraformStack.of(service).node.findAll().filter((c) => c instanceof TerraformBackend);
  if (backends.length > 0 && !backends.every((b) => b instanceof LocalBackend)) return [];
  return [
    `the stack keeps its Terraform state on this machine (no backend, or a LocalBackend), and that state holds the files bucket's HMAC secret; add a remote backend such as \`new GcsBackend(stack, { bucket, prefix })\` (TwentyStack does it from stateBucket), or set allowLocalState: true`,
  ];
}

/** `SERVER_URL` must be https with a host and no path, query or trailing slash. */
export function checkServerUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `serverUrl "${url}" is not a URL; give the public https URL users open, e.g. "https://crm.example.com"`;
  }
  if (parsed.protocol !== 'https:') {
    return `serverUrl "${url}" must use https; Twenty sets secure cookies and OAuth callbacks from it`;
  }
  if (/localhost|127\.0\.0\.1|\[::1\]/.test(parsed.hostname)) {
    return `serverUrl "${url}" points at localhost; give the public URL users open`;
  }
  if (parsed.pathname !== '/' || parsed.search || parsed.hash || url.endsWith('/')) {
    return `serverUrl "${url}" must be an origin only (no path, query or trailing slash), e.g. "https://crm.example.com"`;
  }
  return undefined;
}

function checkExtraName(name: string): string[] {
  if (!ENV_NAME.test(name)) return [`env var name "${name}" is invalid; use letters, digits and underscores`];
  if (OWNED_ENV_VARS.includes(name)) return [`env var "${name}" is set by the construct and cannot be overridden`];
  if (name in REFUSED_ENV_VARS) return [`env var "${name}" is refused: ${REFUSED_ENV_VARS[name]}`];
  return [];
}

function pascal(envName: string): string {
  return envName
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
