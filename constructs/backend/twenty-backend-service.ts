import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2WorkerPool } from '@cdktf/provider-google/lib/cloud-run-v2-worker-pool';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { GoogleCloudRunV2Job } from '@cdktf/provider-google-beta/lib/google-cloud-run-v2-job';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Annotations, ITerraformDependable, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { createHash } from 'crypto';
import type { ServiceTargetInfo, ITwentyServiceTarget } from '../front-door/service-target';
import { EphemeralPassword } from '../gcp/ephemeral';
import { Grantee } from '../gcp/grantee';
import { findOrAddTimeProvider } from '../gcp/providers';
import { defaultFilesBucketName } from '../gcp/values';
import { WriteOnlySecret } from '../gcp/write-only-secret';
import { HEALTH_PATH, TWENTY_PORT, WORKER_ARGS } from '../twenty/catalogue';
import { migrationScript, s3RegionFor, TwentyVersion } from '../twenty/versions';
import { resolveBackendConfig } from './config';
import { EnvContext, EnvSecretSource, envFor } from './env';
import { TwentyFileStorage } from './file-storage';
import { DockerHubMirror } from './image-mirror';
import {
  DEFAULT_IMAGE_REPOSITORY,
  DEFAULT_KEY_VERSION_DESTROY_TTL,
  DOCKER_HUB_IMAGE,
  PROJECT_ROLE_GRANT_IDS,
  TWENTY_PROJECT_ROLES,
  TwentyBackendServiceProps,
} from './props';
import { Workload, workloadTemplate } from './workload';

export {
  DEFAULT_IAM_PROPAGATION_SECONDS,
  DEFAULT_IMAGE_REPOSITORY,
  DEFAULT_KEY_VERSION_DESTROY_TTL,
  DEFAULT_MIGRATION_TIMEOUT_SECONDS,
  DOCKER_HUB_IMAGE,
  TWENTY_PROJECT_ROLES,
} from './props';
export type { TwentyBackendServiceProps, TwentySecretRef } from './props';
export { checkServerUrl } from './config';

/**
 * The Twenty server on Cloud Run, and a migration job that runs to completion before a
 * new revision serves. Runs as a dedicated service account with exactly
 * `roles/cloudsql.client`, log writer, trace agent, and secret access per secret.
 */
export class TwentyBackendService extends Construct implements ITwentyServiceTarget {
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
  /** The Twenty release deployed, parsed once; undefined when `twentyVersion` is refused (reported). */
  public readonly version?: TwentyVersion;
  /** Name of the migration job. */
  public readonly jobName: string;
  /** Name of the worker pool, unless disabled. */
  public readonly workerName?: string;
  /** Instances of the worker pool (`workerInstances`); 0 when the worker is disabled. */
  public readonly workerInstances: number;
  /** What a front door needs to know about the Cloud Run service, as literals. */
  public readonly target: ServiceTargetInfo;
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
  /** Instance bounds of the service. */
  public readonly scaling: { readonly minInstances: number; readonly maxInstances: number };

