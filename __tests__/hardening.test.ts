/**
 * Hardened defaults (issue 13 item 5), each with its opt-out: Cloud SQL connector enforcement,
 * pgAudit, retained backups, the instance-scoped cloudsql.client grant; key secrets' deletion
 * protection and version destroy TTL; the Docker Hub mirror and digest pin; Secret Manager
 * Data Access audit logs and Cloud Armor in production; what the outputs say about state.
 */
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import {
  CloudSqlSocketDatabase,
  CloudSqlSocketDatabaseProps,
  clientCondition,
} from '../constructs/database/cloud-sql-socket-database';
import { DockerHubMirror } from '../constructs/backend/image-mirror';
import { Grantee } from '../constructs/gcp/grantee';
import { SecretAccessAuditLogs } from '../constructs/gcp/secret-access-audit-logs';
import { REQUIRED_APIS, TwentyStack } from '../constructs/stack/twenty-stack';
import { backend, backendParts } from './support/backend';
import {
  envByName,
  errorsOf,
  Json,
  onlyResource,
  problemsOf,
  providerStack,
  resourcesOfType,
  synthEnv,
  synthJson,
  testApp,
} from './support/synth';

const DIGEST = `sha256:${'c'.repeat(64)}`;

function database(props: Partial<CloudSqlSocketDatabaseProps> = {}) {
  const stack = providerStack();
  const db = new CloudSqlSocketDatabase(stack, 'db', {
    instanceName: 'twenty-test',
    twentyVersion: 'v2.45.0',
    ...props,
  });
  db.grantConnect(new Grantee(stack, new ServiceAccount(stack, 'sa', { accountId: 'twenty-test-sa' }).member));
  const json = synthJson(stack);
  return {
    instance: onlyResource(json, 'google_sql_database_instance'),
    grant: onlyResource(json, 'google_project_iam_member'),
  };
}

/** The secret resource whose secret_id ends with `suffix`. */
const secretEnding = (json: Json, suffix: string) =>
  resourcesOfType(json, 'google_secret_manager_secret').find((s) => s.secret_id.endsWith(suffix));

describe('Cloud SQL', () => {
  test('defaults: connectors required, pgAudit on DDL and roles, backups kept after delete', () => {
    const { instance } = database();
    expect(instance.settings).toMatchObject({
      connector_enforcement: 'REQUIRED',
      retain_backups_on_delete: true,
      database_flags: [
        { name: 'cloudsql.enable_pgaudit', value: 'on' },
        { name: 'pgaudit.log', value: 'ddl,role' },
      ],
    });
  });

  test('opt-outs', () => {
    const { instance } = database({ requireConnectors: false, auditDdl: false, retainBackupsOnDelete: false });
    expect(instance.settings.connector_enforcement).toBe('NOT_REQUIRED');
    expect(instance.settings.retain_backups_on_delete).toBe(false);
    expect(instance.settings.database_flags).toBeUndefined();
  });

  test('roles/cloudsql.client is limited to this instance by an IAM condition, new grant first', () => {
    const { grant } = database();
    expect(grant).toMatchObject({
      role: 'roles/cloudsql.client',
      condition: {
        title: 'cloudsql-client-twenty-test',
        expression:
          "resource.name == 'projects/acme-twenty-test/instances/twenty-test' && resource.type == 'sqladmin.googleapis.com/Instance'",
      },
      lifecycle: { create_before_destroy: true },
    });
    expect(clientCondition('p', 'i').expression).toBe(
      "resource.name == 'projects/p/instances/i' && resource.type == 'sqladmin.googleapis.com/Instance'",
    );
    const open = database({ limitClientToInstance: false }).grant;
    expect(open.condition).toBeUndefined();
    expect(open.lifecycle).toBeUndefined();
  });
});

