/** Unit and snapshot tests per public construct, synthesized in a bare provider stack. */
import { Construct } from 'constructs';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { CloudSqlSocketDatabase, Grantee, TwentyBackendServiceProps, UpstashRedisConfig } from '../constructs';
import { buildPgDatabaseUrl, encodeUrlComponent, withCredentials } from '../constructs/database/pg-url';
import { setSynthWarningPrinter } from '../constructs/core/synth-warnings';
import {
  checkTwentyVersion,
  MIN_SUPPORTED_VERSION,
  migrationScript,
  parseTwentyVersion,
  requirementsFor,
  s3RegionFor,
} from '../constructs/twenty/versions';
import { backend } from './support/backend';
import { Json, onlyResource, providerStack, resourcesOfType, synthJson } from './support/synth';

const CONNECTION = '${google_sql_database_instance.db_Instance_E3B60D31.connection_name}';

/** The Annotations warnings about the Twenty version, of a stack's constructs. */
function warningsOf(stack: TerraformStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)))
    .filter((m) => m.startsWith('Twenty '));
}

describe('CloudSqlSocketDatabase', () => {
  test('snapshot', () => {
    const stack = providerStack();
    new CloudSqlSocketDatabase(stack, 'db', { instanceName: 'twenty-test', twentyVersion: 'v2.45.0' });
    expect(synthJson(stack)).toMatchSnapshot();
  });

  test('secure defaults: ZONAL, both deletion guards on, PITR, query insights, ABANDON on drop', () => {
    const stack = providerStack();
    new CloudSqlSocketDatabase(stack, 'db', { instanceName: 'twenty-test', twentyVersion: 'v2.45.0' });
    const json = synthJson(stack);
    const instance = onlyResource(json, 'google_sql_database_instance');
    expect(instance).toMatchObject({
      region: 'us-east1',
      database_version: 'POSTGRES_16',
      deletion_protection: true,
      settings: {
        edition: 'ENTERPRISE',
        availability_type: 'ZONAL',
        deletion_protection_enabled: true,
        backup_configuration: {
          enabled: true,
          point_in_time_recovery_enabled: true,
          transaction_log_retention_days: 7,
        },
        insights_config: { query_insights_enabled: true },
      },
    });
    expect(onlyResource(json, 'google_sql_user')).toMatchObject({ deletion_policy: 'ABANDON' });
    expect(onlyResource(json, 'google_sql_database')).toMatchObject({ name: 'twenty', deletion_policy: 'ABANDON' });
  });

  test("one version drives both writes: the user's password follows the URL secret version, which follows every URL input", () => {
    const stack = providerStack();
    new CloudSqlSocketDatabase(stack, 'db', {
      instanceName: 'twenty-test',
      twentyVersion: 'v2.45.0',
      passwordVersion: 3,
    });
    const json = synthJson(stack);
    const [versionKey] = Object.keys(json.resource.google_secret_manager_secret_version);
    const [inputsKey] = Object.keys(json.resource.terraform_data);
    const version = json.resource.google_secret_manager_secret_version[versionKey];
    expect(version.secret_data_wo_version).toBe(3);
    expect(version.lifecycle.replace_triggered_by).toEqual([`terraform_data.${inputsKey}`]);
    expect(json.resource.terraform_data[inputsKey].triggers_replace).toEqual({
      project: 'acme-twenty-test',
      instance: 'twenty-test',
      user: 'twenty',
      database: 'twenty',
      scheme: 'postgresql',
    });
    const user = onlyResource(json, 'google_sql_user');
    expect(user.password_wo_version).toBe(
      `\${parseint(substr(sha256(google_secret_manager_secret_version.${versionKey}.create_time), 0, 7), 16)}`,
    );
    // Both write the same ephemeral value; no cycle: the version does not depend on the user.
    expect(user.password_wo).toBe('${ephemeral.random_password.db_password.result}');
    expect(version.secret_data_wo).toContain('ephemeral.random_password.db_password.result');
    expect(JSON.stringify(version)).not.toContain('google_sql_user');
  });

  test('secret replicas stay in the region; random provider is declared for the ephemeral password', () => {
    const stack = providerStack('europe-west1');
    new CloudSqlSocketDatabase(stack, 'db', { instanceName: 'twenty-test', twentyVersion: 'v2.45.0' });
    const json = synthJson(stack);
    expect(onlyResource(json, 'google_secret_manager_secret').replication).toEqual({
      user_managed: { replicas: [{ location: 'europe-west1' }] },
    });
    expect(json.terraform.required_providers.random).toEqual({ source: 'hashicorp/random', version: '>= 3.7.0' });
    expect(json.ephemeral.random_password.db_password).toMatchObject({ length: 32, special: false });
  });

  test('mount is the /cloudsql volume and mount; grantConnect(grantee) grants cloudsql.client once per grantee, under the id the grantee gives', () => {
    const stack = providerStack();
    const db = new CloudSqlSocketDatabase(stack, 'db', { instanceName: 'twenty-test', twentyVersion: 'v2.45.0' });
    const sa = new ServiceAccount(stack, 'sa', { accountId: 'twenty-test-sa' });
    const grantee = new Grantee(stack, sa.member).withId(db, 'sa');
    const a = db.grantConnect(grantee);
    expect(db.grantConnect(grantee)).toBe(a);
    expect(a.node.id).toBe('Client-sa');
    expect(db.mount.volumeMount).toEqual({ name: 'cloudsql', mountPath: '/cloudsql' });
    new TerraformOutput(stack, 'volume', { value: db.mount.volume });
    new TerraformOutput(stack, 'socket_directory', { value: db.socketDirectory });
    const json = synthJson(stack);
    expect(json.output.volume.value).toEqual({ name: 'cloudsql', cloudSqlInstance: { instances: [CONNECTION] } });
    expect(json.output.socket_directory.value).toBe(`/cloudsql/${CONNECTION}`);
    expect(resourcesOfType(json, 'google_project_iam_member')).toEqual([
      expect.objectContaining({ role: 'roles/cloudsql.client', member: '${google_service_account.sa.member}' }),
    ]);
  });

  test('explicit max_connections becomes a database flag', () => {
    const stack = providerStack();
    new CloudSqlSocketDatabase(stack, 'db', {
      instanceName: 'twenty-test',
      twentyVersion: 'v2.45.0',
      maxConnections: 200,
    });
    expect(onlyResource(synthJson(stack), 'google_sql_database_instance').settings.database_flags).toEqual([
      { name: 'max_connections', value: '200' },
      { name: 'cloudsql.enable_pgaudit', value: 'on' },
      { name: 'pgaudit.log', value: 'ddl,role' },
    ]);
  });
});

