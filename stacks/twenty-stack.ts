import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Annotations, Aspects, dependable, GcsBackend, IAspect, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { CloudSqlSocketDatabase } from '../constructs/cloud-sql-socket-database';
import { FirebaseProxyHosting } from '../constructs/firebase-proxy-hosting';
import { Guardrails } from '../constructs/guardrails';
import { HttpsLoadBalancer } from '../constructs/https-load-balancer';
import { SecretAccessAuditLogs } from '../constructs/secret-access-audit-logs';
import { checkServerUrl, TwentyBackendService } from '../constructs/twenty-backend-service';
import { TwentyMonitoring } from '../constructs/twenty-monitoring';
import { UpstashRedisConfig } from '../constructs/upstash-redis-config';
import { checkProjectId, checkRegion } from '../constructs/internal/regions';
import { checkTwentyVersion } from '../constructs/internal/twenty-versions';
import { Problems, reportProblems } from '../constructs/internal/validation';
import { EnvironmentConfig } from './environments';

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
export const FRONT_DOOR_APIS: Readonly<Record<EnvironmentConfig['frontDoor']['kind'], readonly string[]>> = {
  firebase: ['firebase.googleapis.com', 'firebasehosting.googleapis.com'],
  'load-balancer': ['compute.googleapis.com'],
  none: [],
};

/** APIs monitoring adds (log-based metrics need Logging; a budget needs Billing Budgets). */
export const MONITORING_APIS = ['logging.googleapis.com', 'monitoring.googleapis.com'] as const;
export const BILLING_BUDGET_API = 'billingbudgets.googleapis.com';

/** Whether the environment gets TwentyMonitoring: on in production unless turned off. */
export function monitoringEnabled(env: EnvironmentConfig): boolean {
  return env.monitoring?.enabled ?? env.production;
}

/** Every API an environment's stack enables. */
export function requiredApis(env: EnvironmentConfig): string[] {
  const monitoring = monitoringEnabled(env) ? [...MONITORING_APIS, ...(env.monitoring?.billingBudget ? [BILLING_BUDGET_API] : [])] : [];
  return [...REQUIRED_APIS, ...FRONT_DOOR_APIS[env.frontDoor.kind], ...monitoring];
}