describe('key secrets', () => {
  test('APP_SECRET and ENCRYPTION_KEY: deletion protection, 7-day version destroy TTL; other secrets untouched', () => {
    const json = synthJson(backend().stack);
    for (const suffix of ['-app-secret', '-encryption-key']) {
      expect(secretEnding(json, suffix)).toMatchObject({ deletion_protection: true, version_destroy_ttl: '604800s' });
    }
    for (const suffix of ['-pg-database-url', '-hmac-secret']) {
      expect(secretEnding(json, suffix).deletion_protection).toBeUndefined();
      expect(secretEnding(json, suffix).version_destroy_ttl).toBeUndefined();
    }
  });

  test('opt-outs: deletionProtection false, keyVersionDestroyTtl false or another duration', () => {
    const off = synthJson(backend({ deletionProtection: false, keyVersionDestroyTtl: false }).stack);
    expect(secretEnding(off, '-app-secret')).toMatchObject({ deletion_protection: false });
    expect(secretEnding(off, '-app-secret').version_destroy_ttl).toBeUndefined();
    const day = synthJson(backend({ keyVersionDestroyTtl: '86400s' }).stack);
    expect(secretEnding(day, '-encryption-key').version_destroy_ttl).toBe('86400s');
  });

  test('a malformed TTL is refused', () => {
    expect(problemsOf(() => backend({ keyVersionDestroyTtl: '7d' }))).toEqual([
      'TwentyBackendService test/server: keyVersionDestroyTtl "7d" is invalid; give a duration in seconds ending in "s" (e.g. "604800s"), or false',
    ]);
  });
});

describe('images', () => {
  test('pulled through a Docker Hub remote repository in the region; service, worker and job wait for it', () => {
    const { stack, server } = backend();
    const json = synthJson(stack);
    const [key, repo] = Object.entries(json.resource.google_artifact_registry_repository)[0] as [string, Json];
    expect(repo).toEqual({
      project: 'acme-twenty-test',
      location: 'us-east1',
      repository_id: 'twenty-test-dockerhub',
      format: 'DOCKER',
      mode: 'REMOTE_REPOSITORY',
      description: 'Docker Hub, cached for Cloud Run',
      remote_repository_config: { description: 'Docker Hub', docker_repository: { public_repository: 'DOCKER_HUB' } },
    });
    expect(server.image).toBe(
      'us-east1-docker.pkg.dev/acme-twenty-test/twenty-test-dockerhub/twentycrm/twenty:v2.45.0',
    );
    for (const type of ['google_cloud_run_v2_service', 'google_cloud_run_v2_worker_pool', 'google_cloud_run_v2_job']) {
      expect(onlyResource(json, type).depends_on).toContain(`google_artifact_registry_repository.${key}`);
    }
    // No IAM grant: Cloud Run's service agent reads a repository of its own project.
    expect(resourcesOfType(json, 'google_artifact_registry_repository_iam_member')).toEqual([]);
  });

  test('digest pin through the mirror; opt-outs: own repository, or Docker Hub directly', () => {
    expect(backend({ imageDigest: DIGEST }).server.image).toBe(
      `us-east1-docker.pkg.dev/acme-twenty-test/twenty-test-dockerhub/twentycrm/twenty:v2.45.0@${DIGEST}`,
    );
    const own = backend({ imageRepository: 'europe-docker.pkg.dev/acme/images/twenty' });
    expect(own.server.image).toBe('europe-docker.pkg.dev/acme/images/twenty:v2.45.0');
    expect(resourcesOfType(synthJson(own.stack), 'google_artifact_registry_repository')).toEqual([]);
    const direct = backend({ imageMirror: false });
    expect(direct.server.image).toBe('docker.io/twentycrm/twenty:v2.45.0');
    expect(direct.server.imageMirror).toBeUndefined();
  });

  test('bad input: both mirror and repository; an invalid repository id', () => {
    expect(
      problemsOf(() => backend({ imageMirror: true, imageRepository: 'europe-docker.pkg.dev/acme/images/twenty' })),
    ).toEqual([
      'TwentyBackendService test/server: imageMirror and imageRepository are both given; the mirror sets the repository, so give one of them',
    ]);
    const { build } = backendParts({ imageMirrorRepositoryId: 'Docker_Hub' });
    expect(problemsOf(build)).toEqual([
      'DockerHubMirror test/server/ImageMirror: repository id "Docker_Hub" is invalid; use lowercase letters, digits and hyphens, start with a letter, at most 63 characters',
    ]);
  });

  test('the stack enables the Artifact Registry API', () => {
    expect(REQUIRED_APIS).toContain('artifactregistry.googleapis.com');
    expect(new DockerHubMirror(providerStack(), 'm', { project: 'p', region: 'europe-west1' }).registryPath).toBe(
      'europe-west1-docker.pkg.dev/p/dockerhub',
    );
  });
});