describe('UpstashRedisConfig', () => {
  test('snapshot: an ephemeral, sensitive variable written write-only', () => {
    const stack = providerStack();
    new UpstashRedisConfig(stack, 'redis');
    expect(synthJson(stack)).toMatchSnapshot();
  });

  test('two in one stack get their own variable and secret, named from their path; `redis` keeps the old names', () => {
    const stack = providerStack();
    const team = new Construct(stack, 'Sales');
    const configs = [
      new UpstashRedisConfig(stack, 'redis'),
      new UpstashRedisConfig(stack, 'queue'),
      new UpstashRedisConfig(team, 'Redis'),
    ];
    const json = synthJson(stack);
    expect(Object.keys(json.variable).sort()).toEqual([
      'upstash_queue_url',
      'upstash_redis_url',
      'upstash_sales_redis_url',
    ]);
    expect(
      resourcesOfType(json, 'google_secret_manager_secret')
        .map((s) => s.secret_id)
        .sort(),
    ).toEqual(['twenty-queue-url', 'twenty-redis-url', 'twenty-sales-redis-url']);
    expect(configs.map((c) => [c.variableName, c.secretId])).toEqual([
      ['upstash_redis_url', 'twenty-redis-url'],
      ['upstash_queue_url', 'twenty-queue-url'],
      ['upstash_sales_redis_url', 'twenty-sales-redis-url'],
    ]);
    // Each version is written from its own variable.
    const written = resourcesOfType(json, 'google_secret_manager_secret_version')
      .map((v) => v.secret_data_wo)
      .sort();
    expect(written).toEqual(['${var.upstash_queue_url}', '${var.upstash_redis_url}', '${var.upstash_sales_redis_url}']);
  });

  test('an existing secret creates nothing but the grant', () => {
    const stack = providerStack();
    const redis = new UpstashRedisConfig(stack, 'redis', { existingSecretId: 'upstash-url' });
    const grant = redis.grantRead(
      new Grantee(stack, 'serviceAccount:x@acme-twenty-test.iam.gserviceaccount.com').withId(redis, 'grant'),
    );
    expect(grant.node.path).toBe(`${stack.node.path}/grant`);
    const json = synthJson(stack);
    expect(json.variable).toBeUndefined();
    expect(resourcesOfType(json, 'google_secret_manager_secret')).toHaveLength(0);
    expect(onlyResource(json, 'google_secret_manager_secret_iam_member')).toMatchObject({
      secret_id: 'upstash-url',
      role: 'roles/secretmanager.secretAccessor',
    });
    expect(redis.secretName).toBe('projects/acme-twenty-test/secrets/upstash-url');
  });
});