  constructor(scope: Construct, id: string, given: TwentyBackendServiceProps) {
    super(scope, id);
    const config = resolveBackendConfig(this, given);
    const { props, project, region, deletionProtection } = config;
    this.project = project;
    this.region = region;
    this.serverUrl = props.serverUrl;
    this.dbPoolSize = config.poolSize;
    this.twentyVersion = props.twentyVersion;
    this.version = config.versionValid ? config.twenty : undefined;
    this.jobName = config.jobName;
    if (!props.disableWorker) this.workerName = `${props.serviceName}-worker`;
    this.workerInstances = config.workerInstances;
    this.requestTimeoutSeconds = config.timeout;
    this.scaling = { minInstances: config.minInstances, maxInstances: config.maxInstances };
    const ingress = props.ingress ?? 'all';
    this.target = { name: props.serviceName, region, ingress, publiclyInvokable: true };
    if (props.imageMirror ?? props.imageRepository === undefined) {
      this.imageMirror = new DockerHubMirror(this, 'ImageMirror', {
        project,
        region,
        repositoryId: props.imageMirrorRepositoryId ?? `${props.serviceName}-dockerhub`,
        labels: props.labels,
      });
    }
    const repository =
      props.imageRepository ??
      (this.imageMirror ? `${this.imageMirror.registryPath}/${DOCKER_HUB_IMAGE}` : DEFAULT_IMAGE_REPOSITORY);
    this.image = `${repository}:${props.twentyVersion}${props.imageDigest ? `@${props.imageDigest}` : ''}`;

    this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', {
      project,
      accountId: config.serviceAccountId,
      displayName: `Twenty ${props.serviceName} (Cloud Run server, worker, migrations)`,
    });
    const member = this.serviceAccount.member;
    const grants: TerraformResource[] = TWENTY_PROJECT_ROLES.map(
      (role) => new ProjectIamMember(this, PROJECT_ROLE_GRANT_IDS[role], { project, role, member }),
    );

    const secretPrefix = props.secretPrefix ?? props.serviceName;
    const keyTtl =
      props.keyVersionDestroyTtl === false
        ? undefined
        : (props.keyVersionDestroyTtl ?? DEFAULT_KEY_VERSION_DESTROY_TTL);
    const generated = (cid: string, suffix: string) =>
      new WriteOnlySecret(this, cid, {
        project,
        region,
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
    if (config.needs.encryptionKey) this.encryptionKey = generated('EncryptionKey', 'encryption-key');
    this.files = new TwentyFileStorage(this, 'Files', {
      project,
      region,
      bucketName: props.filesBucketName ?? defaultFilesBucketName(project, props.serviceName),
      serviceAccount: this.serviceAccount,
      forceDestroy: !deletionProtection,
      noncurrentRetentionDays: props.noncurrentFileRetentionDays ?? 30,
      labels: props.labels,
    });

    // The grant ids, one table: each is a Terraform address (`Read<EnvVarName>`, `Client-ServiceAccount`).
    const db = props.database;
    const hmac = this.files.secret;
    const grantee = new Grantee(this, member)
      .withId(db, 'ServiceAccount')
      .withId(db.urlSecret, 'ReadPgDatabaseUrl')
      .withId(props.redis, 'ReadRedisUrl')
      .withId(this.appSecret, 'ReadAppSecret')
      .withId(hmac, 'ReadStorageS3SecretAccessKey');
    if (this.encryptionKey) grantee.withId(this.encryptionKey, 'ReadEncryptionKey');
    grants.push(db.grantConnect(grantee));

    const waitFor: ITerraformDependable[] = [...grants, ...db.dependables, ...props.redis.dependables];
    /** IAM grants to the service account; the propagation wait follows all of them. */
    const iamGrants: TerraformResource[] = [...grants];
    if (this.imageMirror) waitFor.push(this.imageMirror.repository);
    const secrets: Record<string, EnvSecretSource> = {};
    const addSecret = (
      name: string,
      secretName: string,
      version: string,
      grant: SecretManagerSecretIamMember,
      also: ITerraformDependable[] = [],
    ) => {
      secrets[name] = { secretName, version };
      waitFor.push(grant, ...also);
      iamGrants.push(grant);
    };
    addSecret(
      'PG_DATABASE_URL',
      db.urlSecret.secretName,
      db.urlSecret.version.version,
      db.urlSecret.grantRead(grantee),
    );
    this.secretIds.PG_DATABASE_URL = db.urlSecret.secret.secretId;
    // A rotated Redis URL is picked up by the next revision; pinning needs the created version.
    const redisVersion = props.redis.secret ? props.redis.secret.version.version : 'latest';
    addSecret('REDIS_URL', props.redis.secretName, redisVersion, props.redis.grantRead(grantee));
    if (props.redis.secret) this.secretIds.REDIS_URL = props.redis.secret.secret.secretId;
    for (const [name, s] of [
      ['APP_SECRET', this.appSecret],
      ['ENCRYPTION_KEY', this.encryptionKey],
    ] as const) {
      if (!s) continue;
      addSecret(name, s.secretName, s.version.version, s.grantRead(grantee), [s.version]);
      this.secretIds[name] = s.secret.secretId;
    }
    const extraSecrets: [string, EnvSecretSource][] = [];
    for (const [name, ref] of Object.entries(config.extraSecrets)) {
      if (config.refused.has(name)) continue;
      const grant = new SecretManagerSecretIamMember(this, `Read${pascal(name)}`, {
        project,
        secretId: ref.secretId,
        role: 'roles/secretmanager.secretAccessor',
        member,
      });
      const source = { secretName: `projects/${project}/secrets/${ref.secretId}`, version: ref.version ?? 'latest' };
      extraSecrets.push([name, source]);
      waitFor.push(grant);
      iamGrants.push(grant);
    }
    waitFor.push(...this.files.grants);
    iamGrants.push(...this.files.grants);
    addSecret('STORAGE_S3_SECRET_ACCESS_KEY', hmac.secretName, hmac.version.version, hmac.grantRead(grantee), [
      hmac.version,
    ]);
    this.secretIds.STORAGE_S3_SECRET_ACCESS_KEY = hmac.secret.secretId;

    const context: EnvContext = {
      serverUrl: props.serverUrl,
      poolSize: config.poolSize,
      bucketName: this.files.bucket.name,
      s3Region: s3RegionFor(config.twenty, region),
      s3AccessKeyId: this.files.hmacKey.accessId,
      migrationQueryTimeoutSeconds: config.migrationQueryTimeout,
    };
    const extra = {
      secrets: extraSecrets,
      env: Object.entries(config.extraEnv).filter(([name]) => !config.refused.has(name)),
    };
    const env = (process: 'server' | 'worker' | 'job') => envFor(process, context, secrets, extra);

    // New service accounts and IAM grants take time to reach every Google service; a job or
    // revision started at once can fail with "Permission denied on secret" (docs/first-apply.md).
    if (config.propagationSeconds > 0) {
      this.iamPropagation = new Sleep(this, 'IamPropagation', {
        provider: findOrAddTimeProvider(this),
        createDuration: `${config.propagationSeconds}s`,
        // A grant added or replaced later (e.g. for a new extraSecrets entry) waits again.
        triggers: {
          service_account: this.serviceAccount.member,
          ...Object.fromEntries(iamGrants.map((g) => [g.node.path, Token.asString(g.getStringAttribute('id'))])),
        },
        dependsOn: [this.serviceAccount, ...iamGrants],
      });
      waitFor.push(this.iamPropagation);
    }

    const workload: Workload = { serviceAccountEmail: this.serviceAccount.email, image: this.image, mount: db.mount };
    const script = migrationScript(config.twenty, { pgaudit: db.auditDdl });
    this.migrationJob = new GoogleCloudRunV2Job(this, 'MigrationJob', {
      provider: config.betaProvider,
      project,
      location: region,
      name: this.jobName,
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
          timeout: `${config.migrationTimeout}s`,
          maxRetries: 0,
          ...workloadTemplate(workload, {
            name: 'migrate',
            command: ['/bin/sh', '-c'],
            args: [script],
            env: env('job'),
            resources: { limits: { cpu: '2', memory: '2Gi' } },
          }),
        },
      },
      dependsOn: waitFor,
    });

    if (props.disableWorker) {
      Annotations.of(this).addWarning(
        'disableWorker is set: emails, workflows, webhooks, calendar/mail sync and cron jobs will queue up in Redis and never run',
      );
    } else {
      const resources = config.workerResources;
      // A worker pool: no HTTP port needed, CPU always allocated, a fixed instance count.
      this.worker = new CloudRunV2WorkerPool(this, 'Worker', {
        project,
        location: region,
        name: `${props.serviceName}-worker`,
        // Worker pools were a preview API in provider 6.50's time (FACTS.md §3).
        launchStage: 'BETA',
        deletionProtection,
        labels: props.labels,
        scaling: { scalingMode: 'MANUAL', manualInstanceCount: config.workerInstances },
        template: workloadTemplate(workload, {
          name: 'worker',
          args: [...WORKER_ARGS],
          env: env('worker'),
          resources: { limits: { cpu: resources.cpu, memory: resources.memory } },
        }),
        // New code never works the queue before its migration finished.
        dependsOn: [this.migrationJob, ...waitFor],
      });
    }

    const probe = { httpGet: { path: HEALTH_PATH, port: TWENTY_PORT }, timeoutSeconds: 5 };
    this.service = new CloudRunV2Service(this, 'Service', {
      project,
      location: region,
      name: props.serviceName,
      ingress:
        ingress === 'internal-and-load-balancer' ? 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER' : 'INGRESS_TRAFFIC_ALL',
      // Public app: IAM invoker checks off, which also works under domain-restricted sharing.
      invokerIamDisabled: true,
      deletionProtection,
      labels: props.labels,
      template: {
        timeout: `${config.timeout}s`,
        maxInstanceRequestConcurrency: props.concurrency ?? 80,
        scaling: { minInstanceCount: config.minInstances, maxInstanceCount: config.maxInstances },
        ...workloadTemplate(workload, {
          name: 'twenty',
          ports: { name: 'http1', containerPort: TWENTY_PORT },
          env: env('server'),
          resources: { limits: { cpu: config.cpu, memory: config.memory }, cpuIdle: true, startupCpuBoost: true },
          startupProbe: { ...probe, initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 30 },
          livenessProbe: { ...probe, periodSeconds: 30, failureThreshold: 3 },
        }),
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

function pascal(envName: string): string {
  return envName
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