/** Returns every problem of an environment config at once. */
export function validateEnvironment(env: EnvironmentConfig): string[] {
  const p = new Problems(`environment "${env.name}"`);
  p.whenKnown(env.name, (n) => (/^[a-z][a-z0-9-]{0,19}$/.test(n) ? undefined : `name "${n}" is invalid; use up to 20 lowercase letters, digits and hyphens, starting with a letter`));
  p.whenKnown(env.projectId, checkProjectId);
  p.whenKnown(env.region, checkRegion);
  p.whenKnown(env.twentyVersion, checkTwentyVersion);
  p.whenKnown(env.publicUrl, checkServerUrl);
  p.whenKnown(env.stateBucket, (b) =>
    /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(b) ? undefined : `state bucket "${b}" is not a valid bucket name`,
  );
  const { minInstances, maxInstances } = env.service;
  if (minInstances > maxInstances) {
    p.add(`service.minInstances ${minInstances} is greater than service.maxInstances ${maxInstances}`);
  }
  return [...p.messages];
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

/**
 * One environment of Twenty: providers on one project and region, state in GCS,
 * the APIs, the database, Redis, the server with its migration job, and outputs.
 * Deployed as `cdktf deploy twenty-<name>`.
 */
export class TwentyStack extends TerraformStack {
  public readonly database: CloudSqlSocketDatabase;
  public readonly redis: UpstashRedisConfig;
  public readonly backend: TwentyBackendService;
  /** The front door, unless the environment has none. */
  public readonly frontDoor?: FirebaseProxyHosting | HttpsLoadBalancer;
  /** Uptime checks, alerts and dashboard, when the environment has monitoring. */
  public readonly monitoring?: TwentyMonitoring;

  static stackName(env: EnvironmentConfig): string {
    return `twenty-${env.name}`;
  }

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, TwentyStack.stackName(env));
    const problems = new Problems(`stack ${TwentyStack.stackName(env)}`);
    for (const m of validateEnvironment(env)) problems.add(m);
    reportProblems(this, problems);

    // Write-only arguments need 1.11; ephemeral resources and variables 1.10.
    this.addOverride('terraform.required_version', '>= 1.11.0');
    new GcsBackend(this, { bucket: env.stateBucket, prefix: `twenty/${env.name}` });
    new GoogleProvider(this, 'google', {
      project: env.projectId,
      region: env.region,
      defaultLabels: env.labels,
    });
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

    this.database = new CloudSqlSocketDatabase(this, 'database', {
      instanceName: env.database.instanceName,
      twentyVersion: env.twentyVersion,
      tier: env.database.tier,
      edition: env.database.edition,
      postgresVersion: env.database.postgresVersion,
      highAvailability: env.database.highAvailability,
      deletionProtection: env.database.deletionProtection,
      maxConnections: env.database.maxConnections,
      urlSecretId: `twenty-${env.name}-pg-database-url`,
    });

    this.redis = new UpstashRedisConfig(this, 'redis', {
      secretId: `twenty-${env.name}-redis-url`,
    });

    this.backend = new TwentyBackendService(this, 'server', {
      serviceName: `twenty-${env.name}`,
      twentyVersion: env.twentyVersion,
      serverUrl: env.publicUrl,
      database: this.database,
      redis: this.redis,
      minInstances: env.service.minInstances,
      maxInstances: env.service.maxInstances,
      cpu: env.service.cpu,
      memory: env.service.memory,
      requestTimeoutSeconds: env.service.requestTimeoutSeconds,
      dbPoolSize: env.service.dbPoolSize,
      deletionProtection: env.service.deletionProtection,
      extraEnv: env.extraEnv,
      imageDigest: env.imageDigest,
      ingress: env.frontDoor.kind === 'load-balancer' ? 'internal-and-load-balancer' : 'all',
    });
    this.frontDoor = this.addFrontDoor(env);
    // Who read which secret: production only (project-wide, billed as log ingestion).
    if (env.production) new SecretAccessAuditLogs(this, 'secret-audit', { project: env.projectId });
    if (monitoringEnabled(env)) {
      const { enabled: _enabled, ...monitoring } = env.monitoring ?? {};
      this.monitoring = new TwentyMonitoring(this, 'monitoring', { ...monitoring, backend: this.backend, database: this.database, publicUrl: env.publicUrl });
    } else if (env.production) {
      Annotations.of(this).addWarning('monitoring is turned off in a production environment: nobody is told when Twenty is down');
    }

    new TerraformOutput(this, 'service_url', {
      value: this.backend.url,
      description: 'The run.app URL of the Twenty server (users open public_url)',
    });
    new TerraformOutput(this, 'public_url', { value: env.publicUrl, description: 'SERVER_URL: open it to sign up the first user' });
    new TerraformOutput(this, 'cloud_sql_connection_name', { value: this.database.connectionName });
    new TerraformOutput(this, 'migration_job', { value: this.backend.migrationJob.name });
    new TerraformOutput(this, 'secret_ids', {
      value: this.backend.secretIds,
      description:
        'Secret Manager ids. Values are written write-only and are not in state, except the HMAC secret behind STORAGE_S3_SECRET_ACCESS_KEY, which google_storage_hmac_key keeps in state',
    });
    Aspects.of(this).add(new Guardrails({ production: env.production }));
  }

  private addFrontDoor(env: EnvironmentConfig): FirebaseProxyHosting | HttpsLoadBalancer | undefined {
    const door = env.frontDoor;
    if (door.kind === 'firebase') {
      const hosting = new FirebaseProxyHosting(this, 'front-door', {
        backend: this.backend,
        siteId: door.siteId,
        customDomain: door.customDomain,
        rewrites: door.rewrites,
        apiOnly: door.apiOnly,
        createFirebaseProject: door.createFirebaseProject,
      });
      if (hosting.dnsRecords) {
        new TerraformOutput(this, 'front_door_dns_records', {
          value: hosting.dnsRecords,
          description: `DNS records Firebase Hosting asks for ${door.customDomain}`,
        });
      }
      return hosting;
    }
    if (door.kind === 'load-balancer') {
      const lb = new HttpsLoadBalancer(this, 'front-door', {
        backend: this.backend,
        domain: door.domain,
        securityPolicy: door.securityPolicy,
        // Cloud Armor bills per policy, rule and request: production only, unless the env brings its own.
        cloudArmor: env.production && !door.securityPolicy ? {} : false,
        enableCdn: door.enableCdn,
      });
      new TerraformOutput(this, 'front_door_ip', { value: lb.ipAddress, description: 'The load balancer\'s global IPv4 address' });
      new TerraformOutput(this, 'front_door_dns_records', {
        value: [lb.dnsRecord],
        description: `Create this A record for ${door.domain}; the managed certificate is issued once it resolves`,
      });
      return lb;
    }
    return undefined;
  }
}