describe('TwentyBackendService', () => {
  test('snapshot', () => {
    const { stack } = backend();
    expect(synthJson(stack)).toMatchSnapshot();
  });

  test('extra env and extra secrets: plain values stay plain, secrets get a grant each', () => {
    const { stack } = backend({
      extraEnv: { IS_MULTIWORKSPACE_ENABLED: 'false', EMAIL_SMTP_HOST: 'smtp.example.com' },
      extraSecrets: { EMAIL_SMTP_PASSWORD: { secretId: 'smtp-password', version: '2' } },
    });
    const json = synthJson(stack);
    const env: Json[] = onlyResource(json, 'google_cloud_run_v2_service').template.containers[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'IS_MULTIWORKSPACE_ENABLED', value: 'false' },
        { name: 'EMAIL_SMTP_HOST', value: 'smtp.example.com' },
        {
          name: 'EMAIL_SMTP_PASSWORD',
          value_source: { secret_key_ref: { secret: 'projects/acme-twenty-test/secrets/smtp-password', version: '2' } },
        },
      ]),
    );
    expect(resourcesOfType(json, 'google_secret_manager_secret_iam_member')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ secret_id: 'smtp-password', role: 'roles/secretmanager.secretAccessor' }),
      ]),
    );
  });

  test('the migration token changes when the image changes, and only then', () => {
    const token = (props: Partial<TwentyBackendServiceProps>) =>
      onlyResource(synthJson(backend(props).stack), 'google_cloud_run_v2_job').run_execution_token;
    const base = token({});
    expect(token({})).toBe(base);
    expect(token({ maxInstances: 3 })).toBe(base);
    expect(token({ twentyVersion: 'v2.45.1' })).not.toBe(base);
    expect(token({ imageDigest: `sha256:${'a'.repeat(64)}` })).not.toBe(base);
  });

  test('image by digest and mirror repository', () => {
    const { server } = backend({
      imageRepository: 'us-east1-docker.pkg.dev/acme/dockerhub/twentycrm/twenty',
      imageDigest: `sha256:${'b'.repeat(64)}`,
    });
    expect(server.image).toBe(
      `us-east1-docker.pkg.dev/acme/dockerhub/twentycrm/twenty:v2.45.0@sha256:${'b'.repeat(64)}`,
    );
  });

  test('every supported release gets ENCRYPTION_KEY and APP_SECRET (releases before v2.5 had no ENCRYPTION_KEY)', () => {
    const { stack, server } = backend({ twentyVersion: MIN_SUPPORTED_VERSION });
    expect(server.encryptionKey).toBeDefined();
    const env: Json[] = onlyResource(synthJson(stack), 'google_cloud_run_v2_service').template.containers[0].env;
    expect(env.map((e) => e.name)).toEqual(expect.arrayContaining(['ENCRYPTION_KEY', 'APP_SECRET']));
    expect(requirementsFor(parseTwentyVersion('v2.4.0')!).encryptionKey).toBe(false);
  });

  test('disableWorker removes the worker pool and warns loudly', () => {
    const { stack, server } = backend({ disableWorker: true });
    expect(server.worker).toBeUndefined();
    expect(resourcesOfType(synthJson(stack), 'google_cloud_run_v2_worker_pool')).toHaveLength(0);
    const messages = stack.node.findAll().flatMap((c) => c.node.metadata.map((m) => String(m.data)));
    expect(messages).toContain(
      'disableWorker is set: emails, workflows, webhooks, calendar/mail sync and cron jobs will queue up in Redis and never run',
    );
  });

  test('STORAGE_S3_REGION takes the form the pinned release accepts', () => {
    const region = (twentyVersion: string) => {
      const env: Json[] = onlyResource(synthJson(backend({ twentyVersion }).stack), 'google_cloud_run_v2_service')
        .template.containers[0].env;
      return env.find((e) => e.name === 'STORAGE_S3_REGION').value;
    };
    expect(region(MIN_SUPPORTED_VERSION)).toBe('us-east1');
    // Releases before v2.15 (no longer supported) wanted an AWS-shaped region.
    expect(s3RegionFor(parseTwentyVersion('v2.14.0')!, 'us-east1')).toBe('us-east-1');
  });

  test('the HMAC secret is rewritten when the key is replaced (rotation)', () => {
    const json = synthJson(backend().stack);
    const [hmacKey] = Object.keys(json.resource.google_storage_hmac_key);
    const version = Object.values(json.resource.google_secret_manager_secret_version).find((v: Json) =>
      String(v.secret_data_wo).includes('google_storage_hmac_key'),
    ) as Json;
    expect(version.secret_data_wo).toBe(`\${google_storage_hmac_key.${hmacKey}.secret}`);
    expect(version.lifecycle.replace_triggered_by).toEqual([`google_storage_hmac_key.${hmacKey}`]);
  });

  test('load-balancer ingress', () => {
    const { stack } = backend({ ingress: 'internal-and-load-balancer' });
    expect(onlyResource(synthJson(stack), 'google_cloud_run_v2_service').ingress).toBe(
      'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
    );
  });

  test('a release newer than the verified one is a warning, not an error, printed once to stderr at synth', () => {
    const { stack } = backend({ twentyVersion: 'v2.99.0' });
    const message =
      "Twenty v2.99.0 is newer than v2.45.0, the newest release whose image contract this library recorded; the migration job follows v2.45's contract. Read the release's upgrade guide";
    expect(warningsOf(stack)).toEqual([message]);
    const printed: string[] = [];
    const previous = setSynthWarningPrinter((line) => printed.push(line));
    try {
      Testing.synth(stack, true);
      Testing.synth(stack, true);
    } finally {
      setSynthWarningPrinter(previous);
    }
    expect(printed).toEqual([`Warning: test/server: ${message}`]);
  });

  test('a release between recorded lines warns; a patch of a recorded line does not', () => {
    expect(warningsOf(backend({ twentyVersion: 'v2.38.1' }).stack)).toEqual([
      "Twenty v2.38.1 has no recorded image contract (recorded lines: v2.31, v2.45); the migration job follows v2.31's contract",
    ]);
    expect(warningsOf(backend({ twentyVersion: 'v2.45.3' }).stack)).toEqual([]);
    expect(warningsOf(backend({ twentyVersion: 'v2.31.1' }).stack)).toEqual([]);
  });

  test("migration timeouts: hours by default, the query timeout follows the job's, both configurable", () => {
    const job = (props: Partial<TwentyBackendServiceProps>) => {
      const j = onlyResource(synthJson(backend(props).stack), 'google_cloud_run_v2_job');
      const env: Json[] = j.template.template.containers[0].env;
      return [j.template.template.timeout, env.find((e) => e.name === 'PG_DATABASE_PRIMARY_TIMEOUT_MS')?.value];
    };
    expect(job({})).toEqual(['14400s', '14400000']);
    expect(job({ migrationTimeoutSeconds: 86400 })).toEqual(['86400s', '86400000']);
    expect(job({ migrationTimeoutSeconds: 7200, migrationQueryTimeoutSeconds: 600 })).toEqual(['7200s', '600000']);
  });
});

