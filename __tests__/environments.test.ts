/**
 * Guarantees over the synthesized JSON of every example environment.
 * Each `field notes row N` test proves one row of shared/FIELD-NOTES.md cannot recur.
 */
import { randomBytes } from 'crypto';
import { FirebaseProxyHosting } from '../constructs/front-door/firebase-proxy-hosting';
import { withCredentials } from '../constructs/database/pg-url';
import { twentyPools } from '../constructs/backend/connection-budget';
import { defaultMaxConnections, tierMemoryMb } from '../constructs/database/sql-tiers';
import { ADMIN_CONNECTION_HEADROOM, TWENTY_SERVER_ROUTES } from '../constructs/twenty/catalogue';
import { parseTwentyVersion, requirementsFor } from '../constructs/twenty/versions';
import { ENVIRONMENTS } from '../examples/environments/environments';
import type { TwentyStackConfig } from '../constructs/stack/twenty-stack';
import { requiredApis, TwentyStack } from '../constructs/stack/twenty-stack';
import { firebaseJsonValidator } from './support/front-door';
import {
  envByName,
  Json,
  onlyResource,
  problemsOf,
  resourcesOfType,
  synthEnv,
  synthJson,
  testApp,
  walk,
} from './support/synth';
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { Aspects, Token } from 'cdktf';

/** The URL users open through the environment's front door. */
function frontDoorUrl(env: TwentyStackConfig): string | undefined {
  const door = env.frontDoor;
  if (door.kind === 'firebase') return `https://${door.customDomain ?? `${door.siteId}.web.app`}`;
  if (door.kind === 'load-balancer') return `https://${door.domain}`;
  return undefined;
}

