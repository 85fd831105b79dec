/**
 * Guardrail rules: each rule on a compliant and a non-compliant resource (exact findings),
 * severities per environment, suppressions, and the example environments.
 */
import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudRunV2Service, CloudRunV2ServiceConfig } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2WorkerPool } from '@cdktf/provider-google/lib/cloud-run-v2-worker-pool';
import { ComputeBackendService } from '@cdktf/provider-google/lib/compute-backend-service';
import { ComputeSslPolicy } from '@cdktf/provider-google/lib/compute-ssl-policy';
import { ComputeTargetHttpsProxy } from '@cdktf/provider-google/lib/compute-target-https-proxy';
import { DataGoogleIamPolicy } from '@cdktf/provider-google/lib/data-google-iam-policy';
import { DataGoogleSecretManagerSecretVersion } from '@cdktf/provider-google/lib/data-google-secret-manager-secret-version';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { SqlDatabaseInstance, SqlDatabaseInstanceConfig } from '@cdktf/provider-google/lib/sql-database-instance';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import {
  App,
  Aspects,
  TerraformProviderGeneratorMetadata,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
} from 'cdktf';
import { ServiceAccountKey } from '@cdktf/provider-google/lib/service-account-key';
import { Construct } from 'constructs';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GUARDRAIL_RULES, Guardrails, isPinnedImage, SUPPRESSIONS_KEY } from '../../constructs/guardrails';
import { HMAC_KEY_SUPPRESSION } from '../../constructs/backend/file-storage';
import { ENVIRONMENTS } from '../../examples/environments/environments';
import { TwentyStack } from '../../constructs/stack/twenty-stack';
import { synthApp } from '../../constructs/stack/synth-app';
import { envByName, providerStack, synthJson, testApp } from '../support/synth';

type Build = (stack: TerraformStack) => void;

interface Result {
  errors: string[];
  warnings: string[];
  infos: string[];
  log: string[];
}

function annotations(scope: Construct, type: string): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === type).map((m) => m.data as string));
}

function check(production: boolean, build: Build): Result {
  const stack = providerStack();
  build(stack);
  const log: string[] = [];
  Aspects.of(stack).add(new Guardrails({ production, log: (l) => log.push(l) }));
  Testing.synth(stack);
  return {
    errors: annotations(stack, '@cdktf/error'),
    warnings: annotations(stack, '@cdktf/warn'),
    infos: annotations(stack, '@cdktf/info'),
    log,
  };
}

/** The `[ID] address: problem` part of an annotation. */
const finding = (message: string) => message.split('. Why: ')[0];

const SA_EMAIL = 'twenty-run@acme-twenty-test.iam.gserviceaccount.com';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const IMAGE = `docker.io/twentycrm/twenty:v2.45.0@${DIGEST}`;

const sql = (
  stack: TerraformStack,
  settings: Partial<SqlDatabaseInstanceConfig['settings']> = {},
  top: Partial<SqlDatabaseInstanceConfig> = {},
) =>
  new SqlDatabaseInstance(stack, 'db', {
    name: 'twenty',
    databaseVersion: 'POSTGRES_16',
    deletionProtection: true,
    ...top,
    settings: {
      tier: 'db-custom-1-3840',
      availabilityType: 'REGIONAL',
      deletionProtectionEnabled: true,
      backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true },
      ipConfiguration: { ipv4Enabled: true, sslMode: 'ENCRYPTED_ONLY' },
      retainBackupsOnDelete: true,
      connectorEnforcement: 'REQUIRED',
      ...settings,
    },
  });

const alertPolicy = (stack: TerraformStack, id: string, notificationChannels?: string[]) =>
  new MonitoringAlertPolicy(stack, id, {
    displayName: id,
    combiner: 'OR',
    notificationChannels,
    conditions: [
      {
        displayName: 'c',
        conditionThreshold: {
          filter: 'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision"',
          comparison: 'COMPARISON_GT',
          duration: '0s',
        },
      },
    ],
  });

const service = (
  stack: TerraformStack,
  template: Partial<CloudRunV2ServiceConfig['template']> = {},
  top: Partial<CloudRunV2ServiceConfig> = {},
) =>
  new CloudRunV2Service(stack, 'web', {
    name: 'twenty',
    location: 'us-east1',
    ...top,
    template: { serviceAccount: SA_EMAIL, containers: [{ image: IMAGE }], ...template },
  });

interface Case {
  rule: string;
  compliant: Build;
  nonCompliant: Build;
  findings: string[];
}