describe('Twenty version rules', () => {
  test('boundaries from FACTS.md §6', () => {
    const r = (tag: string) => requirementsFor(parseTwentyVersion(tag)!);
    expect(r('v2.33.9').minPostgresMajor).toBe(12);
    expect(r('v2.34.0').minPostgresMajor).toBe(15);
    expect(r('v0.51.0').pgUrlScheme).toBe('postgresql');
    expect(r('v2.4.9').encryptionKey).toBe(false);
    expect(r('v2.5.0').encryptionKey).toBe(true);
    expect(r('v2.31.9').cookieSessionOnlyLogin).toBe(false);
    expect(r('v2.32.0').cookieSessionOnlyLogin).toBe(true);
    expect(r('v2.14.9').s3RegionAwsShaped).toBe(true);
    expect(r('v2.15.0').s3RegionAwsShaped).toBe(false);
  });

  test.each([false, true])(
    'the migration script (pgaudit: %s) fails closed and never parses the URL itself',
    (pgaudit) => {
      const script = migrationScript(parseTwentyVersion('v2.45.0')!, { pgaudit });
      expect(script.split('\n')[0]).toBe('set -eu');
      expect(script).not.toMatch(/awk|PGHOST|PGPORT|tsx|npx|\|\||warning/);
      // cache flush, upgrade (through the workspace-failure check), cache flush; nothing else calls yarn there.
      expect(script).toMatch(
        /\nyarn command:prod cache:flush\nexec 3>&1\nupgrade=\$\( \{ if yarn command:prod upgrade 2>&1; then [^\n]*\n(?:(?!yarn )[^\n]*\n)*yarn command:prod cache:flush\n/,
      );
      // The extension only with pgAudit on, created before any yarn call; its failure exits 1.
      const create = script.indexOf('-tAc "CREATE EXTENSION IF NOT EXISTS pgaudit"; then\n');
      expect(create >= 0).toBe(pgaudit);
      if (pgaudit) {
        expect(create).toBeLessThan(script.indexOf('yarn '));
        expect(script.slice(create)).toMatch(
          /^[^\n]*\n {4}echo "twenty migrate: could not create [^\n]*" >&2\n {4}exit 1\n/,
        );
      } else {
        expect(script).not.toMatch(/pgaudit|EXTENSION/i);
      }
    },
  );

  test("the supported range is the recorded contracts' range", () => {
    expect(MIN_SUPPORTED_VERSION).toBe('v2.31.0');
    expect(checkTwentyVersion('v2.30.9')).toContain('is older than v2.31.0');
    expect(checkTwentyVersion('v2.31.0')).toBeUndefined();
  });
});

describe('PG_DATABASE_URL builder', () => {
  test('percent-encodes every reserved byte, space as %20', () => {
    expect(encodeUrlComponent('a b+c:@/?#&=%"\\]([é')).toBe('a%20b%2Bc%3A%40%2F%3F%23%26%3D%25%22%5C%5D%28%5B%C3%A9');
    expect(
      buildPgDatabaseUrl({
        scheme: 'postgresql',
        user: 'twenty',
        password: 'p w',
        database: 'twenty',
        connectionName: 'p:r:i',
      }),
    ).toBe(withCredentials('postgresql', 'twenty', 'p%20w', '/twenty?host=/cloudsql/p:r:i'));
  });
});
