import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import {
  Annotations,
  Aspects,
  dependable,
  GcsBackend,
  IAspect,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { CloudSqlSocketDatabase, CloudSqlSocketDatabaseProps } from '../database/cloud-sql-socket-database';
import type { FirebaseProxyHosting } from '../front-door/firebase-proxy-hosting';
import { FRONT_DOORS, frontDoorOf, TwentyFrontDoor } from '../front-door/front-doors';
import { Guardrails } from '../guardrails';
import type { HttpsLoadBalancer } from '../front-door/https-load-balancer';
import { SecretAccessAuditLogs } from '../gcp/secret-access-audit-logs';
import { checkBucketName, checkLabels } from '../gcp/values';
import { checkShape, omitShape, partialShape, PropShape } from '../core/props-shape';
import { checkProjectId, checkRegion } from '../gcp/regions';
import { BACKEND_SHAPE, DATABASE_SHAPE, MONITORING_SHAPE, REDIS_SHAPE } from '../core/shapes';
import { checkTwentyVersion, NEWEST_VERIFIED_VERSION } from '../twenty/versions';
import { Problems, quote, reportProblems } from '../core/validation';
import { checkServerUrl, TwentyBackendService, TwentyBackendServiceProps } from '../backend/twenty-backend-service';
import { TwentyMonitoring, TwentyMonitoringProps } from '../monitoring/twenty-monitoring';
import { UpstashRedisConfig, UpstashRedisConfigProps } from '../redis/upstash-redis-config';

/** The database's props the stack does not set itself. */
export type TwentyDatabaseConfig = Partial<Omit<CloudSqlSocketDatabaseProps, 'twentyVersion' | 'project' | 'region'>>;
/** Redis props the stack does not set itself. */
export type TwentyRedisConfig = Omit<UpstashRedisConfigProps, 'project' | 'region'>;
/** The server's props the stack does not set itself (version, URL, database, Redis, project, region, ingress, providers). */
export type TwentyServiceConfig = Partial<
  Omit<
    TwentyBackendServiceProps,
    'twentyVersion' | 'serverUrl' | 'database' | 'redis' | 'project' | 'region' | 'betaProvider' | 'ingress'
  >
>;

/** TwentyMonitoring's own props, less what the stack wires in. */
export type TwentyMonitoringConfig = Omit<TwentyMonitoringProps, 'backend' | 'database' | 'publicUrl'> & {
  /**
   * Turn monitoring on or off.
   * @default on when `monitoring` is given, otherwise off (with a warning in production: alerts
   * must notify someone, so they need `notificationEmails` or `notificationChannelIds`)
   */
  readonly enabled?: boolean;
};

/** One environment of Twenty: one project and region, one stack, one state prefix. */
export interface TwentyStackConfig {
  /** Short name (up to 20 lowercase letters, digits and hyphens); the stack is `twenty-<name>`. */
  readonly name: string;
  /**
   * Production: guardrail rules at full severity, and the database REGIONAL and the server
   * warm (1 instance) unless set otherwise.
   */
  readonly production: boolean;
  /** Google Cloud project id. */
  readonly projectId: string;
  /** The one region every resource of the environment lives in, e.g. `us-east1`. */
  readonly region: string;
  /** Twenty release (Docker tag), e.g. `v2.45.0`. */
  readonly twentyVersion: string;
  /** GCS bucket holding Terraform state (created beforehand, versioned); the prefix is `twenty/<name>`. */
  readonly stateBucket: string;
  /** What users reach Twenty through. */
  readonly frontDoor: TwentyFrontDoor;
  /**
   * The public https URL users open; becomes `SERVER_URL`. Must be the front door's URL.
   * @default the front door's URL: `https://<domain>` (load balancer), `https://<customDomain>`
   * or `https://<siteId>.web.app` (Firebase); required with front door `none`
   */
  readonly publicUrl?: string;
  /**
   * Labels on every resource (the providers' default labels).
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * The Cloud SQL database.
   * @default instance `twenty-<name>`, URL secret `twenty-<name>-pg-database-url`, REGIONAL in production
   */
  readonly database?: TwentyDatabaseConfig;
  /**
   * `REDIS_URL` from Upstash.
   * @default secret `twenty-<name>-redis-url`, read from `TF_VAR_upstash_redis_url`
   */
  readonly redis?: TwentyRedisConfig;
  /**
   * The Twenty server, worker and migration job.
   * @default service `twenty-<name>`, 1 minimum instance in production
   */
  readonly service?: TwentyServiceConfig;
  /**
   * Uptime checks, alerts, log-based metrics, dashboard and an optional budget (TwentyMonitoring).
   * In production every alert must notify someone (guardrail PROD-ALERT-CHANNEL).
   * @default none; production warns without it
   */
  readonly monitoring?: TwentyMonitoringConfig;
}

export type { FirebaseFrontDoor, LoadBalancerFrontDoor, NoFrontDoor, TwentyFrontDoor } from '../front-door/front-doors';

/** Every API the stack's resources call. */
export const REQUIRED_APIS = [
  'artifactregistry.googleapis.com',
  'cloudresourcemanager.googleapis.com',
  'iam.googleapis.com',
  'run.googleapis.com',
  'secretmanager.googleapis.com',
  'sql-component.googleapis.com',
  'sqladmin.googleapis.com',
  'storage.googleapis.com',
] as const;

/** APIs each front door adds (enabled only when the environment uses it). */
export const FRONT_DOOR_APIS: Readonly<Record<TwentyFrontDoor['kind'], readonly string[]>> = Object.fromEntries(
  Object.entries(FRONT_DOORS).map(([kind, door]) => [kind, door.apis]),
) as Record<TwentyFrontDoor['kind'], readonly string[]>;

/** The runtime key list of `TwentyStackConfig`; the front door is checked per kind. */
export const TWENTY_STACK_CONFIG_SHAPE: PropShape<TwentyStackConfig> = {
  name: 'string',
  production: 'boolean',
  projectId: 'string',
  region: 'string',
  twentyVersion: 'string',
  stateBucket: 'string',
  frontDoor: 'object',
  publicUrl: 'string?',
  labels: 'object?',
  database: { optional: true, shape: partialShape(DATABASE_SHAPE, ['twentyVersion', 'project', 'region']) },
  redis: { optional: true, shape: omitShape(REDIS_SHAPE, ['project', 'region']) },
  service: {
    optional: true,
    shape: partialShape(BACKEND_SHAPE, [
      'twentyVersion',
      'serverUrl',
      'database',
      'redis',
      'project',
      'region',
      'betaProvider',
      'ingress',
    ]),
  },
  monitoring: {
    optional: true,
    shape: { ...omitShape(MONITORING_SHAPE, ['backend', 'database', 'publicUrl']), enabled: 'boolean?' },
  },
};

/** APIs monitoring adds (log-based metrics need Logging; a budget needs Billing Budgets). */
export const MONITORING_APIS = ['logging.googleapis.com', 'monitoring.googleapis.com'] as const;
export const BILLING_BUDGET_API = 'billingbudgets.googleapis.com';

/** Whether the environment gets TwentyMonitoring: when `monitoring` is given, unless turned off. */
export function monitoringEnabled(config: Pick<TwentyStackConfig, 'monitoring'>): boolean {
  return config.monitoring?.enabled ?? config.monitoring !== undefined;
}

/** Every API an environment's stack enables. */
export function requiredApis(config: Pick<TwentyStackConfig, 'frontDoor' | 'monitoring'>): string[] {
  const monitoring = monitoringEnabled(config)
    ? [...MONITORING_APIS, ...(config.monitoring?.billingBudget ? [BILLING_BUDGET_API] : [])]
    : [];
  return [...REQUIRED_APIS, ...(FRONT_DOOR_APIS[config.frontDoor?.kind] ?? []), ...monitoring];
}

/** The URL users open: `publicUrl`, else the front door's. Undefined with front door `none` and no `publicUrl`. */
export function publicUrlOf(config: Pick<TwentyStackConfig, 'frontDoor' | 'publicUrl'>): string | undefined {
  if (config.publicUrl !== undefined) return config.publicUrl;
  const door = config.frontDoor;
  return door && door.kind in FRONT_DOORS ? frontDoorOf(door).publicUrl(door) : undefined;
}

/**
 * Checks the config and returns it without what was refused (unknown keys, values of the
 * wrong kind), so that the stack can still be built and every problem found in one synth.
 */
function checkConfig(problems: Problems, given: TwentyStackConfig): TwentyStackConfig {
  const config = checkShape(problems, given, TWENTY_STACK_CONFIG_SHAPE, { noun: 'key' });
  const kind = config.frontDoor?.kind;
  let frontDoor: TwentyFrontDoor = { kind: 'none' };
  if (config.frontDoor === undefined) {
    // Reported as missing by checkShape.
  } else if (!(kind in FRONT_DOORS)) {
    const kinds = Object.keys(FRONT_DOORS).map((k) => quote(k));
    problems.add(
      `frontDoor.kind ${quote(kind)} is not a front door; use ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`,
    );
  } else {
    frontDoor = checkShape(problems, config.frontDoor, FRONT_DOORS[kind].shape as PropShape<TwentyFrontDoor>, {
      noun: 'key',
      path: 'frontDoor.',
    });
  }
  const checked = withFallbacks(problems, { ...config, frontDoor });
  problems.whenKnown(checked.name, (n) =>
    /^[a-z][a-z0-9-]{0,19}$/.test(n)
      ? undefined
      : `name "${n}" is invalid; use up to 20 lowercase letters, digits and hyphens, starting with a letter`,
  );
  problems.whenKnown(checked.projectId, checkProjectId);
  problems.whenKnown(checked.region, checkRegion);
  problems.whenKnown(checked.twentyVersion, checkTwentyVersion);
  problems.whenKnown(checked.stateBucket, (b) => checkBucketName(b, 'state bucket'));
  problems.whenKnown(checked.labels, (l) => checkLabels(l, 'labels'));
  const url = publicUrlOf(checked);
  if (url === undefined && frontDoor.kind === 'none' && kind === 'none') {
    problems.add(
      'publicUrl is missing; with frontDoor kind "none" give the https URL users open (it becomes SERVER_URL)',
    );
  }
  problems.whenKnown(checked.publicUrl, checkServerUrl);
  return checked;
}

/**
 * Stand-ins for required values the config check refused (already reported), so that the
 * constructs do not report the same value again as missing, in their own words.
 */
function withFallbacks(problems: Problems, config: TwentyStackConfig): TwentyStackConfig {
  const ok = (key: keyof TwentyStackConfig) => typeof config[key] === 'string';
  const frontDoor = frontDoorOf(config.frontDoor).withFallbacks(config.frontDoor);
  if (problems.bodies.length === 0) return config;
  return {
    ...config,
    name: ok('name') ? config.name : 'invalid',
    projectId: ok('projectId') ? config.projectId : 'twenty-invalid',
    region: ok('region') ? config.region : 'us-central1',
    twentyVersion: ok('twentyVersion') ? config.twentyVersion : NEWEST_VERIFIED_VERSION,
    stateBucket: ok('stateBucket') ? config.stateBucket : 'twenty-invalid',
    frontDoor,
  };
}

/** Makes every resource wait for the APIs it needs (a fresh project comes up in one deploy). */
class DependOnApis implements IAspect {
  // Made once per stack, not once per resource: each token cdktf creates records a stack trace.
  private fqns?: string[];

  constructor(private readonly apis: ProjectService[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || node instanceof ProjectService) return;
    this.fqns ??= this.apis.map((a) => dependable(a));
    node.dependsOn = [...new Set([...(node.dependsOn ?? []), ...this.fqns])];
  }
}

/** What a synth summary says about one environment (see `synthApp`). */
export interface TwentyStackSummary {
  /** The URL users open. */
  readonly publicUrl: string;
  /** The front door, in words. */
  readonly frontDoor: string;
  /** What to do after the synth, in order. */
  readonly nextSteps: readonly string[];
}

/**
 * One environment of Twenty: providers on one project and region, state in GCS, the APIs,
 * the database, Redis, the server with its worker and migration job, the front door,
 * outputs and guardrails. Deployed as `cdktf deploy twenty-<name>`.
 *
 * ```ts
 * const app = new App();
 * new TwentyStack(app, {
 *   name: 'prod', production: true, projectId: 'acme-crm', region: 'us-east1',
 *   twentyVersion: 'v2.45.0', stateBucket: 'acme-crm-tfstate',
 *   frontDoor: { kind: 'load-balancer', domain: 'crm.example.com' },
 * });
 * synthApp(app);
 * ```
 */
export class TwentyStack extends TerraformStack {
  public readonly database: CloudSqlSocketDatabase;
  public readonly redis: UpstashRedisConfig;
  public readonly backend: TwentyBackendService;
  /** The front door, unless the environment has none. */
  public readonly frontDoor?: FirebaseProxyHosting | HttpsLoadBalancer;
  /** Uptime checks, alerts and dashboard, when the environment has monitoring. */
  public readonly monitoring?: TwentyMonitoring;
  /** The URL users open (`SERVER_URL`). */
  public readonly publicUrl: string;
  /** The config as checked (refused keys and values removed). */
  public readonly config: TwentyStackConfig;

  /** `twenty-<name>`. */
  static stackName(config: Pick<TwentyStackConfig, 'name'>): string {
    return `twenty-${config.name}`;
  }

  constructor(scope: Construct, given: TwentyStackConfig) {
    super(scope, TwentyStack.stackName(given));
    const problems = new Problems(`environment "${given.name}"`);
    const env = checkConfig(problems, given);
    reportProblems(this, problems);
    this.config = env;
    const name = env.name;
    const publicUrl = publicUrlOf(env) ?? 'https://twenty.invalid';
    this.publicUrl = publicUrl;

    // Write-only arguments need 1.11; ephemeral resources and variables 1.10.
    this.addOverride('terraform.required_version', '>= 1.11.0');
    new GcsBackend(this, { bucket: env.stateBucket, prefix: `twenty/${name}` });
    new GoogleProvider(this, 'google', { project: env.projectId, region: env.region, defaultLabels: env.labels });
    new GoogleBetaProvider(this, 'google-beta', {
      project: env.projectId,
      region: env.region,
      defaultLabels: env.labels,
    });
    // time_sleep: the first apply waits for IAM propagation (TwentyBackendService).
    new TimeProvider(this, 'time');

    const apis = requiredApis(env).map(
      (api) =>
        new ProjectService(this, `api-${api.split('.')[0]}`, {
          project: env.projectId,
          service: api,
          // Turning an API off on destroy breaks anything else in the project using it.
          disableOnDestroy: false,
          disableDependentServices: false,
        }),
    );
    Aspects.of(this).add(new DependOnApis(apis));

    const database = env.database ?? {};
    this.database = new CloudSqlSocketDatabase(this, 'database', {
      instanceName: `twenty-${name}`,
      urlSecretId: `twenty-${name}-pg-database-url`,
      highAvailability: env.production,
      ...database,
      twentyVersion: env.twentyVersion,
    });

    this.redis = new UpstashRedisConfig(this, 'redis', { secretId: `twenty-${name}-redis-url`, ...env.redis });

    const service = env.service ?? {};
    this.backend = new TwentyBackendService(this, 'server', {
      serviceName: `twenty-${name}`,
      ...(env.production ? { minInstances: 1 } : {}),
      ...service,
      twentyVersion: env.twentyVersion,
      serverUrl: publicUrl,
      database: this.database,
      redis: this.redis,
      ingress: frontDoorOf(env.frontDoor).ingress,
    });
    this.frontDoor = frontDoorOf(env.frontDoor).build(this, env.frontDoor, {
      backend: this.backend,
      production: env.production,
    }) as FirebaseProxyHosting | HttpsLoadBalancer | undefined;
    // Who read which secret: production only (project-wide, billed as log ingestion).
    if (env.production) new SecretAccessAuditLogs(this, 'secret-audit', { project: env.projectId });
    if (monitoringEnabled(env)) {
      const { enabled: _enabled, ...monitoring } = env.monitoring ?? {};
      this.monitoring = new TwentyMonitoring(this, 'monitoring', {
        ...monitoring,
        backend: this.backend,
        database: this.database,
        publicUrl,
      });
    } else if (env.production) {
      Annotations.of(this).addWarning(
        env.monitoring
          ? 'monitoring is turned off in a production environment: nobody is told when Twenty is down'
          : 'no monitoring in a production environment: nobody is told when Twenty is down; add monitoring: { notificationEmails: [...] }',
      );
    }

    new TerraformOutput(this, 'service_url', {
      value: this.backend.url,
      description: 'The run.app URL of the Twenty server (users open public_url)',
    });
    new TerraformOutput(this, 'public_url', {
      value: publicUrl,
      description: 'SERVER_URL: open it to sign up the first user',
    });
    new TerraformOutput(this, 'cloud_sql_connection_name', { value: this.database.connectionName });
    new TerraformOutput(this, 'migration_job', { value: this.backend.migrationJob.name });
    new TerraformOutput(this, 'secret_ids', {
      value: this.backend.secretIds,
      description:
        'Secret Manager ids. Values are written write-only and are not in state, except the HMAC secret behind STORAGE_S3_SECRET_ACCESS_KEY, which google_storage_hmac_key keeps in state',
    });
    // Findings are printed once by synthApp's report, not by the aspect.
    Aspects.of(this).add(new Guardrails({ production: env.production, log: () => undefined }));
  }

  /** The public URL, the front door and what to do next, for the synth summary. */
  summary(): TwentyStackSummary {
    const env = this.config;
    const door = env.frontDoor;
    const steps: string[] = [];
    const redis = env.redis ?? {};
    if (redis.existingSecretId !== undefined) {
      steps.push(
        `Secret Manager secret "${redis.existingSecretId}" in ${env.projectId} must hold the Upstash rediss:// URL before the deploy`,
      );
    } else if (redis.url === undefined) {
      const variable = redis.variableName ?? 'upstash_redis_url';
      steps.push(
        `set TF_VAR_${variable} to the Upstash database's rediss:// URL for the deploy (read -rs TF_VAR_${variable} && export TF_VAR_${variable})`,
      );
    }
    const extra = Object.entries(env.service?.extraSecrets ?? {});
    if (extra.length) {
      steps.push(
        `create these Secret Manager secrets in ${env.projectId} first: ${extra.map(([v, ref]) => `${ref.secretId} (${v})`).join(', ')}`,
      );
    }
    steps.push(`cdktf deploy ${this.node.id} (state in gs://${env.stateBucket}/twenty/${env.name})`);
    const dns = frontDoorOf(door).nextStep(door, this.publicUrl);
    if (dns) steps.push(dns);
    steps.push(
      `open ${this.publicUrl} and sign up: the first user becomes the workspace admin, and later sign-ups are closed`,
    );
    const doorText = frontDoorOf(door).describe(door);
    return { publicUrl: this.publicUrl, frontDoor: doorText, nextSteps: steps };
  }
}