const CASES: Case[] = [
  {
    rule: 'SQL-BACKUPS',
    compliant: (s) => sql(s),
    nonCompliant: (s) => sql(s, { backupConfiguration: { enabled: false, pointInTimeRecoveryEnabled: true } }),
    findings: [
      '[SQL-BACKUPS] google_sql_database_instance.db: automated backups are off (settings.backup_configuration.enabled is false); set it to true',
    ],
  },
  {
    rule: 'SQL-PITR',
    compliant: (s) => sql(s),
    nonCompliant: (s) => sql(s, { backupConfiguration: { enabled: true } }),
    findings: [
      '[SQL-PITR] google_sql_database_instance.db: point-in-time recovery is off (settings.backup_configuration.point_in_time_recovery_enabled is unset); set it to true',
    ],
  },
  {
    rule: 'SQL-OPEN-NETWORK',
    compliant: (s) =>
      sql(s, { ipConfiguration: { ipv4Enabled: true, sslMode: 'ENCRYPTED_ONLY', authorizedNetworks: [] } }),
    nonCompliant: (s) =>
      sql(s, {
        ipConfiguration: {
          ipv4Enabled: true,
          sslMode: 'ENCRYPTED_ONLY',
          authorizedNetworks: [{ name: 'office', value: '203.0.113.0/24' }],
        },
      }),
    findings: [
      '[SQL-OPEN-NETWORK] google_sql_database_instance.db: public IP with authorized network "203.0.113.0/24" in production; remove it (Cloud Run connects through the socket, and a proxy or IAM-authenticated connector needs no network)',
    ],
  },
  {
    rule: 'SQL-UNENCRYPTED-TCP',
    compliant: (s) =>
      sql(s, { ipConfiguration: { ipv4Enabled: true, sslMode: 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED' } }),
    nonCompliant: (s) => sql(s, { ipConfiguration: { ipv4Enabled: true, sslMode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' } }),
    findings: [
      '[SQL-UNENCRYPTED-TCP] google_sql_database_instance.db: settings.ip_configuration.ssl_mode is "ALLOW_UNENCRYPTED_AND_ENCRYPTED"; set "ENCRYPTED_ONLY" or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"',
    ],
  },
  {
    rule: 'PROD-SQL-REGIONAL',
    compliant: (s) => sql(s),
    nonCompliant: (s) => sql(s, { availabilityType: 'ZONAL' }),
    findings: [
      '[PROD-SQL-REGIONAL] google_sql_database_instance.db: settings.availability_type is "ZONAL" in production; set "REGIONAL"',
    ],
  },
  {
    rule: 'PROD-DELETION-PROTECTION',
    compliant: (s) => {
      sql(s);
      service(s, {}, { deletionProtection: true });
    },
    nonCompliant: (s) => {
      sql(s, { deletionProtectionEnabled: false }, { deletionProtection: false });
      service(s, {}, { deletionProtection: false });
      new StorageBucket(s, 'files', {
        name: 'acme-files',
        location: 'US',
        publicAccessPrevention: 'enforced',
        forceDestroy: true,
      });
    },
    findings: [
      '[PROD-DELETION-PROTECTION] google_sql_database_instance.db: deletionProtection is false (deletion_protection) in production, so Terraform may destroy it; set it to true (a literal: an expression is only as safe as its value at plan time)',
      '[PROD-DELETION-PROTECTION] google_sql_database_instance.db: settings.deletionProtectionEnabled is false (settings.deletion_protection_enabled) in production, so the API (console, gcloud) can delete the instance; set it to true (a literal)',
      '[PROD-DELETION-PROTECTION] google_cloud_run_v2_service.web: deletionProtection is false (deletion_protection) in production, so Terraform may destroy it; set it to true (a literal: an expression is only as safe as its value at plan time)',
      '[PROD-DELETION-PROTECTION] google_storage_bucket.files: forceDestroy is true in production, so a destroy deletes every object; remove it or set it to false',
    ],
  },
  {
    rule: 'RUN-DEFAULT-SA',
    compliant: (s) => {
      const sa = new ServiceAccount(s, 'sa', { accountId: 'twenty-run' });
      service(s, { serviceAccount: sa.email });
      new CloudRunV2Job(s, 'job', {
        name: 'migrate',
        location: 'us-east1',
        template: { template: { serviceAccount: sa.email, containers: [{ image: IMAGE }] } },
      });
      new CloudRunV2WorkerPool(s, 'worker', {
        name: 'worker',
        location: 'us-east1',
        template: { serviceAccount: SA_EMAIL, containers: [{ image: IMAGE }] },
      });
    },
    nonCompliant: (s) => {
      service(s, { serviceAccount: undefined });
      new CloudRunV2Job(s, 'job', {
        name: 'migrate',
        location: 'us-east1',
        template: {
          template: {
            serviceAccount: '123456789012-compute@developer.gserviceaccount.com',
            containers: [{ image: IMAGE }],
          },
        },
      });
      new CloudRunV2WorkerPool(s, 'worker', {
        name: 'worker',
        location: 'us-east1',
        template: { containers: [{ image: IMAGE }] },
      });
    },
    findings: [
      '[RUN-DEFAULT-SA] google_cloud_run_v2_service.web: template.service_account is unset, so it runs as the Compute Engine default service account; give it a dedicated one',
      '[RUN-DEFAULT-SA] google_cloud_run_v2_job.job: template.template.service_account is the Compute Engine default service account "123456789012-compute@developer.gserviceaccount.com"; give it a dedicated one',
      '[RUN-DEFAULT-SA] google_cloud_run_v2_worker_pool.worker: template.service_account is unset, so it runs as the Compute Engine default service account; give it a dedicated one',
    ],
  },
  {
    rule: 'IAM-PRIMITIVE-ROLE',
    compliant: (s) => {
      new ProjectIamMember(s, 'logs', {
        project: 'acme-twenty-test',
        role: 'roles/logging.logWriter',
        member: `serviceAccount:${SA_EMAIL}`,
      });
      new DataGoogleIamPolicy(s, 'policy', {
        binding: [{ role: 'roles/storage.objectViewer', members: [`serviceAccount:${SA_EMAIL}`] }],
      });
    },
    nonCompliant: (s) => {
      new ProjectIamMember(s, 'editor', {
        project: 'acme-twenty-test',
        role: 'roles/editor',
        member: `serviceAccount:${SA_EMAIL}`,
      });
      new DataGoogleIamPolicy(s, 'policy', { binding: [{ role: 'roles/owner', members: ['user:admin@example.com'] }] });
    },
    findings: [
      '[IAM-PRIMITIVE-ROLE] google_project_iam_member.editor: grants the basic role "roles/editor" (role); use a predefined role such as roles/cloudsql.client',
      '[IAM-PRIMITIVE-ROLE] data.google_iam_policy.policy: grants the basic role "roles/owner" (binding.0.role); use a predefined role such as roles/cloudsql.client',
    ],
  },
  {
    rule: 'IAM-PROJECT-SECRET-ACCESSOR',
    compliant: (s) =>
      new SecretManagerSecretIamMember(s, 'read', {
        secretId: 'app-secret',
        role: 'roles/secretmanager.secretAccessor',
        member: `serviceAccount:${SA_EMAIL}`,
      }),
    nonCompliant: (s) =>
      new ProjectIamMember(s, 'read', {
        project: 'acme-twenty-test',
        role: 'roles/secretmanager.secretAccessor',
        member: `serviceAccount:${SA_EMAIL}`,
      }),
    findings: [
      '[IAM-PROJECT-SECRET-ACCESSOR] google_project_iam_member.read: grants "roles/secretmanager.secretAccessor" on the whole project; grant it on each secret with google_secret_manager_secret_iam_member',
    ],
  },
  {
    rule: 'SECRET-IN-STATE',
    compliant: (s) => {
      new SecretManagerSecretVersion(s, 'version', {
        secret: 'projects/p/secrets/s',
        secretDataWo: '${var.value}',
        secretDataWoVersion: 1,
      });
      new SqlUser(s, 'user', {
        instance: 'twenty',
        name: 'twenty',
        passwordWo: '${var.password}',
        passwordWoVersion: 1,
      });
    },
    nonCompliant: (s) => {
      new SecretManagerSecretVersion(s, 'version', { secret: 'projects/p/secrets/s', secretData: '${var.value}' });
      new SqlUser(s, 'user', { instance: 'twenty', name: 'twenty', password: '${var.password}' });
      new DataGoogleSecretManagerSecretVersion(s, 'read', { secret: 'app-secret' });
    },
    findings: [
      '[SECRET-IN-STATE] google_secret_manager_secret_version.version: secret_data is stored in state and shown in plans; write it with secret_data_wo and secret_data_wo_version instead',
      '[SECRET-IN-STATE] google_sql_user.user: password is stored in state and shown in plans; write it with password_wo and password_wo_version instead',
      "[SECRET-IN-STATE] data.google_secret_manager_secret_version.read: the data source google_secret_manager_secret_version copies the secret's value into state; let Cloud Run read it (secret_key_ref) or use an ephemeral resource",
    ],
  },
  {
    rule: 'BUCKET-PUBLIC',
    compliant: (s) => {
      new StorageBucket(s, 'files', { name: 'acme-files', location: 'US', publicAccessPrevention: 'enforced' });
      new StorageBucketIamMember(s, 'rw', {
        bucket: 'acme-files',
        role: 'roles/storage.objectUser',
        member: `serviceAccount:${SA_EMAIL}`,
      });
    },
    nonCompliant: (s) => {
      new StorageBucket(s, 'files', { name: 'acme-files', location: 'US' });
      new StorageBucketIamMember(s, 'public', {
        bucket: 'acme-files',
        role: 'roles/storage.objectViewer',
        member: 'allUsers',
      });
    },
    findings: [
      '[BUCKET-PUBLIC] google_storage_bucket.files: public_access_prevention is unset; set "enforced"',
      '[BUCKET-PUBLIC] google_storage_bucket_iam_member.public: grants access to allUsers (member is "allUsers"); grant named principals only',
    ],
  },
  {
    rule: 'API-DISABLE-ON-DESTROY',
    compliant: (s) => new ProjectService(s, 'run', { service: 'run.googleapis.com', disableOnDestroy: false }),
    nonCompliant: (s) => {
      new ProjectService(s, 'run', { service: 'run.googleapis.com' });
      new ProjectService(s, 'sql', { service: 'sqladmin.googleapis.com', disableOnDestroy: true });
    },
    findings: [
      '[API-DISABLE-ON-DESTROY] google_project_service.run: disable_on_destroy is unset (true in provider 6.x) for "run.googleapis.com"; set it to false',
      '[API-DISABLE-ON-DESTROY] google_project_service.sql: disable_on_destroy is true for "sqladmin.googleapis.com"; set it to false',
    ],
  },
  {
    rule: 'IMAGE-UNPINNED',
    compliant: (s) => {
      service(s);
      new CloudRunV2WorkerPool(s, 'worker', {
        name: 'worker',
        location: 'us-east1',
        template: {
          serviceAccount: SA_EMAIL,
          containers: [{ image: `docker.io/twentycrm/twenty@sha256:${'a'.repeat(64)}` }],
        },
      });
    },
    nonCompliant: (s) => {
      service(s, { containers: [{ image: 'docker.io/twentycrm/twenty:latest' }] });
      new CloudRunV2WorkerPool(s, 'worker', {
        name: 'worker',
        location: 'us-east1',
        template: { serviceAccount: SA_EMAIL, containers: [{ image: 'twentycrm/twenty' }] },
      });
    },
    findings: [
      '[IMAGE-UNPINNED] google_cloud_run_v2_service.web: template.containers.0.image is "docker.io/twentycrm/twenty:latest", which is not pinned; use a version tag (e.g. ":v2.45.0") or a digest ("@sha256:...")',
      '[IMAGE-UNPINNED] google_cloud_run_v2_worker_pool.worker: template.containers.0.image is "twentycrm/twenty", which is not pinned; use a version tag (e.g. ":v2.45.0") or a digest ("@sha256:...")',
    ],
  },
  {
    rule: 'PROD-SQL-RETAIN-BACKUPS',
    compliant: (s) => sql(s),
    nonCompliant: (s) => sql(s, { retainBackupsOnDelete: false }),
    findings: [
      '[PROD-SQL-RETAIN-BACKUPS] google_sql_database_instance.db: settings.retain_backups_on_delete is false in production; set it to true (CloudSqlSocketDatabase retainBackupsOnDelete)',
    ],
  },
  {
    rule: 'PROD-SQL-CONNECTORS',
    compliant: (s) => sql(s),
    nonCompliant: (s) => sql(s, { connectorEnforcement: 'NOT_REQUIRED' }),
    findings: [
      '[PROD-SQL-CONNECTORS] google_sql_database_instance.db: settings.connector_enforcement is "NOT_REQUIRED" in production; set "REQUIRED" (CloudSqlSocketDatabase requireConnectors)',
    ],
  },
  {
    rule: 'LB-TLS-POLICY',
    compliant: (s) => {
      const policy = new ComputeSslPolicy(s, 'tls', { name: 'tls', profile: 'MODERN', minTlsVersion: 'TLS_1_2' });
      new ComputeTargetHttpsProxy(s, 'proxy', { name: 'p', urlMap: 'm', sslCertificates: ['c'], sslPolicy: policy.id });
    },
    nonCompliant: (s) => {
      new ComputeSslPolicy(s, 'tls', { name: 'tls', profile: 'COMPATIBLE' });
      new ComputeTargetHttpsProxy(s, 'proxy', { name: 'p', urlMap: 'm', sslCertificates: ['c'] });
    },
    findings: [
      '[LB-TLS-POLICY] google_compute_ssl_policy.tls: min_tls_version is unset (TLS_1_0); set "TLS_1_2"',
      '[LB-TLS-POLICY] google_compute_target_https_proxy.proxy: ssl_policy is unset, so TLS 1.0 is accepted; attach an SSL policy with min_tls_version "TLS_1_2" (HttpsLoadBalancer does unless minTlsVersion is false)',
    ],
  },
  {
    rule: 'PROD-LB-ARMOR',
    compliant: (s) => {
      new ComputeBackendService(s, 'lb', {
        name: 'b',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        securityPolicy: 'armor',
      });
      new ComputeBackendService(s, 'internal', { name: 'i', loadBalancingScheme: 'INTERNAL_MANAGED' });
    },
    nonCompliant: (s) => {
      new ComputeBackendService(s, 'lb', { name: 'b', loadBalancingScheme: 'EXTERNAL_MANAGED' });
    },
    findings: [
      '[PROD-LB-ARMOR] google_compute_backend_service.lb: security_policy is unset on an internet-facing backend in production; let HttpsLoadBalancer create its Cloud Armor policy (cloudArmor) or give securityPolicy',
    ],
  },
  {
    rule: 'PROD-IMAGE-DIGEST',
    compliant: (s) => service(s),
    nonCompliant: (s) => service(s, { containers: [{ image: 'docker.io/twentycrm/twenty:v2.45.0' }] }),
    findings: [
      '[PROD-IMAGE-DIGEST] google_cloud_run_v2_service.web: template.containers.0.image is "docker.io/twentycrm/twenty:v2.45.0", pinned by tag only in production; add the digest of that tag (TwentyBackendService imageDigest, TwentyStack service.imageDigest)',
    ],
  },
  {
    rule: 'PROD-ALERT-CHANNEL',
    compliant: (s) => {
      const channel = new MonitoringNotificationChannel(s, 'oncall', {
        type: 'email',
        labels: { email_address: 'oncall@example.com' },
      });
      alertPolicy(s, 'up', [channel.id]);
      alertPolicy(s, 'pager', ['projects/acme-twenty-test/notificationChannels/123']);
    },
    nonCompliant: (s) => {
      alertPolicy(s, 'up', []);
      alertPolicy(s, 'unset');
    },
    findings: [
      '[PROD-ALERT-CHANNEL] google_monitoring_alert_policy.up: alert policy "up" notifies nobody in production (no notification channel); give TwentyMonitoring notificationEmails or notificationChannelIds (monitoring.notificationEmails in the environment config)',
      '[PROD-ALERT-CHANNEL] google_monitoring_alert_policy.unset: alert policy "unset" notifies nobody in production (no notification channel); give TwentyMonitoring notificationEmails or notificationChannelIds (monitoring.notificationEmails in the environment config)',
    ],
  },
];

test('every rule has a case, a unique id and a one-line rationale', () => {
  expect(CASES.map((c) => c.rule)).toEqual(GUARDRAIL_RULES.map((r) => r.id));
  expect(new Set(GUARDRAIL_RULES.map((r) => r.id)).size).toBe(GUARDRAIL_RULES.length);
  for (const r of GUARDRAIL_RULES) {
    expect(r.rationale).toMatch(/^[A-Za-z][^\n]{20,160}[^.]$/);
    expect(['error', 'warning']).toContain(r.severity);
    expect(['error', 'warning', 'off']).toContain(r.outsideProduction);
  }
});

describe.each(CASES.map((c) => [c.rule, c] as const))('%s', (id, c) => {
  test('compliant: no finding from any rule', () => {
    const r = check(true, c.compliant);
    expect([...r.errors, ...r.warnings, ...r.infos]).toEqual([]);
  });

  test("non-compliant in production: findings at the rule's severity that name the value and the fix", () => {
    const r = check(true, c.nonCompliant);
    const warning = GUARDRAIL_RULES.find((x) => x.id === id)!.severity === 'warning';
    const [own, other] = warning ? [r.warnings, r.errors] : [r.errors, r.warnings];
    expect(own.filter((m) => m.startsWith(`[${id}]`)).map(finding)).toEqual(c.findings);
    expect(other.filter((m) => m.startsWith(`[${id}]`))).toEqual([]);
    // Nothing but this rule's finding, and PROD-IMAGE-DIGEST's on the tag-only images these cases use.
    expect(
      [...r.errors, ...r.warnings].filter((m) => !m.startsWith(`[${id}]`) && !m.startsWith('[PROD-IMAGE-DIGEST]')),
    ).toEqual([]);
  });
});

test('the annotation says why and how to suppress', () => {
  const r = check(true, (s) => new ProjectService(s, 'run', { service: 'run.googleapis.com' }));
  expect(r.errors).toEqual([
    '[API-DISABLE-ON-DESTROY] google_project_service.run: disable_on_destroy is unset (true in provider 6.x) for "run.googleapis.com"; set it to false. ' +
      'Why: disabling an API on destroy breaks everything else in the project that uses it; provider 6.x does so unless told not to. ' +
      "To accept it: Guardrails.suppress(construct, 'API-DISABLE-ON-DESTROY', 'reason').",
  ]);
});

describe('outside production', () => {
  test('resilience rules warn, in the annotations and the synth output', () => {
    const r = check(false, (s) => sql(s, { backupConfiguration: { enabled: false } }));
    expect(r.errors).toEqual([]);
    expect(r.warnings.map(finding)).toEqual([
      '[SQL-BACKUPS] google_sql_database_instance.db: automated backups are off (settings.backup_configuration.enabled is false); set it to true',
      '[SQL-PITR] google_sql_database_instance.db: point-in-time recovery is off (settings.backup_configuration.point_in_time_recovery_enabled is unset); set it to true',
    ]);
    expect(r.log).toEqual([
      'guardrails test: warning [SQL-BACKUPS] google_sql_database_instance.db: automated backups are off (settings.backup_configuration.enabled is false); set it to true',
      'guardrails test: warning [SQL-PITR] google_sql_database_instance.db: point-in-time recovery is off (settings.backup_configuration.point_in_time_recovery_enabled is unset); set it to true',
    ]);
  });

  test('production-only rules are off', () => {
    const r = check(false, (s) =>
      sql(s, { availabilityType: 'ZONAL', deletionProtectionEnabled: false }, { deletionProtection: false }),
    );
    expect([...r.errors, ...r.warnings]).toEqual([]);
  });

  test('security rules stay errors', () => {
    const r = check(
      false,
      (s) => new ProjectIamMember(s, 'owner', { project: 'p', role: 'roles/owner', member: 'user:a@example.com' }),
    );
    expect(r.errors.map(finding)).toEqual([
      '[IAM-PRIMITIVE-ROLE] google_project_iam_member.owner: grants the basic role "roles/owner" (role); use a predefined role such as roles/cloudsql.client',
    ]);
  });
});

describe('reading the synthesized config', () => {
  test('an escape-hatch override is checked, not only the props', () => {
    const r = check(true, (s) => sql(s).addOverride('settings.backup_configuration.enabled', false));
    expect(r.errors.map(finding)).toEqual([
      '[SQL-BACKUPS] google_sql_database_instance.db: automated backups are off (settings.backup_configuration.enabled is false); set it to true',
    ]);
  });

  test('values known only at plan time are skipped', () => {
    const r = check(true, (s) => {
      const off = new TerraformVariable(s, 'disable', { type: 'bool' });
      new ProjectService(s, 'run', { service: 'run.googleapis.com', disableOnDestroy: off.booleanValue });
      new CloudRunV2Service(s, 'web', {
        name: 'w',
        location: 'us-east1',
        template: { serviceAccount: SA_EMAIL, containers: [{ image: off.stringValue }] },
      });
    });
    expect([...r.errors, ...r.warnings]).toEqual([]);
  });

  test('each finding is reported once, however often the stack is synthesized', () => {
    const stack = providerStack();
    new ProjectService(stack, 'run', { service: 'run.googleapis.com' });
    Aspects.of(stack).add(new Guardrails({ production: true, log: () => undefined }));
    Testing.synth(stack);
    Testing.synth(stack);
    expect(annotations(stack, '@cdktf/error')).toHaveLength(1);
  });

  test.each([
    ['docker.io/twentycrm/twenty:v2.45.0', true],
    [`twentycrm/twenty@sha256:${'0'.repeat(64)}`, true],
    [`twentycrm/twenty:v2.45.0@sha256:${'0'.repeat(64)}`, true],
    ['localhost:5000/twenty:v1', true],
    ['localhost:5000/twenty', false],
    ['twentycrm/twenty:latest', false],
    ['twentycrm/twenty', false],
    ['twentycrm/twenty:', false],
  ])('isPinnedImage(%s) is %s', (image, pinned) => {
    expect(isPinnedImage(image)).toBe(pinned);
  });
});

describe('errors fail the synth', () => {
  test('Testing.fullSynth (what app.synth() runs per stack) throws with the finding', () => {
    const stack = providerStack();
    new ProjectIamMember(stack, 'editor', { project: 'p', role: 'roles/editor', member: 'user:a@example.com' });
    Aspects.of(stack).add(new Guardrails({ production: false }));
    expect(() => Testing.fullSynth(stack)).toThrow(
      '[test/editor] [IAM-PRIMITIVE-ROLE] google_project_iam_member.editor: grants the basic role "roles/editor" (role); use a predefined role such as roles/cloudsql.client. Why:',
    );
  });
});

describe('suppressions', () => {
  const REASON = 'Break-glass admin for the migration weekend, removed in TICKET-42';

  test('a suppressed finding is an info annotation and a synth output line, and synth passes', () => {
    const stack = providerStack();
    const m = new ProjectIamMember(stack, 'editor', {
      project: 'p',
      role: 'roles/editor',
      member: 'user:a@example.com',
    });
    Guardrails.suppress(m, 'IAM-PRIMITIVE-ROLE', REASON);
    const log: string[] = [];
    Aspects.of(stack).add(new Guardrails({ production: true, log: (l) => log.push(l) }));
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    expect(annotations(stack, '@cdktf/error')).toEqual([]);
    expect(annotations(stack, '@cdktf/info')).toEqual([
      `[IAM-PRIMITIVE-ROLE] google_project_iam_member.editor: grants the basic role "roles/editor" (role); use a predefined role such as roles/cloudsql.client (suppressed: ${REASON})`,
    ]);
    expect(log).toEqual([
      `guardrails test: suppressed [IAM-PRIMITIVE-ROLE] google_project_iam_member.editor: grants the basic role "roles/editor" (role); use a predefined role such as roles/cloudsql.client — reason: ${REASON}`,
    ]);
  });

  test('a suppression on a construct covers the resources below it, for that rule only', () => {
    const r = check(true, (s) => {
      const group = new Construct(s, 'legacy');
      new ProjectIamMember(group, 'editor', { project: 'p', role: 'roles/editor', member: 'user:a@example.com' });
      new ProjectService(group, 'run', { service: 'run.googleapis.com' });
      Guardrails.suppress(group, 'IAM-PRIMITIVE-ROLE', REASON);
    });
    expect(r.infos).toHaveLength(1);
    expect(r.infos[0]).toMatch(/^\[IAM-PRIMITIVE-ROLE\] google_project_iam_member\.legacy_editor_[0-9A-F]{8}: /);
    expect(r.errors.map(finding)).toEqual([
      expect.stringMatching(
        /^\[API-DISABLE-ON-DESTROY\] google_project_service\.legacy_run_[0-9A-F]{8}: disable_on_destroy is unset/,
      ),
    ]);
  });

  test('a suppression of an unknown rule is an error, with a "did you mean" for a near id', () => {
    const r = check(true, (s) => Guardrails.suppress(new Construct(s, 'x'), 'IAM-PRIMATIVE-ROLE', REASON));
    expect(r.errors).toEqual([
      '[guardrails] suppression of unknown rule "IAM-PRIMATIVE-ROLE"; did you mean "IAM-PRIMITIVE-ROLE"?',
    ]);
    const far = check(true, (s) => Guardrails.suppress(new Construct(s, 'x'), 'NO-SUCH-THING', REASON));
    expect(far.errors).toEqual([
      `[guardrails] suppression of unknown rule "NO-SUCH-THING"; known rules: ${GUARDRAIL_RULES.map((x) => x.id).join(', ')}`,
    ]);
  });

  /** The synthApp report of a stack whose IAM-PRIMITIVE-ROLE finding is suppressed with `ruleId` and `reason`. */
  function suppressReport(ruleId: string, reason: string, on: 'construct' | 'stack' = 'construct'): string[] {
    const stack = providerStack();
    const m = new Construct(stack, 'legacy');
    new ProjectIamMember(m, 'editor', { project: 'p', role: 'roles/editor', member: 'user:a@example.com' });
    // Construction goes on: the problem is in the one report at synth, with the rest.
    expect(() => Guardrails.suppress(on === 'stack' ? stack : m, ruleId, reason)).not.toThrow();
    Aspects.of(stack).add(new Guardrails({ production: true, log: () => undefined }));
    const err: string[] = [];
    const result = synthApp(App.of(stack) as App, {
      err: (l) => err.push(l),
      out: () => undefined,
      setExitCode: false,
    });
    expect(result.ok).toBe(false);
    return err.join('\n').split('\n');
  }

  test.each([[''], ['   '], ['because']])(
    'a suppression needs a written reason: %j, refused in the synth report',
    (reason) => {
      const refused = `give a written reason (10 characters or more), got ${JSON.stringify(reason)}`;
      const lines = suppressReport('IAM-PRIMITIVE-ROLE', reason);
      // A refused suppression accepts nothing: the finding stays an error, in the same report.
      expect(lines).toEqual([
        'Synth failed: 2 problems in 1 stack.',
        'test:',
        '  test/legacy',
        `    - Guardrails.suppress(test/legacy, "IAM-PRIMITIVE-ROLE"): ${refused}`,
        '  test/legacy/editor',
        `    - [IAM-PRIMITIVE-ROLE] google_project_iam_member.legacy_editor_77B6A84A: grants the basic role "roles/editor" (role); use a predefined role such as roles/cloudsql.client. Why: basic roles grant thousands of permissions across every service; grant the predefined role the workload needs. To accept it: Guardrails.suppress(construct, 'IAM-PRIMITIVE-ROLE', 'reason').`,
        expect.stringMatching(
          /^No stack was written to \S+ \(earlier output of these stacks was removed\); fix the above and synth again\.$/,
        ),
      ]);
    },
  );

  test('a suppression needs a rule id', () => {
    const lines = suppressReport('', 'a written reason for it');
    expect(lines.slice(0, 4)).toEqual([
      'Synth failed: 2 problems in 1 stack.',
      'test:',
      '  test/legacy',
      `    - Guardrails.suppress(test/legacy, ""): give a rule id (${GUARDRAIL_RULES.map((x) => x.id).join(', ')}), got ""`,
    ]);
  });

  test('a refused suppression on the stack does not head the findings below it', () => {
    const lines = suppressReport('PROD-IMAGE-DIGEST', 'todo', 'stack');
    expect(lines.slice(0, 6)).toEqual([
      'Synth failed: 2 problems in 1 stack.',
      'test:',
      '  test',
      '    - Guardrails.suppress(test, "PROD-IMAGE-DIGEST"): give a written reason (10 characters or more), got "todo"',
      '  test/legacy/editor',
      expect.stringMatching(/^ {4}- \[IAM-PRIMITIVE-ROLE\] google_project_iam_member\.legacy_editor_77B6A84A: /),
    ]);
  });
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('example environment %s', (_name, env) => {
  test('passes every rule; the only suppression is the built-in one on the HMAC key', () => {
    const stack = new TwentyStack(testApp(), env);
    Testing.synth(stack);
    const guardrail = (m: string) => /^\[(guardrails|[A-Z-]+)\]/.test(m);
    // No real digest of the example's tag could be read here (no registry access), and none is
    // invented: prod warns about its tag-only images until its owner pins one.
    const digestWarnings = env.production && !env.service?.imageDigest ? 3 : 0;
    for (const level of ['@cdktf/error', '@cdktf/warn']) {
      const found = annotations(stack, level).filter(guardrail);
      if (level === '@cdktf/warn') {
        expect(found.filter((m) => !m.startsWith('[PROD-IMAGE-DIGEST]'))).toEqual([]);
        expect(found).toHaveLength(digestWarnings);
      } else expect(found).toEqual([]);
    }
    const suppressions = Guardrails.suppressionsOf(stack);
    expect(suppressions.map((x) => [x.ruleId, x.address.split('.')[0], x.reason])).toEqual([
      ['SECRET-IN-STATE', 'google_storage_hmac_key', HMAC_KEY_SUPPRESSION],
    ]);
    expect(annotations(stack, '@cdktf/info').filter(guardrail)).toEqual([
      `${suppressions[0].finding} (suppressed: ${HMAC_KEY_SUPPRESSION})`,
    ]);
  });

  test('is checked at its own severity', () => {
    expect(env.production).toBe(env.name === 'prod');
    expect(Aspects.of(new TwentyStack(testApp(), env)).all.filter((a) => a instanceof Guardrails)).toHaveLength(1);
  });
});

test('the README rule table lists every rule with its severities and rationale', () => {
  const readme = readFileSync(join(__dirname, '../..', 'README.md'), 'utf8');
  for (const r of GUARDRAIL_RULES) {
    const other = r.outsideProduction === 'off' ? 'off' : r.outsideProduction;
    expect(readme).toContain(`| \`${r.id}\` | ${r.severity} | ${other} | ${r.rationale} |`);
  }
});

describe('issue 13 bypasses: the rules read the final JSON', () => {
  const prod = envByName('prod');
  const errorsOf = (stack: TerraformStack) => {
    Testing.synth(stack);
    return annotations(stack, '@cdktf/error').map(finding);
  };

  test('protection set to an expression (`${var.protect}`) is an error in production', () => {
    const r = check(true, (s) => {
      const protect = new TerraformVariable(s, 'protect', { type: 'bool', default: false });
      sql(s, { deletionProtectionEnabled: protect.booleanValue }, { deletionProtection: protect.booleanValue });
      new StorageBucket(s, 'files', {
        name: 'acme-files',
        location: 'US',
        publicAccessPrevention: 'enforced',
        forceDestroy: protect.booleanValue,
      });
    });
    expect(r.errors.map(finding)).toEqual([
      '[PROD-DELETION-PROTECTION] google_sql_database_instance.db: deletionProtection is an expression, "${var.protect}" (deletion_protection) in production, so Terraform may destroy it; set it to true (a literal: an expression is only as safe as its value at plan time)',
      '[PROD-DELETION-PROTECTION] google_sql_database_instance.db: settings.deletionProtectionEnabled is an expression, "${var.protect}" (settings.deletion_protection_enabled) in production, so the API (console, gcloud) can delete the instance; set it to true (a literal)',
      '[PROD-DELETION-PROTECTION] google_storage_bucket.files: forceDestroy is an expression (force_destroy is "${var.protect}") in production, so a destroy deletes every object; remove it or set it to false',
    ]);
  });

  test('a user aspect added after the stack that turns protection off is seen', () => {
    const stack = new TwentyStack(testApp(), prod);
    Aspects.of(stack).add({
      visit(node) {
        if (node instanceof SqlDatabaseInstance) {
          node.deletionProtection = false;
          node.addOverride('settings.deletion_protection_enabled', false);
        }
      },
    });
    expect(errorsOf(stack)).toEqual([
      '[PROD-DELETION-PROTECTION] google_sql_database_instance.database_Instance_1B6129A2: deletionProtection of CloudSqlSocketDatabase "database" is false (deletion_protection) in production, so Terraform may destroy it; set it to true (a literal: an expression is only as safe as its value at plan time)',
      '[PROD-DELETION-PROTECTION] google_sql_database_instance.database_Instance_1B6129A2: deletionProtection of CloudSqlSocketDatabase "database" is false (settings.deletion_protection_enabled) in production, so the API (console, gcloud) can delete the instance; set it to true (a literal)',
    ]);
  });

  test('deletion_protection removed from the keys (provider default false) is an error; Cloud Run and SQL may omit it', () => {
    // hashicorp/google 6.50.0 (956f5109): google_secret_manager_secret `Default: false`;
    // Cloud Run v2 service, job and worker pool and the SQL instance `Default: true`.
    const stack = new TwentyStack(testApp(), prod);
    stack.backend.appSecret.secret.addOverride('deletion_protection', undefined);
    Aspects.of(stack).add({
      visit(node) {
        if (node instanceof SecretManagerSecret && node.node.path.includes('EncryptionKey'))
          node.addOverride('deletion_protection', undefined);
        if (
          node instanceof CloudRunV2Service ||
          node instanceof CloudRunV2WorkerPool ||
          node instanceof SqlDatabaseInstance
        )
          node.addOverride('deletion_protection', undefined);
      },
    });
    const json = synthJson(stack);
    const keyed = (type: string) =>
      Object.values<Record<string, unknown>>(json.resource[type]).filter((r) => 'deletion_protection' in r);
    expect(keyed('google_secret_manager_secret')).toEqual([]);
    expect(keyed('google_cloud_run_v2_service')).toEqual([]);
    expect(keyed('google_cloud_run_v2_worker_pool')).toEqual([]);
    expect(keyed('google_sql_database_instance')).toEqual([]);
    expect(errorsOf(stack)).toEqual([
      '[PROD-DELETION-PROTECTION] google_secret_manager_secret.server_AppSecret_B3DB98FB: deletion_protection is missing in production, though deletionProtection of TwentyBackendService "server" sets it: an override or aspect removed it, and google_secret_manager_secret defaults to false (hashicorp/google 6.50.0), so Terraform may destroy it; remove that override or aspect, or set it to true (a literal)',
      '[PROD-DELETION-PROTECTION] google_secret_manager_secret.server_EncryptionKey_Secret_8AEC94FF: deletion_protection is missing in production, though deletionProtection of TwentyBackendService "server" sets it: an override or aspect removed it, and google_secret_manager_secret defaults to false (hashicorp/google 6.50.0), so Terraform may destroy it; remove that override or aspect, or set it to true (a literal)',
    ]);
  });

  test('an aspect that clears prevent_destroy on APP_SECRET and ENCRYPTION_KEY is an error in production', () => {
    const stack = new TwentyStack(testApp(), prod);
    Aspects.of(stack).add({
      visit(node) {
        if (node instanceof SecretManagerSecret) node.addOverride('lifecycle.prevent_destroy', false);
        if (node instanceof SecretManagerSecretVersion && node.node.path.includes('EncryptionKey'))
          node.addOverride('lifecycle.prevent_destroy', undefined);
        if (node instanceof SecretManagerSecretVersion && node.node.path.includes('AppSecret'))
          node.addOverride('lifecycle.prevent_destroy', '${var.protect}');
      },
    });
    const said = (value: string) =>
      `lifecycle.prevent_destroy is ${value} in production, though deletionProtection of TwentyBackendService "server" sets it to true: an override or aspect changed it, so terraform destroy or a replacement deletes the resource; remove that override or aspect (prevent_destroy must stay a literal true)`;
    expect(errorsOf(stack)).toEqual([
      `[PROD-DELETION-PROTECTION] google_secret_manager_secret.server_AppSecret_B3DB98FB: ${said('false')}`,
      `[PROD-DELETION-PROTECTION] google_secret_manager_secret_version.server_AppSecret_Version_89F6AD11: ${said('an expression, "${var.protect}"')}`,
      `[PROD-DELETION-PROTECTION] google_secret_manager_secret.server_EncryptionKey_Secret_8AEC94FF: ${said('false')}`,
      `[PROD-DELETION-PROTECTION] google_secret_manager_secret_version.server_EncryptionKey_Version_E8807725: ${said('unset')}`,
    ]);
  });

  test('prevent_destroy is checked only where the library set it, and not outside production', () => {
    const r = check(true, (s) => new SecretManagerSecret(s, 'mine', { secretId: 'mine', replication: { auto: {} } }));
    expect(r.errors).toEqual([]);
    const dev = new TwentyStack(testApp(), envByName('dev'));
    Aspects.of(dev).add({
      visit(node) {
        if (node instanceof SecretManagerSecret) node.addOverride('lifecycle.prevent_destroy', false);
      },
    });
    expect(errorsOf(dev)).toEqual([]);
  });

  test('a stack-level addOverride that adds a roles/owner member is seen, and reported on the stack', () => {
    const stack = new TwentyStack(testApp(), prod);
    stack.addOverride('resource.google_project_iam_member.sneaky', {
      project: prod.projectId,
      role: 'roles/owner',
      member: 'user:eve@example.com',
    });
    Testing.synth(stack);
    expect(stack.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => finding(m.data))).toEqual([
      '[IAM-PRIMITIVE-ROLE] google_project_iam_member.sneaky: grants the basic role "roles/owner" (role); use a predefined role such as roles/cloudsql.client',
    ]);
  });

  test('booleans given as strings are read as Terraform reads them', () => {
    const r = check(true, (s) => {
      sql(s).addOverride('deletion_protection', 'false');
      new ProjectService(s, 'run', { service: 'run.googleapis.com' }).addOverride('disable_on_destroy', 'true');
      new ProjectService(s, 'sql', { service: 'sqladmin.googleapis.com' }).addOverride('disable_on_destroy', 'false');
    });
    expect(r.errors.map(finding)).toEqual([
      '[PROD-DELETION-PROTECTION] google_sql_database_instance.db: deletionProtection is false (deletion_protection) in production, so Terraform may destroy it; set it to true (a literal: an expression is only as safe as its value at plan time)',
      '[API-DISABLE-ON-DESTROY] google_project_service.run: disable_on_destroy is true for "run.googleapis.com"; set it to false',
    ]);
  });

  test('in production a suppression on the App or the stack is an error and silences nothing', () => {
    const app = testApp();
    const stack = new TwentyStack(app, prod);
    new ProjectIamMember(stack, 'editor', {
      project: prod.projectId,
      role: 'roles/editor',
      member: 'user:a@example.com',
    });
    Guardrails.suppress(app, 'IAM-PRIMITIVE-ROLE', '0123456789');
    Guardrails.suppress(stack, 'IAM-PRIMITIVE-ROLE', '0123456789');
    Testing.synth(stack);
    expect([...annotations(app, '@cdktf/error')].map(finding)).toEqual([
      '[guardrails] suppression of "IAM-PRIMITIVE-ROLE" on the App is not allowed in production, where it would silence the rule for every resource; suppress it on the construct that owns the resource',
      '[guardrails] suppression of "IAM-PRIMITIVE-ROLE" on the stack "twenty-prod" is not allowed in production, where it would silence the rule for every resource; suppress it on the construct that owns the resource',
      '[IAM-PRIMITIVE-ROLE] google_project_iam_member.editor: grants the basic role "roles/editor" (role); use a predefined role such as roles/cloudsql.client',
    ]);
  });

  test('outside production a stack-level suppression still applies, and is listed', () => {
    const stack = providerStack();
    new ProjectIamMember(stack, 'editor', { project: 'p', role: 'roles/editor', member: 'user:a@example.com' });
    Guardrails.suppress(stack, 'IAM-PRIMITIVE-ROLE', 'Sandbox project, no data, deleted weekly');
    Aspects.of(stack).add(new Guardrails({ production: false, log: () => undefined }));
    Testing.synth(stack);
    expect(annotations(stack, '@cdktf/error')).toEqual([]);
    expect(Guardrails.suppressionsOf(stack)).toEqual([
      {
        ruleId: 'IAM-PRIMITIVE-ROLE',
        address: 'google_project_iam_member.editor',
        finding:
          '[IAM-PRIMITIVE-ROLE] google_project_iam_member.editor: grants the basic role "roles/editor" (role); use a predefined role such as roles/cloudsql.client',
        reason: 'Sandbox project, no data, deleted weekly',
        on: 'test',
      },
    ]);
  });

  test('0.0.0.0/1 plus 128.0.0.0/1: every authorized network is an error in production, broad ones everywhere', () => {
    const networks = [{ value: '0.0.0.0/1' }, { value: '128.0.0.0/1' }, { value: '203.0.113.0/24' }];
    const build: Build = (s) =>
      sql(s, { ipConfiguration: { ipv4Enabled: true, sslMode: 'ENCRYPTED_ONLY', authorizedNetworks: networks } });
    expect(check(true, build).errors.map(finding)).toHaveLength(3);
    expect(check(false, build).errors.map(finding)).toEqual([
      '[SQL-OPEN-NETWORK] google_sql_database_instance.db: public IP with authorized network "0.0.0.0/1" (2147483648 addresses); remove it, or list exact client ranges of /16 or narrower',
      '[SQL-OPEN-NETWORK] google_sql_database_instance.db: public IP with authorized network "128.0.0.0/1" (2147483648 addresses); remove it, or list exact client ranges of /16 or narrower',
    ]);
  });

  test('SECRET-IN-STATE covers resources that compute a secret; an ephemeral random_password is fine', () => {
    const r = check(false, (s) => {
      new ServiceAccountKey(s, 'key', { serviceAccountId: 'twenty-run' });
      new TerraformResource(s, 'pw', { terraformResourceType: 'random_password' }).addOverride('length', 32);
      new TerraformResource(s, 'tls', { terraformResourceType: 'tls_private_key' }).addOverride('algorithm', 'ED25519');
      s.addOverride('ephemeral.random_password.eph', { length: 32 });
    });
    expect(r.errors.map(finding)).toEqual([
      '[SECRET-IN-STATE] google_service_account_key.key: google_service_account_key computes a secret (private_key) that Terraform keeps in state in plain text; avoid it, or keep the state bucket as closely guarded as the secret',
      '[SECRET-IN-STATE] random_password.pw: random_password computes a secret (result) that Terraform keeps in state in plain text; use an ephemeral random_password and write it with a *_wo argument',
      '[SECRET-IN-STATE] tls_private_key.tls: tls_private_key computes a secret (private_key_pem) that Terraform keeps in state in plain text; avoid it, or keep the state bucket as closely guarded as the secret',
    ]);
  });

  test('SECRET-IN-STATE finds a nested write-only twin in a prebuilt Google binding', () => {
    const r = check(false, (s) => {
      new MonitoringUptimeCheckConfig(s, 'uptime', {
        displayName: 'twenty',
        timeout: '10s',
        httpCheck: { authInfo: { username: 'probe', password: '${var.password}' } },
      });
    });
    expect(r.errors.map(finding)).toEqual([
      '[SECRET-IN-STATE] google_monitoring_uptime_check_config.uptime: http_check.auth_info.password is stored in state and shown in plans; write it with password_wo and password_wo_version instead',
    ]);
  });

  describe('SECRET-IN-STATE asks the getters of any binding not in PREBUILT_WRITE_ONLY', () => {
    /** A nested block whose binding offers `token_wo`, which no prebuilt Google binding has. */
    class AuthBlock {
      get tokenWoInput() {
        return undefined;
      }
    }
    class Binding extends TerraformResource {
      constructor(scope: Construct, id: string, metadata?: TerraformProviderGeneratorMetadata) {
        super(scope, id, { terraformResourceType: 'acme_thing', terraformGeneratorMetadata: metadata });
        this.addOverride('auth', { token: '${var.token}' });
      }
      get auth() {
        return new AuthBlock();
      }
    }
    const FINDING =
      '[SECRET-IN-STATE] acme_thing.thing: auth.token is stored in state and shown in plans; write it with token_wo and token_wo_version instead';
    const findings = (metadata?: TerraformProviderGeneratorMetadata) =>
      check(false, (s) => new Binding(s, 'thing', metadata)).errors.map(finding);

    test.each([
      ['no generator metadata (a hand-written binding)', undefined],
      ['another provider', { providerName: 'random', providerVersion: '3.7.2' }],
      ['google at another release', { providerName: 'google', providerVersion: '6.51.0' }],
      ['google-beta at another release', { providerName: 'google-beta', providerVersion: '7.0.0' }],
    ])('%s: auth.token with a tokenWoInput getter is flagged', (_, metadata) => {
      expect(findings(metadata)).toEqual([FINDING]);
    });

    test('control: at google 6.50.0 the derived list answers, so the same binding is not walked', () => {
      expect(findings({ providerName: 'google', providerVersion: '6.50.0' })).toEqual([]);
    });
  });

  test('messages speak the construct props: deletionProtection: false on the service, not force_destroy', () => {
    const stack = new TwentyStack(testApp(), { ...prod, service: { ...prod.service, deletionProtection: false } });
    expect(errorsOf(stack)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^\[PROD-DELETION-PROTECTION\] google_storage_bucket\.server_Files_Bucket_[0-9A-F]{8}: deletionProtection of TwentyBackendService "server" is false in production, so a destroy deletes the bucket with every object \(force_destroy is true\); set it to true$/,
        ),
        expect.stringMatching(
          /^\[PROD-DELETION-PROTECTION\] google_cloud_run_v2_service\.server_Service_[0-9A-F]{8}: deletionProtection of TwentyBackendService "server" is false \(deletion_protection\)/,
        ),
      ]),
    );
  });

  test('a zonal production database is reported as the highAvailability prop', () => {
    const stack = new TwentyStack(testApp(), { ...prod, database: { ...prod.database, highAvailability: false } });
    expect(errorsOf(stack)).toEqual([
      '[PROD-SQL-REGIONAL] google_sql_database_instance.database_Instance_1B6129A2: highAvailability of CloudSqlSocketDatabase "database" is false in production, so settings.availability_type is "ZONAL"; set highAvailability: true',
    ]);
  });

  test('app.synth() writes the JSON the rules checked: one resolution, suppressions recorded for the review', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'guardrails-'));
    try {
      const app = new App({ outdir, stackTraces: false });
      const stack = new TwentyStack(app, envByName('dev'));
      const spy = jest.spyOn(TerraformStack.prototype, 'toTerraform');
      app.synth();
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockRestore();
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
      expect(json['//'][SUPPRESSIONS_KEY].suppressions.map((x: { ruleId: string }) => x.ruleId)).toEqual([
        'SECRET-IN-STATE',
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