// A secret given as input, unique per run, that must appear nowhere in the output.
const SENTINEL_PASSWORD = `sentinel${randomBytes(8).toString('hex')}`;
const SENTINEL = withCredentials('rediss', 'default', SENTINEL_PASSWORD, 'eu1-sentinel-31337.upstash.io:6379');

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('environment %s', (_name, env) => {
  let json: Json;
  let text: string;
  beforeAll(() => {
    process.env.TF_VAR_upstash_redis_url = SENTINEL;
    json = synthEnv(env);
    text = JSON.stringify(json);
    delete process.env.TF_VAR_upstash_redis_url;
  });

  const service = () => onlyResource(json, 'google_cloud_run_v2_service');
  const job = () => onlyResource(json, 'google_cloud_run_v2_job');
  const serverEnv = (): Json[] => service().template.containers[0].env;
  const envNamed = (list: Json[], name: string) => list.find((e: Json) => e.name === name);

  test('snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('field notes row 1: every region and location is the environment region', () => {
    const regional = [...walk(json)].filter(
      ([path, v]) =>
        typeof v === 'string' && ['region', 'location'].includes(path[path.length - 1]) && path[0] !== 'output',
    );
    expect(regional.length).toBeGreaterThanOrEqual(8);
    for (const [path, value] of regional)
      expect({ path: path.join('.'), value }).toEqual({ path: path.join('.'), value: env.region });
    expect(json.provider.google[0].region).toBe(env.region);
    expect(json.provider['google-beta'][0].region).toBe(env.region);
  });

  test('field notes row 2 and 13: the official image through the Docker Hub mirror, pinned by tag, same for service and job', () => {
    const image = `${env.region}-docker.pkg.dev/${env.projectId}/twenty-${env.name}-dockerhub/twentycrm/twenty:${env.twentyVersion}`;
    expect(onlyResource(json, 'google_artifact_registry_repository')).toMatchObject({
      location: env.region,
      repository_id: `twenty-${env.name}-dockerhub`,
      format: 'DOCKER',
      mode: 'REMOTE_REPOSITORY',
      remote_repository_config: { docker_repository: { public_repository: 'DOCKER_HUB' } },
    });
    expect(service().template.containers[0].image).toBe(image);
    expect(job().template.template.containers[0].image).toBe(image);
    expect(resourcesOfType(json, 'google_cloudbuild_trigger')).toHaveLength(0);
  });

  test("field notes row 3: PG_DATABASE_URL is the socket form of the instance's own connection_name", () => {
    const [instanceKey] = Object.keys(json.resource.google_sql_database_instance);
    const urlVersion = Object.values(json.resource.google_secret_manager_secret_version).find((v: Json) =>
      String(v.secret_data_wo).startsWith('postgresql://'),
    ) as Json;
    expect(urlVersion.secret_data_wo).toBe(
      'postgresql://twenty:${replace(urlencode(ephemeral.random_password.database_password.result), "+", "%20")}' +
        `@/twenty?host=/cloudsql/\${google_sql_database_instance.${instanceKey}.connection_name}`,
    );
    expect(text).not.toMatch(/localhost|127\.0\.0\.1|:5432/);
    for (const run of [service().template, job().template.template]) {
      expect(run.volumes).toEqual([
        {
          name: 'cloudsql',
          cloud_sql_instance: { instances: [`\${google_sql_database_instance.${instanceKey}.connection_name}`] },
        },
      ]);
      expect(run.containers[0].volume_mounts).toEqual([{ name: 'cloudsql', mount_path: '/cloudsql' }]);
    }
  });

  test('field notes row 4: the password is URL-safe and percent-encoded anyway', () => {
    const password = json.ephemeral.random_password.database_password;
    expect(password).toMatchObject({ special: false, length: 32 });
    expect(text).toContain(
      'replace(urlencode(ephemeral.random_password.database_password.result), \\"+\\", \\"%20\\")',
    );
  });

  test('field notes row 5 and 14: secrets reach Twenty only through secret_key_ref, written write-only', () => {
    for (const name of ['PG_DATABASE_URL', 'REDIS_URL', 'APP_SECRET', 'ENCRYPTION_KEY']) {
      for (const list of [serverEnv(), job().template.template.containers[0].env]) {
        const entry = envNamed(list, name);
        expect(entry.value).toBeUndefined();
        expect(entry.value_source.secret_key_ref.secret).toMatch(/^\$\{google_secret_manager_secret\.[\w-]+\.id\}$/);
        expect(entry.value_source.secret_key_ref.version).toMatch(
          /^\$\{google_secret_manager_secret_version\.[\w-]+\.version\}$/,
        );
      }
    }
    for (const v of resourcesOfType(json, 'google_secret_manager_secret_version')) {
      expect(v.secret_data).toBeUndefined();
      expect(v.secret_data_wo).toBeDefined();
      expect(v.secret_data_wo_version).toBe(1);
    }
    const user = onlyResource(json, 'google_sql_user');
    expect(user.password).toBeUndefined();
    expect(user.password_wo).toBe('${ephemeral.random_password.database_password.result}');
    expect(json.variable.upstash_redis_url).toMatchObject({ sensitive: true, ephemeral: true });
    expect(JSON.stringify(json.output)).not.toMatch(/random_password|var\.upstash|secret_data/);
  });

  test('field notes row 14: a secret value given as input appears nowhere in the output', () => {
    expect(text).not.toContain(SENTINEL_PASSWORD);
    expect(text).not.toContain('eu1-sentinel-31337');
  });

  test('field notes row 6: a dedicated account with exactly the roles it needs', () => {
    const [saKey] = Object.keys(json.resource.google_service_account);
    const member = `\${google_service_account.${saKey}.member}`;
    expect(service().template.service_account).toBe(`\${google_service_account.${saKey}.email}`);
    expect(job().template.template.service_account).toBe(`\${google_service_account.${saKey}.email}`);
    const projectRoles = resourcesOfType(json, 'google_project_iam_member').map((m) => [m.role, m.member]);
    expect(projectRoles.sort()).toEqual(
      [
        ['roles/cloudsql.client', member],
        ['roles/cloudtrace.agent', member],
        ['roles/logging.logWriter', member],
      ].sort(),
    );
    const secretGrants = resourcesOfType(json, 'google_secret_manager_secret_iam_member');
    expect(secretGrants).toHaveLength(5);
    for (const g of secretGrants) expect(g).toMatchObject({ role: 'roles/secretmanager.secretAccessor', member });
    expect(text).not.toMatch(/roles\/(owner|editor|viewer)"/);
    for (const type of ['google_project_iam_binding', 'google_project_iam_policy']) {
      expect(resourcesOfType(json, type)).toHaveLength(0);
    }
  });

  test('field notes row 7: APP_SECRET, ENCRYPTION_KEY and REDIS_URL are always wired', () => {
    for (const name of ['APP_SECRET', 'ENCRYPTION_KEY', 'REDIS_URL', 'PG_DATABASE_URL', 'SERVER_URL']) {
      expect(envNamed(serverEnv(), name)).toBeDefined();
    }
    expect(envNamed(serverEnv(), 'SERVER_URL').value).toBe(frontDoorUrl(env));
    expect(json.ephemeral.random_password.server_appsecretvalue).toMatchObject({ length: 64, special: false });
  });

  test('field notes row 8: container port 3000 and NODE_PORT match; probes on /healthz', () => {
    const c = service().template.containers[0];
    expect(c.ports.container_port).toBe(3000);
    expect(envNamed(c.env, 'NODE_PORT').value).toBe('3000');
    expect(envNamed(c.env, 'PORT')).toBeUndefined();
    expect(c.startup_probe.http_get).toEqual({ path: '/healthz', port: 3000 });
    expect(c.liveness_probe.http_get).toEqual({ path: '/healthz', port: 3000 });
    expect(c.resources).toMatchObject({ startup_cpu_boost: true, cpu_idle: true });
  });

  test('field notes row 9: the job migrates, the server does not, and serves only after the job', () => {
    expect(envNamed(serverEnv(), 'DISABLE_DB_MIGRATIONS').value).toBe('true');
    expect(envNamed(serverEnv(), 'DISABLE_CRON_JOBS_REGISTRATION').value).toBe('true');
    expect(text).not.toContain('DATABASE_MIGRATION"');
    const [jobKey] = Object.keys(json.resource.google_cloud_run_v2_job);
    expect(service().depends_on).toContain(`google_cloud_run_v2_job.${jobKey}`);
    expect(job().provider).toBe('google-beta');
    expect(job().run_execution_token).toMatch(/^[0-9a-f]{16}$/);
    expect(`${job().name}-${job().run_execution_token}`.length).toBeLessThan(63);
    const script = job().template.template.containers[0].args[0];
    expect(script).toContain('psql "$PG_DATABASE_URL"');
    expect(script).toContain('yarn command:prod upgrade');
    expect(script).not.toMatch(/awk|-h \$\{?PGHOST/);
  });

  test('field notes row 10: the front end is served by the Twenty server, no build per domain', () => {
    expect(text).not.toContain('REACT_APP_SERVER_BASE_URL');
    expect(envNamed(serverEnv(), 'SERVER_URL').value).toMatch(/^https:\/\//);
  });

  test("field notes row 16: a worker with the server's image, socket, secrets and Redis, never scaled to zero", () => {
    const pool = onlyResource(json, 'google_cloud_run_v2_worker_pool');
    const worker = pool.template.containers[0];
    const server = service().template;
    expect(worker.image).toBe(server.containers[0].image);
    expect(worker.args).toEqual(['yarn', 'worker:prod']);
    expect(worker.ports).toBeUndefined();
    expect(pool.template.service_account).toBe(server.service_account);
    expect(pool.template.volumes).toEqual(server.volumes);
    expect(worker.volume_mounts).toEqual(server.containers[0].volume_mounts);
    // The server's env, less the switch that skips cron registration: the worker's entrypoint
    // registers the crons at every start (issue 10 item 4).
    expect(worker.env).toEqual(
      server.containers[0].env.filter((e: Json) => e.name !== 'DISABLE_CRON_JOBS_REGISTRATION'),
    );
    expect(envNamed(worker.env, 'DISABLE_DB_MIGRATIONS').value).toBe('true');
    expect(worker.env.map((e: Json) => e.name)).not.toContain('DISABLE_CRON_JOBS_REGISTRATION');
    expect(pool.scaling).toEqual({ scaling_mode: 'MANUAL', manual_instance_count: 1 });
    expect(pool.location).toBe(env.region);
    const [jobKey] = Object.keys(json.resource.google_cloud_run_v2_job);
    expect(pool.depends_on).toContain(`google_cloud_run_v2_job.${jobKey}`);
  });

  test('field notes row 15: files go to a private, versioned bucket in the region, through the S3 API', () => {
    const bucket = onlyResource(json, 'google_storage_bucket');
    expect(bucket).toMatchObject({
      location: env.region,
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      versioning: { enabled: true },
      force_destroy: !(env.service?.deletionProtection ?? true),
    });
    expect(bucket.lifecycle_rule[0]).toMatchObject({
      action: { type: 'Delete' },
      condition: { with_state: 'ARCHIVED' },
    });
    const [bucketKey] = Object.keys(json.resource.google_storage_bucket);
    for (const list of [serverEnv(), job().template.template.containers[0].env]) {
      expect(envNamed(list, 'STORAGE_TYPE').value).toBe('s3');
      expect(envNamed(list, 'STORAGE_S3_ENDPOINT').value).toBe('https://storage.googleapis.com');
      expect(envNamed(list, 'STORAGE_S3_NAME').value).toBe(`\${google_storage_bucket.${bucketKey}.name}`);
      expect(envNamed(list, 'STORAGE_S3_REGION').value).toBe(env.region);
      expect(envNamed(list, 'STORAGE_S3_SECRET_ACCESS_KEY').value_source.secret_key_ref.secret).toMatch(
        /^\$\{google_secret_manager_secret\./,
      );
    }
    expect(text).not.toMatch(/"STORAGE_TYPE","value":"local"/);
    const grants = resourcesOfType(json, 'google_storage_bucket_iam_member');
    expect(grants.map((g) => g.role).sort()).toEqual(['roles/storage.legacyBucketReader', 'roles/storage.objectUser']);
    for (const g of grants) expect(g.bucket).toBe(`\${google_storage_bucket.${bucketKey}.name}`);
    expect(text).not.toMatch(/roles\/storage\.admin/);
    expect(resourcesOfType(json, 'google_project_iam_member').map((m) => m.role)).not.toContainEqual(
      expect.stringMatching(/^roles\/storage\./),
    );
  });

  test('connection budget: every pool of every process at full scale fits max_connections', () => {
    // Numbers read back from the synthesized JSON, pools from the release (connection-budget.ts).
    const pool = Number(envNamed(serverEnv(), 'PG_POOL_MAX_CONNECTIONS').value);
    expect(Number(envNamed(job().template.template.containers[0].env, 'PG_POOL_MAX_CONNECTIONS').value)).toBe(pool);
    const workers = resourcesOfType(json, 'google_cloud_run_v2_worker_pool').map(
      (w) => w.scaling.manual_instance_count as number,
    );
    const processes = service().template.scaling.max_instance_count + workers.reduce((a, b) => a + b, 0) + 1;
    const pools = twentyPools(parseTwentyVersion(env.twentyVersion)!, 0);
    expect(pools.map((p) => p.name)).toEqual(['core', 'workspace', 'workspace v2']);
    const instance = onlyResource(json, 'google_sql_database_instance');
    const flag = (instance.settings.database_flags ?? []).find((f: Json) => f.name === 'max_connections');
    const maxConnections = flag ? Number(flag.value) : defaultMaxConnections(tierMemoryMb(instance.settings.tier)!);
    const needed = processes * pools.length * pool + ADMIN_CONNECTION_HEADROOM;
    expect(needed).toBeLessThanOrEqual(maxConnections);
    // The numbers the README and environments.ts show.
    expect(`${processes} x ${pools.length} x ${pool} + 10 = ${needed} <= ${maxConnections}`).toBe(
      env.name === 'dev' ? '5 x 3 x 4 + 10 = 70 <= 100' : '10 x 3 x 10 + 10 = 310 <= 400',
    );
  });

  test('no first-apply race: job and service wait for versions, grants, database and user', () => {
    const needed = [
      ...Object.keys(json.resource.google_secret_manager_secret_version).map(
        (k) => `google_secret_manager_secret_version.${k}`,
      ),
      ...Object.keys(json.resource.google_secret_manager_secret_iam_member).map(
        (k) => `google_secret_manager_secret_iam_member.${k}`,
      ),
      ...Object.keys(json.resource.google_project_iam_member).map((k) => `google_project_iam_member.${k}`),
      ...Object.keys(json.resource.google_sql_user).map((k) => `google_sql_user.${k}`),
      ...Object.keys(json.resource.google_sql_database).map((k) => `google_sql_database.${k}`),
    ];
    for (const r of [service(), job()]) expect(r.depends_on).toEqual(expect.arrayContaining(needed));
  });

  test('first apply: every IAM grant -> the propagation wait -> migration job -> service and worker', () => {
    const [sleepKey] = Object.keys(json.resource.time_sleep).filter((k) => k.startsWith('server_')); // the IAM wait (monitoring has its own)
    const sleepRef = `time_sleep.${sleepKey}`;
    const sleep = json.resource.time_sleep[sleepKey];
    const refsOf = (type: string) => Object.keys(json.resource[type] ?? {}).map((k) => `${type}.${k}`);
    const grants = [
      ...refsOf('google_project_iam_member'),
      ...refsOf('google_secret_manager_secret_iam_member'),
      ...refsOf('google_storage_bucket_iam_member'),
    ];
    expect(grants.length).toBeGreaterThanOrEqual(10);
    expect(sleep.depends_on).toEqual(expect.arrayContaining([...refsOf('google_service_account'), ...grants]));
    // Only on create, and again when the service account or a grant changes.
    expect(sleep.create_duration).toBe('120s');
    expect(sleep.destroy_duration).toBeUndefined();
    expect(Object.values(sleep.triggers).sort()).toEqual(
      [...grants.map((g) => `\${${g}.id}`), sleep.triggers.service_account].sort(),
    );
    expect(sleep.triggers.service_account).toMatch(/^\$\{google_service_account\.[^.]+\.member\}$/);
    expect(sleep.provider).toBe('time');
    expect(json.provider.time).toEqual([{}]);
    expect(json.terraform.required_providers.time.source).toBe('hashicorp/time');

    const [jobKey] = Object.keys(json.resource.google_cloud_run_v2_job);
    const jobRef = `google_cloud_run_v2_job.${jobKey}`;
    expect(job().depends_on).toContain(sleepRef);
    const runners = [service(), ...resourcesOfType(json, 'google_cloud_run_v2_worker_pool')];
    expect(runners).toHaveLength(2);
    for (const r of runners) expect(r.depends_on).toEqual(expect.arrayContaining([jobRef, sleepRef]));
    // No cycle: the wait depends on nothing that runs Twenty.
    expect(sleep.depends_on.filter((d: string) => /cloud_run/.test(d))).toEqual([]);
  });

  test('the migration job stays replaceable, so a failed first run is retried by the next deploy', () => {
    expect(job().deletion_protection).toBe(false);
    expect(service().deletion_protection).toBe(env.service?.deletionProtection ?? true);
    for (const w of resourcesOfType(json, 'google_cloud_run_v2_worker_pool'))
      expect(w.deletion_protection).toBe(env.service?.deletionProtection ?? true);
  });

  test('APIs are enabled, never disabled on destroy, and everything waits for them', () => {
    const services = resourcesOfType(json, 'google_project_service');
    expect(services.map((s) => s.service).sort()).toEqual(requiredApis(env).sort());
    for (const s of services) expect(s.disable_on_destroy).toBe(false);
    const apiRefs = Object.keys(json.resource.google_project_service).map((k) => `google_project_service.${k}`);
    for (const [type, byName] of Object.entries(json.resource as Record<string, Json>)) {
      if (type === 'google_project_service') continue;
      for (const r of Object.values(byName as Json))
        expect((r as Json).depends_on).toEqual(expect.arrayContaining(apiRefs));
    }
  });

  test('database: PostgreSQL 16, internal CA, backups with PITR, and production switches from config', () => {
    const db = onlyResource(json, 'google_sql_database_instance');
    expect(db.database_version).toBe('POSTGRES_16');
    expect(db.settings.ip_configuration).toEqual({
      ipv4_enabled: true,
      ssl_mode: 'ENCRYPTED_ONLY',
      server_ca_mode: 'GOOGLE_MANAGED_INTERNAL_CA',
    });
    expect(db.settings.ip_configuration.authorized_networks).toBeUndefined();
    expect(db.settings.backup_configuration).toMatchObject({ enabled: true, point_in_time_recovery_enabled: true });
    expect(db.settings.availability_type).toBe(
      (env.database?.highAvailability ?? env.production) ? 'REGIONAL' : 'ZONAL',
    );
    expect(db.deletion_protection).toBe(env.database?.deletionProtection ?? true);
    expect(db.settings.deletion_protection_enabled).toBe(env.database?.deletionProtection ?? true);
    expect(db.settings.insights_config.query_insights_enabled).toBe(true);
    expect(db.settings.tier).toBe(env.database?.tier ?? 'db-custom-1-3840');
  });

  test('Terraform >= 1.11 is required (write-only arguments, ephemeral values)', () => {
    expect(json.terraform.required_version).toBe('>= 1.11.0');
  });

  test("field notes row 11: the front door sends all of Twenty to the service, in the service's region", () => {
    const name = service().name;
    if (env.frontDoor.kind === 'firebase') {
      const rewrites: Json[] = onlyResource(json, 'google_firebase_hosting_version').config.rewrites;
      for (const r of rewrites.filter((x) => x.run)) expect(r.run).toEqual({ service_id: name, region: env.region });
      const globs = rewrites.filter((x) => x.run).map((x) => x.glob);
      const everything = globs.includes('**');
      const allRoutes = TWENTY_SERVER_ROUTES.every(
        (route) => globs.includes(`/${route}`) && globs.includes(`/${route}/**`),
      );
      expect(everything || allRoutes).toBe(true);
      expect(globs.sort()).not.toEqual(['/client-config', '/graphql', '/metadata']);
    } else if (env.frontDoor.kind === 'load-balancer') {
      const neg = onlyResource(json, 'google_compute_region_network_endpoint_group');
      expect(neg.region).toBe(env.region);
      expect(neg.cloud_run.service).toMatch(/^\$\{google_cloud_run_v2_service\.[\w-]+\.name\}$/);
      // The run.app URL must not bypass the load balancer.
      expect(service().ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    }
  });

  test('SERVER_URL is the URL users open through the front door', () => {
    const url = frontDoorUrl(env);
    if (url) expect(envNamed(serverEnv(), 'SERVER_URL').value).toBe(url);
  });

  test('browser login works through the front door, or the environment says apiOnly', () => {
    const door = env.frontDoor;
    if (door.kind !== 'firebase') return;
    const cookieOnly = requirementsFor(parseTwentyVersion(env.twentyVersion)!).cookieSessionOnlyLogin;
    expect({ cookieOnly, apiOnly: door.apiOnly ?? false }).not.toEqual({ cookieOnly: true, apiOnly: false });
  });

  test('state in GCS under a per-environment prefix', () => {
    expect(json.terraform.backend.gcs).toEqual({ bucket: env.stateBucket, prefix: `twenty/${env.name}` });
  });

  test('outputs: service URL, connection name and secret ids, no secret values', () => {
    const frontDoorOutputs = {
      firebase: env.frontDoor.kind === 'firebase' && env.frontDoor.customDomain ? ['front_door_dns_records'] : [],
      'load-balancer': ['front_door_dns_records', 'front_door_ip'],
      none: [],
    }[env.frontDoor.kind];
    expect(Object.keys(json.output).sort()).toEqual(
      [
        'cloud_sql_connection_name',
        'migration_job',
        'public_url',
        'secret_ids',
        'service_url',
        ...frontDoorOutputs,
      ].sort(),
    );
    expect(Object.keys(json.output.secret_ids.value).sort()).toEqual([
      'APP_SECRET',
      'ENCRYPTION_KEY',
      'PG_DATABASE_URL',
      'REDIS_URL',
      'STORAGE_S3_SECRET_ACCESS_KEY',
    ]);
    for (const v of Object.values(json.output)) expect((v as Json).sensitive).toBeUndefined();
  });
});

test('stack names make `cdktf deploy twenty-<env>` obvious', () => {
  const app = testApp();
  const names = ENVIRONMENTS.map((e) => new TwentyStack(app, e).node.id);
  expect(names).toEqual(ENVIRONMENTS.map((e) => `twenty-${e.name}`));
  expect(names).toEqual(expect.arrayContaining(['twenty-dev', 'twenty-prod']));
});

test('prod is production-grade: REGIONAL, protected, warm', () => {
  const prod = ENVIRONMENTS.find((e) => e.name === 'prod')!;
  expect(prod.database?.highAvailability).toBe(true);
  expect(prod.database?.deletionProtection).toBe(true);
  expect(prod.service?.deletionProtection).toBe(true);
  expect(prod.service?.minInstances).toBeGreaterThanOrEqual(1);
});

test('prod uses the load balancer: its pinned Twenty logs browsers in with the session cookie', () => {
  const prod = envByName('prod');
  expect(requirementsFor(parseTwentyVersion(prod.twentyVersion)!).cookieSessionOnlyLogin).toBe(true);
  expect(prod.frontDoor.kind).toBe('load-balancer');
});

test('dev shows Firebase with a version that can log in through it, and its firebase.json is valid', () => {
  const dev = envByName('dev');
  expect(dev.frontDoor.kind).toBe('firebase');
  const stack = new TwentyStack(testApp(), dev);
  const hosting = stack.frontDoor as FirebaseProxyHosting;
  const { validate } = firebaseJsonValidator();
  expect({ valid: validate(hosting.firebaseJson), errors: validate.errors }).toEqual({ valid: true, errors: null });
});

describe('front door guards at environment level', () => {
  const dev = envByName('dev');
  const withDoor = (patch: Partial<TwentyStackConfig>) => () => new TwentyStack(testApp(), { ...dev, ...patch });

  test("dev on prod's cookie-session version behind Firebase is refused, naming the load balancer", () => {
    expect(problemsOf(withDoor({ twentyVersion: 'v2.45.0' }))).toEqual([
      'FirebaseProxyHosting twenty-dev/front-door: Twenty v2.45.0 signs browsers in with its session cookie only (from v2.32.0), and Firebase Hosting strips every cookie but "__session" before Cloud Run, so nobody could log in through this site; use HttpsLoadBalancer (environment frontDoor kind "load-balancer"), pin a Twenty version older than v2.32.0, or set apiOnly: true if the site serves only API clients',
    ]);
  });

  test('the same with the apiOnly opt-out is accepted', () => {
    if (dev.frontDoor.kind !== 'firebase') throw new Error('dev should use Firebase');
    expect(problemsOf(withDoor({ twentyVersion: 'v2.45.0', frontDoor: { ...dev.frontDoor, apiOnly: true } }))).toEqual(
      [],
    );
  });

  test("a publicUrl that is not the front door's URL is a synth error", () => {
    expect(problemsOf(withDoor({ publicUrl: 'https://twenty-dev.example.com' }))).toEqual([
      'FirebaseProxyHosting twenty-dev/front-door: the Twenty service\'s serverUrl "https://twenty-dev.example.com" differs from this front door\'s public URL "https://crm-dev.example.com"; Twenty builds links, OAuth callbacks and cookie origins from SERVER_URL, so set serverUrl (the environment\'s publicUrl) to "https://crm-dev.example.com"',
    ]);
    const prod = envByName('prod');
    expect(problemsOf(() => new TwentyStack(testApp(), { ...prod, publicUrl: 'https://crm.example.org' }))).toEqual([
      'HttpsLoadBalancer twenty-prod/front-door: the Twenty service\'s serverUrl "https://crm.example.org" differs from this front door\'s public URL "https://crm.example.com"; Twenty builds links, OAuth callbacks and cookie origins from SERVER_URL, so set serverUrl (the environment\'s publicUrl) to "https://crm.example.com"',
    ]);
  });

  test('no front door adds no front door resources or APIs', () => {
    const json = synthEnv({ ...dev, frontDoor: { kind: 'none' } });
    expect(Object.keys(json.resource).filter((t) => /^google_(firebase|compute)_/.test(t))).toEqual([]);
    expect(resourcesOfType(json, 'google_project_service').map((a) => a.service)).not.toContain(
      'firebase.googleapis.com',
    );
  });
});

test('depends_on names the APIs by their logical ids at synth, also one the app overrides first', () => {
  const stack = new TwentyStack(testApp(), envByName('dev'));
  const api = stack.node.findAll().find((c): c is ProjectService => c instanceof ProjectService);
  api!.overrideLogicalId('renamed-api');
  const json = synthJson(stack);
  expect(json.resource.google_project_service['renamed-api']).toBeDefined();
  const sql = onlyResource(json, 'google_sql_database_instance');
  expect(sql.depends_on).toContain('google_project_service.renamed-api');
  // The aspect sets plain addresses, not one dependable() token per API (the synthesized JSON
  // is the same either way; the tokens cost a resolution each).
  const instance = stack.node.findAll().find((c) => c instanceof SqlDatabaseInstance) as SqlDatabaseInstance;
  expect(instance.dependsOn).toContain('google_project_service.renamed-api');
  expect(instance.dependsOn!.filter((d) => Token.isUnresolved(d))).toEqual([]);
});

test('an aspect added after the stack can still rename an API: depends_on follows it', () => {
  const stack = new TwentyStack(testApp(), envByName('dev'));
  Aspects.of(stack).add({
    visit(node) {
      if (node instanceof ProjectService && node.serviceInput === 'run.googleapis.com')
        node.overrideLogicalId('run-api');
    },
  });
  const json = synthJson(stack);
  expect(json.resource.google_project_service['run-api']).toBeDefined();
  expect(onlyResource(json, 'google_sql_database_instance').depends_on).toContain('google_project_service.run-api');
});