describe('environments', () => {
  const prod = synthEnv(envByName('prod'));
  const dev = synthEnv(envByName('dev'));

  test('production: Data Access audit logs for Secret Manager (reads of metadata and of values)', () => {
    expect(onlyResource(prod, 'google_project_iam_audit_config')).toMatchObject({
      project: 'acme-twenty-prod',
      service: 'secretmanager.googleapis.com',
      audit_log_config: [{ log_type: 'ADMIN_READ' }, { log_type: 'DATA_READ' }],
    });
    expect(resourcesOfType(dev, 'google_project_iam_audit_config')).toEqual([]);
    const custom = providerStack();
    new SecretAccessAuditLogs(custom, 'audit', { project: 'p', logTypes: ['DATA_READ'] });
    expect(onlyResource(synthJson(custom), 'google_project_iam_audit_config').audit_log_config).toEqual([
      { log_type: 'DATA_READ' },
    ]);
  });

  test('secretAccessAuditLogs: false leaves the audit config to its other owner; in production with a warning', () => {
    const warnings = (stack: TwentyStack) =>
      stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data as string);
    const off = new TwentyStack(testApp(), { ...envByName('prod'), secretAccessAuditLogs: false });
    expect(resourcesOfType(synthJson(off), 'google_project_iam_audit_config')).toEqual([]);
    expect(off.node.tryFindChild('secret-audit')).toBeUndefined();
    expect(warnings(off)).toEqual([
      'secretAccessAuditLogs is false in a production environment: this stack does not turn on Data Access audit logs for Secret Manager, so reads of secrets are not logged unless the audit config for secretmanager.googleapis.com is managed elsewhere in the project',
    ]);
    expect(errorsOf(off)).toEqual([]);
    // Outside production the logs are opt-in, and turning them on warns about nothing.
    const on = new TwentyStack(testApp(), { ...envByName('dev'), secretAccessAuditLogs: true });
    expect(onlyResource(synthJson(on), 'google_project_iam_audit_config')).toMatchObject({
      project: 'acme-twenty-dev',
      service: 'secretmanager.googleapis.com',
    });
    expect(warnings(on)).toEqual([]);
    expect(warnings(new TwentyStack(testApp(), envByName('prod')))).toEqual([]);
  });

  test('production load balancer: Cloud Armor on the backend, TLS 1.2 policy, request logging', () => {
    const policy = Object.keys(prod.resource.google_compute_security_policy)[0];
    expect(onlyResource(prod, 'google_compute_backend_service')).toMatchObject({
      security_policy: `\${google_compute_security_policy.${policy}.id}`,
      log_config: { enable: true, sample_rate: 1 },
    });
    expect(onlyResource(prod, 'google_compute_ssl_policy')).toMatchObject({
      min_tls_version: 'TLS_1_2',
      profile: 'MODERN',
    });
  });

  test('outputs and README say what is in state: the HMAC secret is', () => {
    expect(prod.output.secret_ids.description).toBe(
      'Secret Manager ids. Values are written write-only and are not in state, except the HMAC secret behind STORAGE_S3_SECRET_ACCESS_KEY, which google_storage_hmac_key keeps in state',
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const readme: string = require('fs').readFileSync(require('path').join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).not.toMatch(/Nothing secret is stored in state/);
    expect(readme).toMatch(/HMAC key's secret .*in state/s);
  });
});
