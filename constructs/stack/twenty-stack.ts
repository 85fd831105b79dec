import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Aspects, GcsBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { addSynthWarning } from '../core/synth-warnings';
import { CloudSqlSocketDatabase } from '../database/cloud-sql-socket-database';
import type { FirebaseProxyHosting } from '../front-door/firebase-proxy-hosting';
import { frontDoorOf } from '../front-door/front-doors';
import { Guardrails } from '../guardrails';
import type { HttpsLoadBalancer } from '../front-door/https-load-balancer';
import { SecretAccessAuditLogs } from '../gcp/secret-access-audit-logs';
import { Problems, reportProblems } from '../core/validation';
import { pauseTokenTraces } from '../core/token-traces';
import { TwentyBackendService } from '../backend/twenty-backend-service';
import { TwentyMonitoring } from '../monitoring/twenty-monitoring';
import { UpstashRedisConfig } from '../redis/upstash-redis-config';
import { requireAlertChannel } from './alert-channel';
import { requiredApis } from './apis';
import { checkConfig } from './check-config';
import { monitoringEnabled, publicUrlOf, TwentyStackConfig } from './config';
import { DependOnApis } from './depend-on-apis';

// Re-exported so that the stack's module keeps its public surface (index.ts, deep imports).
export type {
  TwentyDatabaseConfig,
  TwentyMonitoringConfig,
  TwentyRedisConfig,
  TwentyServiceConfig,
  TwentyStackConfig,
} from './config';
export { monitoringEnabled, publicUrlOf, TWENTY_STACK_CONFIG_SHAPE } from './config';
export { BILLING_BUDGET_API, FRONT_DOOR_APIS, MONITORING_APIS, REQUIRED_APIS, requiredApis } from './apis';
export type { FirebaseFrontDoor, LoadBalancerFrontDoor, NoFrontDoor, TwentyFrontDoor } from '../front-door/front-doors';

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
 *   monitoring: { notificationEmails: ['oncall@example.com'] }, // production needs a channel
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
  /** Uptime checks, alerts and dashboard, when the environment has monitoring (by default in production). */
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
    // cdktf would record a stack trace for each token made below (constructs/core/token-traces.ts).
    const resumeTraces = pauseTokenTraces();
    try {
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
      // Who read which secret: production by default (project-wide, billed as log ingestion).
      if (env.secretAccessAuditLogs ?? env.production) {
        new SecretAccessAuditLogs(this, 'secret-audit', { project: env.projectId });
      } else if (env.production) {
        addSynthWarning(
          this,
          'secretAccessAuditLogs is false in a production environment: this stack does not turn on Data Access audit logs for Secret Manager, so reads of secrets are not logged unless the audit config for secretmanager.googleapis.com is managed elsewhere in the project',
        );
      }
      if (monitoringEnabled(env)) {
        const { enabled: _enabled, ...monitoring } = env.monitoring ?? {};
        this.monitoring = new TwentyMonitoring(this, 'monitoring', {
          ...monitoring,
          backend: this.backend,
          database: this.database,
          publicUrl,
        });
        requireAlertChannel(this, problems.subject, env, this.monitoring, given);
      } else if (env.production) {
        // Only an explicit `enabled: false` gets here: monitoring is on by default in production.
        addSynthWarning(
          this,
          'monitoring is turned off in a production environment: nobody is told when Twenty is down',
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
    } finally {
      resumeTraces();
    }
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
