/**
 * Wrong input is refused at synth with every problem listed, and nothing is created.
 * Each test asserts the exact messages.
 */
import { connectionBudgetProblems } from '../constructs/backend/connection-budget';
import { parseTwentyVersion } from '../constructs/twenty/versions';
import { CloudSqlSocketDatabase, CloudSqlSocketDatabaseProps } from '../constructs/database/cloud-sql-socket-database';
import { TwentyBackendService, TwentyBackendServiceProps } from '../constructs/backend/twenty-backend-service';
import { UpstashRedisConfig } from '../constructs/redis/upstash-redis-config';
import type { TwentyStackConfig } from '../constructs/stack/twenty-stack';
import { TwentyStack } from '../constructs/stack/twenty-stack';
import { withCredentials } from '../constructs/database/pg-url';
import { backendParts } from './support/backend';
import { FAKE_PASSWORD } from './support/samples';
import {
  envByName,
  errorsOf,
  MINIMAL,
  onlyResource,
  problemsOf,
  providerStack,
  resourcesOfType,
  synthJson,
  testApp,
} from './support/synth';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcsBackend, LocalBackend, TerraformStack, Token } from 'cdktf';
import { GoogleBetaProvider } from '@cdktf/provider-google-beta/lib/provider';

const DB = 'CloudSqlSocketDatabase test/db';
const SVC = 'TwentyBackendService test/server';
const REDIS = 'UpstashRedisConfig test/redis';

function db(props: Partial<CloudSqlSocketDatabaseProps> = {}, stack = providerStack()) {
  return () =>
    new CloudSqlSocketDatabase(stack, 'db', { instanceName: 'twenty-test', twentyVersion: 'v2.45.0', ...props });
}

function server(props: Partial<TwentyBackendServiceProps> = {}, stack = providerStack()) {
  return backendParts(props, stack, { twentyVersion: 'v2.45.0' }).build;
}

function env(overrides: Partial<TwentyStackConfig>): TwentyStackConfig {
  return { ...envByName('dev'), ...overrides };
}

/** A config as plain JavaScript would pass it: synth does not type-check. */
function untyped(config: object): TwentyStackConfig {
  return config as TwentyStackConfig;
}

describe('CloudSqlSocketDatabase', () => {
  test("region different from the stack's", () => {
    expect(problemsOf(db({ region: 'us-central1' }))).toEqual([
      `${DB}: Cloud SQL instance region "us-central1" differs from the environment's region "us-east1"; one environment uses one region everywhere`,
    ]);
  });

  test('socket path over 107 bytes', () => {
    const stack = providerStack('northamerica-northeast2', 'acme-corporation-twenty-crm');
    const name = 'twenty-production-primary-database-instance-for-the-crm';
    expect(problemsOf(db({ instanceName: name }, stack))).toEqual([
      `${DB}: socket path "/cloudsql/acme-corporation-twenty-crm:northamerica-northeast2:${name}/.s.PGSQL.5432" is 131 bytes; Linux allows 107, so Twenty could not connect. Shorten the instance name by 24 characters or more`,
    ]);
  });

  test('an instance name Cloud SQL rejects', () => {
    expect(problemsOf(db({ instanceName: 'Twenty_DB' }))).toEqual([
      `${DB}: instance name "Twenty_DB" is invalid; Cloud SQL takes lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
    ]);
  });

  test('db-f1-micro with ENTERPRISE_PLUS', () => {
    expect(problemsOf(db({ tier: 'db-f1-micro', edition: 'ENTERPRISE_PLUS' }))).toEqual([
      `${DB}: tier "db-f1-micro" needs edition "ENTERPRISE"; edition "ENTERPRISE_PLUS" takes only db-perf-optimized-N-* tiers`,
    ]);
  });

  test('a perf-optimized tier with ENTERPRISE', () => {
    expect(problemsOf(db({ tier: 'db-perf-optimized-N-2', edition: 'ENTERPRISE' }))).toEqual([
      `${DB}: tier "db-perf-optimized-N-2" needs edition "ENTERPRISE_PLUS"; edition "ENTERPRISE" takes db-f1-micro, db-g1-small and db-custom-* tiers`,
    ]);
  });

  test('a custom tier with impossible memory and an unknown tier', () => {
    expect(problemsOf(db({ tier: 'db-custom-3-1000' }))).toEqual([
      `${DB}: tier "db-custom-3-1000" has 3 vCPUs; allowed: 1 or an even number up to 96`,
      `${DB}: tier "db-custom-3-1000" has 1000 MB of memory; allowed: a multiple of 256 MB, at least 3840 MB and at most 6.5 GB (6656 MB) per vCPU`,
    ]);
    expect(problemsOf(db({ tier: 'db-n1-standard-1' }))).toEqual([
      `${DB}: tier "db-n1-standard-1" is not a Cloud SQL for PostgreSQL tier; use db-f1-micro, db-g1-small or db-custom-CPUS-MEMORY_MB (ENTERPRISE), or db-perf-optimized-N-CPUS (ENTERPRISE_PLUS)`,
    ]);
  });

  test('PostgreSQL 14 for a Twenty that needs 15+', () => {
    expect(problemsOf(db({ postgresVersion: 14 }))).toEqual([
      `${DB}: PostgreSQL 14 is too old for Twenty v2.45.0, which needs PostgreSQL 15 or newer`,
    ]);
    expect(problemsOf(db({ postgresVersion: 14, twentyVersion: 'v2.33.0' }))).toEqual([]);
  });

  test('a user name Cloud SQL reserves, and a bad database name', () => {
    expect(problemsOf(db({ userName: 'postgres', databaseName: 'Twenty-DB' }))).toEqual([
      `${DB}: database name "Twenty-DB" is invalid; use lowercase letters, digits and underscores, starting with a letter or underscore, at most 63 characters`,
      `${DB}: user name "postgres" is reserved by Cloud SQL; choose another`,
    ]);
  });

  test('unresolved tokens are skipped, not judged', () => {
    const stack = providerStack();
    expect(problemsOf(db({ instanceName: Token.asString({ resolve: () => 'x' }) }, stack))).toEqual([]);
  });
});

describe('UpstashRedisConfig', () => {
  test('a redis:// URL (no TLS) is refused, and a literal is refused as a leaked secret', () => {
    const stack = providerStack();
    expect(
      problemsOf(
        () =>
          new UpstashRedisConfig(stack, 'redis', {
            url: withCredentials('redis', 'default', FAKE_PASSWORD, 'eu1-x.upstash.io:6379'),
          }),
      ),
    ).toEqual([
      `${REDIS}: REDIS_URL scheme "redis://" is refused; Upstash only accepts TLS, so the URL must start with "rediss://"`,
      `${REDIS}: REDIS_URL was given as a literal; it carries the Redis password and would land in cdktf.out and the plan. Leave \`url\` unset and provide TF_VAR_upstash_redis_url, or use \`existingSecretId\``,
    ]);
  });

  test('a host that is not Upstash', () => {
    const stack = providerStack();
    const password = Token.asString({ resolve: () => '${var.pw}' });
    expect(
      problemsOf(
        () =>
          new UpstashRedisConfig(stack, 'redis', {
            url: withCredentials('rediss', 'default', password, 'redis.example.com:6379'),
          }),
      ),
    ).toEqual([`${REDIS}: REDIS_URL host "redis.example.com" is not an Upstash endpoint (*.upstash.io)`]);
  });

  test('the literal-URL message names the variable this config would read', () => {
    const stack = providerStack();
    expect(
      problemsOf(
        () =>
          new UpstashRedisConfig(stack, 'cache', {
            url: withCredentials('rediss', 'default', FAKE_PASSWORD, 'eu1-x.upstash.io:6379'),
          }),
      ),
    ).toEqual([
      'UpstashRedisConfig test/cache: REDIS_URL was given as a literal; it carries the Redis password and would land in cdktf.out and the plan. Leave `url` unset and provide TF_VAR_upstash_cache_url, or use `existingSecretId`',
    ]);
  });

  test('two in one stack with the same variable or secret id are refused, naming the first', () => {
    const stack = providerStack();
    new UpstashRedisConfig(stack, 'redis');
    expect(
      problemsOf(
        () =>
          new UpstashRedisConfig(stack, 'cache', { variableName: 'upstash_redis_url', secretId: 'twenty-redis-url' }),
      ),
    ).toEqual([
      'UpstashRedisConfig test/cache: variable name "upstash_redis_url" is already used by test/redis; give each UpstashRedisConfig its own `variableName`',
      'UpstashRedisConfig test/cache: secret id "twenty-redis-url" is already used by test/redis; give each UpstashRedisConfig its own `secretId`',
    ]);
  });

  test('a token URL with the right shape is accepted', () => {
    const stack = providerStack();
    const password = Token.asString({ resolve: () => '${var.pw}' });
    expect(
      problemsOf(
        () =>
          new UpstashRedisConfig(stack, 'redis', {
            url: withCredentials('rediss', 'default', password, 'eu1-x-1.upstash.io:6379'),
          }),
      ),
    ).toEqual([]);
  });
});

describe('TwentyBackendService', () => {
  test('http SERVER_URL', () => {
    expect(problemsOf(server({ serverUrl: 'http://crm.example.com' }))).toEqual([
      `${SVC}: serverUrl "http://crm.example.com" must use https; Twenty sets secure cookies and OAuth callbacks from it`,
    ]);
  });

  test('localhost SERVER_URL and a path', () => {
    expect(problemsOf(server({ serverUrl: 'https://localhost:3000' }))).toEqual([
      `${SVC}: serverUrl "https://localhost:3000" points at localhost; give the public URL users open`,
    ]);
    expect(problemsOf(server({ serverUrl: 'https://crm.example.com/app/' }))).toEqual([
      `${SVC}: serverUrl "https://crm.example.com/app/" must be an origin only (no path, query or trailing slash), e.g. "https://crm.example.com"`,
    ]);
  });

  test('latest tag', () => {
    expect(problemsOf(server({ twentyVersion: 'latest' }))).toEqual([
      `${SVC}: Twenty version "latest" is not pinned; use a release tag such as "v2.45.0" so that a deploy is repeatable`,
    ]);
  });

  test('a version older than supported, and a non-release tag', () => {
    expect(problemsOf(server({ twentyVersion: 'v0.40.0' }))).toEqual([
      `${SVC}: Twenty version "v0.40.0" is older than v2.31.0, the oldest this library supports (the oldest release whose image contract, what its image contains and runs, was recorded from Twenty's source)`,
    ]);
    expect(problemsOf(server({ twentyVersion: '2.45' }))).toEqual([
      `${SVC}: Twenty version "2.45" is not a release tag; expected "vMAJOR.MINOR.PATCH", e.g. "v2.45.0"`,
    ]);
  });

  test('shadowing a variable the construct owns, and an invented one', () => {
    expect(
      problemsOf(
        server({ extraEnv: { SERVER_URL: 'https://x.example.com', DATABASE_MIGRATION: 'run', PORT: '8080' } }),
      ),
    ).toEqual([
      `${SVC}: env var "SERVER_URL" is set by the construct and cannot be overridden`,
      `${SVC}: env var "DATABASE_MIGRATION" is refused: Twenty has no such variable; migrations run in the migration job before each new revision serves`,
      `${SVC}: env var "PORT" is refused: Cloud Run reserves PORT, and Twenty listens on NODE_PORT (3000) instead`,
    ]);
  });

  test('a secret-looking name or a URL with a password as plain env', () => {
    expect(
      problemsOf(
        server({
          extraEnv: {
            EMAIL_SMTP_PASSWORD: FAKE_PASSWORD,
            MY_DB: withCredentials('postgres', 'u', FAKE_PASSWORD, 'db.example.com/x'),
            ACCESS_TOKEN_EXPIRES_IN: '30m',
          },
        }),
      ),
    ).toEqual([
      `${SVC}: extraEnv.EMAIL_SMTP_PASSWORD looks like a secret; plain env vars show in the console and the plan, so pass it through extraSecrets (a Secret Manager secret id)`,
      `${SVC}: extraEnv.MY_DB holds a URL with a password; pass it through extraSecrets instead`,
    ]);
  });

  test('an extra secret that shadows an owned variable, or is given twice', () => {
    expect(
      problemsOf(
        server({
          extraSecrets: {
            APP_SECRET: { secretId: 'x' },
            AUTH_GOOGLE_CLIENT_SECRET: { secretId: 'projects/p/secrets/y' },
          },
          extraEnv: { AUTH_GOOGLE_CLIENT_SECRET: 'a' },
        }),
      ),
    ).toEqual([
      `${SVC}: env var "APP_SECRET" is set by the construct and cannot be overridden`,
      `${SVC}: env var "AUTH_GOOGLE_CLIENT_SECRET" is given both in extraEnv and extraSecrets; give it once`,
      `${SVC}: extraSecrets.AUTH_GOOGLE_CLIENT_SECRET.secretId "projects/p/secrets/y" is invalid; give the secret id, not its full name`,
      `${SVC}: extraEnv.AUTH_GOOGLE_CLIENT_SECRET looks like a secret; plain env vars show in the console and the plan, so pass it through extraSecrets (a Secret Manager secret id)`,
    ]);
  });

  test('min instances above max, bad timeout', () => {
    expect(problemsOf(server({ minInstances: 5, maxInstances: 2, requestTimeoutSeconds: 7200 }))).toEqual([
      `${SVC}: minInstances 5 is greater than maxInstances 2`,
      `${SVC}: requestTimeoutSeconds 7200 must be from 1 to 3600`,
    ]);
  });

  test('migration timeouts out of range, and a query timeout longer than the job', () => {
    expect(problemsOf(server({ migrationTimeoutSeconds: 90000, migrationQueryTimeoutSeconds: 5 }))).toEqual([
      `${SVC}: migrationTimeoutSeconds 90000 must be from 60 to 86400`,
      `${SVC}: migrationQueryTimeoutSeconds 5 must be from 10 to 86400`,
    ]);
    expect(problemsOf(server({ migrationTimeoutSeconds: 3600, migrationQueryTimeoutSeconds: 7200 }))).toEqual([
      `${SVC}: migrationQueryTimeoutSeconds 7200 is longer than migrationTimeoutSeconds 3600; the job would be stopped first`,
    ]);
  });

  test('a database in another region than the service', () => {
    const { build } = backendParts({ region: 'europe-west1' });
    expect(problemsOf(build)).toEqual([
      `${SVC}: Cloud Run service region "europe-west1" differs from the environment's region "us-east1"; one environment uses one region everywhere`,
      `${SVC}: Cloud SQL instance region "us-east1" differs from the environment's region "europe-west1"; one environment uses one region everywhere`,
      `${SVC}: google-beta provider region "us-east1" differs from the environment's region "europe-west1"; one environment uses one region everywhere`,
    ]);
  });

  test('a service account id Google rejects', () => {
    expect(problemsOf(server({ serviceAccountId: 'twenty-production-server-runtime-sa' }))).toEqual([
      `${SVC}: service account id "twenty-production-server-runtime-sa" is invalid; it must be 6-30 lowercase letters, digits and hyphens, starting with a letter (set \`serviceAccountId\`)`,
    ]);
  });

  test('no google-beta provider for the migration job', () => {
    const stack = new TerraformStack(testApp(), 'test');
    new GcsBackend(stack, { bucket: 'acme-twenty-tfstate' });
    new GoogleProvider(stack, 'google', { project: 'acme-twenty-test', region: 'us-east1' });
    expect(problemsOf(server({}, stack))).toEqual([
      // cdktf's own validation says the same about the job's provider.
      "test: Found resources without a matching provider construct. Please make sure to add provider constructs [e.g. new RandomProvider(...)] to your stack 'test' for the following providers: google-beta",
      `${SVC}: no google-beta provider: the migration job needs one (run_execution_token is beta in provider 6.50); add a GoogleBetaProvider to the stack or pass \`betaProvider\``,
    ]);
  });
});

test('the AWS SDK checksum switches are owned: extraEnv cannot turn them back on', () => {
  expect(
    problemsOf(
      backendParts({
        extraEnv: {
          AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_SUPPORTED',
          AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_SUPPORTED',
        },
      }).build,
    ),
  ).toEqual([
    `${SVC}: env var "AWS_REQUEST_CHECKSUM_CALCULATION" is set by the construct and cannot be overridden`,
    `${SVC}: env var "AWS_RESPONSE_CHECKSUM_VALIDATION" is set by the construct and cannot be overridden`,
  ]);
});

describe('IAM propagation wait', () => {
  test('out of range', () => {
    expect(problemsOf(backendParts({ iamPropagationSeconds: 601 }).build)).toEqual([
      `${SVC}: iamPropagationSeconds 601 must be a whole number from 0 to 600 (0 turns the wait off)`,
    ]);
    expect(problemsOf(backendParts({ iamPropagationSeconds: 1.5 }).build)).toEqual([
      `${SVC}: iamPropagationSeconds 1.5 must be a whole number from 0 to 600 (0 turns the wait off)`,
    ]);
  });

  test('a grant for a new extra secret is a new trigger, so adding one waits again', () => {
    const triggersOf = (props: Partial<TwentyBackendServiceProps>) => {
      const { stack, build } = backendParts(props);
      build();
      return Object.values(synthJson(stack).resource.time_sleep)[0] as { triggers: Record<string, string> };
    };
    const before = triggersOf({}).triggers;
    const after = triggersOf({ extraSecrets: { EMAIL_SMTP_PASSWORD: { secretId: 'smtp-password' } } }).triggers;
    expect(Object.keys(after).filter((k) => !(k in before))).toEqual(['test/server/ReadEmailSmtpPassword']);
    expect(after['test/server/ReadEmailSmtpPassword']).toMatch(
      /^\$\{google_secret_manager_secret_iam_member\.server_ReadEmailSmtpPassword_[0-9A-F]+\.id\}$/,
    );
    for (const [k, v] of Object.entries(before)) expect(after[k]).toBe(v);
  });

  test('0 turns it off: no time_sleep, nothing waits on one', () => {
    const { stack, build } = backendParts({ iamPropagationSeconds: 0 });
    const server = build();
    expect(server.iamPropagation).toBeUndefined();
    const json = synthJson(stack);
    expect(json.resource.time_sleep).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('time_sleep');
  });

  test('a stack without a time provider gets one; one that has it keeps its own', () => {
    const { stack, build } = backendParts({});
    build();
    expect(synthJson(stack).provider.time).toEqual([{}]);
    const own = providerStack();
    new TimeProvider(own, 'clock');
    backendParts({}, own).build();
    expect(Object.keys(own.node.findAll().filter((c) => c instanceof TimeProvider))).toHaveLength(1);
    expect(synthJson(own).provider.time).toEqual([{}]);
  });
});

describe('worker and connection budget', () => {
  // v2.45.0: core, workspace and workspace v2 pools per process (connection-budget.ts).
  const budgetStack = () => (props: Partial<TwentyBackendServiceProps>) =>
    backendParts(props, providerStack(), { maxConnections: 100 }).build;
  const tail =
    'Ways out: a bigger database tier or a higher database maxConnections, fewer maxInstances or workerInstances, or a smaller dbPoolSize';

  test('fits exactly: (1 + 1 + 1) x 3 pools x 10 + 10 = 100', () => {
    expect(problemsOf(budgetStack()({ maxInstances: 1 }))).toEqual([]);
  });

  test('one over: (2 + 1 + 1) x 3 pools x 10 + 10 = 130 > 100, with the arithmetic and the ways out', () => {
    expect(problemsOf(budgetStack()({ maxInstances: 2, dbPoolSize: 10 }))).toEqual([
      `${SVC}: database connections do not fit: (2 maxInstances + 1 workerInstances + 1 migration job) x 3 pools per Twenty process (core, workspace, workspace v2) x 10 dbPoolSize + 10 admin headroom = 130 > 100 max_connections of database tier db-custom-1-3840. ${tail}; the largest dbPoolSize that fits is 7`,
    ]);
  });

  test('one connection short: the same (1 + 1 + 1) x 3 x 10 + 10 = 100 against max_connections 99', () => {
    expect(
      problemsOf(backendParts({ maxInstances: 1, dbPoolSize: 10 }, providerStack(), { maxConnections: 99 }).build),
    ).toEqual([
      `${SVC}: database connections do not fit: (1 maxInstances + 1 workerInstances + 1 migration job) x 3 pools per Twenty process (core, workspace, workspace v2) x 10 dbPoolSize + 10 admin headroom = 100 > 99 max_connections of database tier db-custom-1-3840. ${tail}; the largest dbPoolSize that fits is 9`,
    ]);
  });

  test('a pool of one connection more than fits is refused, the largest that fits passes', () => {
    // (5 + 1 + 1) x 3 x 4 + 10 = 94 <= 100; x 5 = 115 > 100.
    expect(problemsOf(budgetStack()({ maxInstances: 5, dbPoolSize: 4 }))).toEqual([]);
    expect(problemsOf(budgetStack()({ maxInstances: 5, dbPoolSize: 5 }))).toEqual([
      `${SVC}: database connections do not fit: (5 maxInstances + 1 workerInstances + 1 migration job) x 3 pools per Twenty process (core, workspace, workspace v2) x 5 dbPoolSize + 10 admin headroom = 115 > 100 max_connections of database tier db-custom-1-3840. ${tail}; the largest dbPoolSize that fits is 4`,
    ]);
  });

  test('more worker instances move the boundary; no hint when not even a pool of 2 fits', () => {
    expect(problemsOf(budgetStack()({ maxInstances: 10, workerInstances: 6, dbPoolSize: 10 }))).toEqual([
      `${SVC}: database connections do not fit: (10 maxInstances + 6 workerInstances + 1 migration job) x 3 pools per Twenty process (core, workspace, workspace v2) x 10 dbPoolSize + 10 admin headroom = 520 > 100 max_connections of database tier db-custom-1-3840. ${tail}`,
    ]);
  });

  test('releases before the ORM v2 pools count two pools: v2.30.0 fits (2 + 1 + 1) x 2 x 10 + 10 = 90', () => {
    // v2.30 is below MIN_SUPPORTED_VERSION now (no recorded image contract), so the construct
    // refuses it; the budget rule for it is checked on the budget function itself.
    const v2_30 = {
      twentyVersion: parseTwentyVersion('v2.30.0')!,
      workerInstances: 1,
      maxConnections: 100,
      tier: 'db-custom-1-3840',
      poolSize: 10,
    };
    expect(connectionBudgetProblems({ ...v2_30, serverMaxInstances: 2 })).toEqual([]);
    expect(connectionBudgetProblems({ ...v2_30, serverMaxInstances: 4 })).toEqual([
      `database connections do not fit: (4 maxInstances + 1 workerInstances + 1 migration job) x 2 pools per Twenty process (core, workspace) x 10 dbPoolSize + 10 admin headroom = 130 > 100 max_connections of database tier db-custom-1-3840. ${tail}; the largest dbPoolSize that fits is 7`,
    ]);
  });

  test('without dbPoolSize the pool shrinks to the largest that fits, never below 2', () => {
    const poolOf = (props: Partial<TwentyBackendServiceProps>, db = {}) =>
      backendParts(props, providerStack(), db).build().dbPoolSize;
    // Defaults: (5 + 1 + 1) x 3 pools x 4 + 10 = 94 <= 100 of db-custom-1-3840.
    expect(poolOf({})).toBe(4);
    expect(poolOf({}, { tier: 'db-custom-2-7680' })).toBe(10);
    expect(problemsOf(backendParts({ maxInstances: 100 }, providerStack()).build)).toEqual([
      `${SVC}: database connections do not fit: (100 maxInstances + 1 workerInstances + 1 migration job) x 3 pools per Twenty process (core, workspace, workspace v2) x 2 dbPoolSize + 10 admin headroom = 622 > 100 max_connections of database tier db-custom-1-3840. ${tail}`,
    ]);
  });

  test('a shrunk default pool is a warning that names the numbers; a given pool or one of 10 warns nothing', () => {
    const warnings = (props: Partial<TwentyBackendServiceProps>, db = {}) => {
      const { stack, build } = backendParts(props, providerStack(), db);
      build();
      return stack.node
        .findAll()
        .flatMap((c) => c.node.metadata.map((m) => String(m.data)))
        .filter((m) => m.includes('dbPoolSize'));
    };
    expect(warnings({})).toEqual([
      "dbPoolSize is not set: using 4, the largest pool that fits max_connections 100 (Twenty's default is 10); set dbPoolSize, or give the database more connections, to choose yourself",
    ]);
    expect(warnings({ dbPoolSize: 4 })).toEqual([]);
    expect(warnings({}, { tier: 'db-custom-2-7680' })).toEqual([]);
  });

  test("the tier's default max_connections is used without a flag (db-g1-small: 50)", () => {
    expect(
      problemsOf(backendParts({ maxInstances: 1, dbPoolSize: 5 }, providerStack(), { tier: 'db-g1-small' }).build),
    ).toEqual([
      `${SVC}: database connections do not fit: (1 maxInstances + 1 workerInstances + 1 migration job) x 3 pools per Twenty process (core, workspace, workspace v2) x 5 dbPoolSize + 10 admin headroom = 55 > 50 max_connections of database tier db-g1-small. ${tail}; the largest dbPoolSize that fits is 4`,
    ]);
  });

  test('zero workers is refused; only the explicit flag removes the worker', () => {
    expect(problemsOf(budgetStack()({ workerInstances: 0, dbPoolSize: 1 }))).toEqual([
      `${SVC}: workerInstances 0 must be a whole number from 1 to 100; queued jobs never run without a worker (set disableWorker to run without one)`,
      `${SVC}: dbPoolSize 1 must be a whole number from 2 to 100`,
    ]);
  });
});

describe('environment config', () => {
  test('every problem at once, each once, and construction goes on', () => {
    const app = testApp();
    const bad = env({
      projectId: 'Acme',
      region: 'us-east-1',
      twentyVersion: '',
      publicUrl: 'http://crm.example.com',
      service: { minInstances: 4, maxInstances: 2, deletionProtection: false },
    });
    expect(problemsOf(() => new TwentyStack(app, bad))).toEqual([
      'environment "dev": project id "Acme" is invalid; it must be 6-30 characters of lowercase letters, digits and hyphens, start with a letter and not end with a hyphen',
      expect.stringContaining(
        'environment "dev": region "us-east-1" is not a Google Cloud region with Cloud Run and Cloud SQL (that looks like an AWS region; Google writes regions without the second dash, e.g. "us-east1"); allowed: africa-south1, ',
      ),
      'environment "dev": Twenty version "" is not pinned; use a release tag such as "v2.45.0" so that a deploy is repeatable',
      'environment "dev": serverUrl "http://crm.example.com" must use https; Twenty sets secure cookies and OAuth callbacks from it',
      'TwentyBackendService twenty-dev/server: minInstances 4 is greater than maxInstances 2',
      'FirebaseProxyHosting twenty-dev/front-door: the Twenty service\'s serverUrl "http://crm.example.com" differs from this front door\'s public URL "https://crm-dev.example.com"; Twenty builds links, OAuth callbacks and cookie origins from SERVER_URL, so set serverUrl (the environment\'s publicUrl) to "https://crm-dev.example.com"',
    ]);
  });

  test('the dev example at its budget boundary: maxInstances 5 fits (7 x 3 x 4 + 10 = 94), 6 is one over (106 > 100)', () => {
    const dev = envByName('dev');
    expect(
      problemsOf(() => new TwentyStack(testApp(), { ...dev, service: { ...dev.service, maxInstances: 5 } })),
    ).toEqual([]);
    expect(
      problemsOf(() => new TwentyStack(testApp(), { ...dev, service: { ...dev.service, maxInstances: 6 } })),
    ).toEqual([
      'TwentyBackendService twenty-dev/server: database connections do not fit: (6 maxInstances + 1 workerInstances + 1 migration job) x 3 pools per Twenty process (core, workspace, workspace v2) x 4 dbPoolSize + 10 admin headroom = 106 > 100 max_connections of database tier db-custom-1-3840. Ways out: a bigger database tier or a higher database maxConnections, fewer maxInstances or workerInstances, or a smaller dbPoolSize; the largest dbPoolSize that fits is 3',
    ]);
  });

  test('the prod example at its budget boundary: maxInstances 11 fits exactly (13 x 3 x 10 + 10 = 400), 12 is one over', () => {
    const prod = envByName('prod');
    const at = (maxInstances: number, dbPoolSize?: number) =>
      new TwentyStack(testApp(), { ...prod, service: { ...prod.service, maxInstances, dbPoolSize } });
    expect(at(11).backend.dbPoolSize).toBe(10);
    // Without dbPoolSize the pool shrinks to what fits; given explicitly, one over is refused.
    expect(at(12).backend.dbPoolSize).toBe(9);
    expect(problemsOf(() => at(12, 10))).toEqual([
      'TwentyBackendService twenty-prod/server: database connections do not fit: (12 maxInstances + 1 workerInstances + 1 migration job) x 3 pools per Twenty process (core, workspace, workspace v2) x 10 dbPoolSize + 10 admin headroom = 430 > 400 max_connections of database tier db-custom-2-7680. Ways out: a bigger database tier or a higher database maxConnections, fewer maxInstances or workerInstances, or a smaller dbPoolSize; the largest dbPoolSize that fits is 9',
    ]);
  });

  test('the minimal config is enough, and publicUrl comes from the front door', () => {
    const stack = new TwentyStack(testApp(), MINIMAL);
    expect(errorsOf(stack)).toEqual([]);
    expect(stack.publicUrl).toBe('https://crm.acme.example');
    const firebase = new TwentyStack(testApp(), {
      ...MINIMAL,
      twentyVersion: 'v2.31.1',
      frontDoor: { kind: 'firebase', siteId: 'acme-crm' },
    });
    expect(firebase.publicUrl).toBe('https://acme-crm.web.app');
  });

  test('front door "none" needs publicUrl', () => {
    expect(problemsOf(() => new TwentyStack(testApp(), { ...MINIMAL, frontDoor: { kind: 'none' } }))).toEqual([
      'environment "prod": publicUrl is missing; with frontDoor kind "none" give the https URL users open (it becomes SERVER_URL)',
    ]);
  });
});

describe('strict input: unknown keys and wrong kinds are refused, with "did you mean"', () => {
  test('a typo in the environment config, at any depth', () => {
    const config = untyped({
      ...MINIMAL,
      regoin: 'us-east1',
      colour: 'blue',
      service: { maxInstance: 20 },
      database: { tier: 'db-custom-2-7680', highAvailibility: true },
      frontDoor: { kind: 'load-balancer', domain: 'crm.acme.example', securityPolcy: 'armor' },
    });
    expect(problemsOf(() => new TwentyStack(testApp(), config))).toEqual([
      'environment "prod": unknown key "regoin"; did you mean "region"?',
      'environment "prod": unknown key "colour"; known: name, production, projectId, region, twentyVersion, stateBucket, frontDoor, publicUrl, labels, database, redis, service, monitoring, secretAccessAuditLogs',
      'environment "prod": unknown key "service.maxInstance"; did you mean "service.maxInstances"?',
      'environment "prod": unknown key "database.highAvailibility"; did you mean "database.highAvailability"?',
      'environment "prod": unknown key "frontDoor.securityPolcy"; did you mean "frontDoor.securityPolicy"?',
    ]);
  });

  test('the audit-log opt-out: a typo and a string are refused', () => {
    expect(problemsOf(() => new TwentyStack(testApp(), untyped({ ...MINIMAL, secretAccessAuditLog: false })))).toEqual([
      'environment "prod": unknown key "secretAccessAuditLog"; did you mean "secretAccessAuditLogs"?',
    ]);
    expect(problemsOf(() => new TwentyStack(testApp(), untyped({ ...MINIMAL, secretAccessAuditLogs: 'no' })))).toEqual([
      'environment "prod": secretAccessAuditLogs is the string "no"; expected a boolean',
    ]);
  });

  test('a missing key, a wrong front door kind and a value of the wrong kind', () => {
    const config = untyped({
      ...MINIMAL,
      stateBucket: undefined,
      production: 'yes',
      frontDoor: { kind: 'cloudflare' },
    });
    expect(problemsOf(() => new TwentyStack(testApp(), config))).toEqual([
      'environment "prod": production is the string "yes"; expected a boolean',
      'environment "prod": key "stateBucket" is missing',
      'environment "prod": frontDoor.kind "cloudflare" is not a front door; use "load-balancer", "firebase" or "none"',
    ]);
  });

  test('construct props: unknown, nested and missing', () => {
    const props = {
      maxInstance: 20,
      extraSecrets: { SMTP_PASSWORD: { secretID: 'smtp' } },
    } as unknown as Partial<TwentyBackendServiceProps>;
    expect(problemsOf(server(props))).toEqual([
      `${SVC}: unknown prop "maxInstance"; did you mean "maxInstances"?`,
      `${SVC}: unknown prop "extraSecrets.SMTP_PASSWORD.secretID"; did you mean "extraSecrets.SMTP_PASSWORD.secretId"?`,
      `${SVC}: prop "extraSecrets.SMTP_PASSWORD.secretId" is missing`,
    ]);
    expect(problemsOf(db({ instanceName: undefined }))).toEqual([`${DB}: prop "instanceName" is missing`]);
  });

  test('postgresVersion as a string is named as such, not "PostgreSQL 16 is not offered"', () => {
    expect(problemsOf(db({ postgresVersion: '16' as unknown as number }))).toEqual([
      `${DB}: postgresVersion is the string "16"; expected a number, e.g. 16 without quotes`,
    ]);
    const config = untyped({ ...MINIMAL, database: { postgresVersion: '16' } });
    expect(problemsOf(() => new TwentyStack(testApp(), config))).toEqual([
      'environment "prod": database.postgresVersion is the string "16"; expected a number, e.g. 16 without quotes',
    ]);
  });
});

describe('bugs, each reproduced (issue 11)', () => {
  test('two TwentyBackendServices on one database get one cloudsql.client grant each; the first keeps its id', () => {
    const { stack, database, redis, build } = backendParts();
    build();
    new TwentyBackendService(stack, 'admin', {
      serviceName: 'twenty-admin',
      twentyVersion: 'v2.45.0',
      serverUrl: 'https://admin.example.com',
      database,
      redis,
    });
    expect(errorsOf(stack)).toEqual([]);
    expect(database.node.tryFindChild('Client-ServiceAccount')).toBeDefined();
    const grants = resourcesOfType(synthJson(stack), 'google_project_iam_member').filter(
      (m) => m.role === 'roles/cloudsql.client',
    );
    expect(grants.map((g) => g.member).sort()).toEqual([
      '${google_service_account.admin_ServiceAccount_6B9D23DA.member}',
      '${google_service_account.server_ServiceAccount_54ADECEB.member}',
    ]);
  });

  test('the default files bucket name stays within 63 characters; an invalid filesBucketName is refused', () => {
    const stack = providerStack('us-east1', 'acme-corporation-twenty-crm-eu');
    const { build } = backendParts(
      { serviceName: 'twenty-production-server-eu-1', serviceAccountId: 'twenty-prod-run' },
      stack,
    );
    expect(problemsOf(build)).toEqual([]);
    const name = onlyResource(synthJson(stack), 'google_storage_bucket').name;
    expect(`acme-corporation-twenty-crm-eu-twenty-production-server-eu-1-files`.length).toBe(66);
    expect(name).toBe('acme-corporation-twenty-crm-eu-twenty-production-d0db953d-files');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(problemsOf(server({ filesBucketName: 'Acme_CRM_Files' }))).toEqual([
      `${SVC}: filesBucketName "Acme_CRM_Files" is not a valid bucket name; use 3-63 lowercase letters, digits, "-", "_" and "." (names with dots: up to 222, each dot-separated part up to 63), starting and ending with a letter or digit, not an IP address`,
    ]);
  });

  test('bucket names follow Google\'s "Bucket names" rules: dots allow 222 characters, 63 per part', () => {
    const invalid = (name: string) =>
      `${SVC}: filesBucketName ${JSON.stringify(name)} is not a valid bucket name; use 3-63 lowercase letters, digits, "-", "_" and "." (names with dots: up to 222, each dot-separated part up to 63), starting and ending with a letter or digit, not an IP address`;
    const refused = (name: string) =>
      `${SVC}: filesBucketName ${JSON.stringify(name)} is refused by Cloud Storage: names must not start with "goog" or contain "google" or a close misspelling such as "g00gle"`;
    const part = (c: string, n = 63) => c.repeat(n);
    const dotted222 = [part('a'), part('b'), part('c'), part('d', 30)].join('.');
    expect(dotted222.length).toBe(222);
    for (const ok of ['ab3', part('a'), dotted222, 'files.crm.acme.example', 'acme_crm-files']) {
      expect(problemsOf(server({ filesBucketName: ok }))).toEqual([]);
    }
    for (const bad of [
      'ab',
      part('a', 64),
      `${dotted222}e`,
      `${part('a', 64)}.example`,
      '192.168.5.4',
      'crm..files',
      '-crm-files',
      'crm files',
    ]) {
      expect(problemsOf(server({ filesBucketName: bad }))).toEqual([invalid(bad)]);
    }
    for (const bad of ['goog-crm-files', 'acme-google-files', 'acme-g00gle-files']) {
      expect(problemsOf(server({ filesBucketName: bad }))).toEqual([refused(bad)]);
    }
  });

  test('a google-beta provider in another region', () => {
    const stack = new TerraformStack(testApp(), 'test');
    new GcsBackend(stack, { bucket: 'acme-twenty-tfstate' });
    new GoogleProvider(stack, 'google', { project: 'acme-twenty-test', region: 'us-east1' });
    new GoogleBetaProvider(stack, 'google-beta', { project: 'acme-twenty-test', region: 'europe-west1' });
    expect(problemsOf(server({}, stack))).toEqual([
      `${SVC}: google-beta provider region "europe-west1" differs from the environment's region "us-east1"; one environment uses one region everywhere`,
    ]);
  });

  test('a database built for one Twenty version and a service for another', () => {
    const { build } = backendParts({ twentyVersion: 'v2.45.0' }, providerStack(), { twentyVersion: 'v2.31.1' });
    expect(problemsOf(build)).toEqual([
      `${SVC}: twentyVersion "v2.45.0" differs from "v2.31.1", the version the database test/db was built for (its PostgreSQL minimum and URL scheme follow it); give both the same twentyVersion`,
    ]);
  });

  test('Cloud Run cpu and memory that Cloud Run refuses', () => {
    expect(problemsOf(server({ cpu: '3' }))).toEqual([
      `${SVC}: cpu "3" is not a Cloud Run CPU count; allowed: "1", "2", "4", "6" or "8" (below 1 CPU Cloud Run serves one request at a time)`,
    ]);
    expect(problemsOf(server({ memory: '128Mi' }))).toEqual([
      `${SVC}: memory "128Mi" does not fit 2 CPU; Cloud Run takes 512 MiB to 8 GiB with 2 CPU`,
    ]);
    expect(problemsOf(server({ cpu: '4', memory: '1Gi' }))).toEqual([
      `${SVC}: memory "1Gi" does not fit 4 CPU; Cloud Run takes 2 GiB to 16 GiB with 4 CPU`,
    ]);
    expect(problemsOf(server({ workerResources: { cpu: '1', memory: '2GB' } }))).toEqual([
      `${SVC}: workerResources.memory "2GB" is not a memory size; give MiB or GiB, e.g. "512Mi" or "2Gi"`,
    ]);
    expect(problemsOf(server({ cpu: '4', memory: '4Gi', workerResources: { cpu: '2', memory: '8Gi' } }))).toEqual([]);
  });

  test('a negative disk size', () => {
    expect(problemsOf(db({ diskSizeGb: -5 }))).toEqual([
      `${DB}: diskSizeGb -5 is out of range; Cloud SQL takes a whole number of GB from 10 to 65536`,
    ]);
  });

  test('labels Google refuses, on the environment and on constructs', () => {
    expect(problemsOf(db({ labels: { Team: 'CRM Sales' } }))).toEqual([
      `${DB}: labels key "Team" is invalid; label keys are 1-63 lowercase letters, digits, "_" and "-", starting with a lowercase letter`,
      `${DB}: labels.Team value "CRM Sales" is invalid; label values are up to 63 lowercase letters, digits, "_" and "-" (no spaces)`,
    ]);
    expect(problemsOf(() => new TwentyStack(testApp(), { ...MINIMAL, labels: { team: 'CRM Sales' } }))).toEqual([
      'environment "prod": labels.team value "CRM Sales" is invalid; label values are up to 63 lowercase letters, digits, "_" and "-" (no spaces)',
    ]);
    expect(problemsOf(server({ labels: { team: 'crm-sales', cost_centre: '' } }))).toEqual([]);
  });

  test('a secret version that is neither "latest", a number nor a version alias', () => {
    const version = (v: string) => server({ extraSecrets: { EMAIL_SMTP_PASSWORD: { secretId: 'smtp', version: v } } });
    for (const bad of ['v1.2', '0', '-3', 'New', 'Latest', `a${'b'.repeat(63)}`]) {
      expect(problemsOf(version(bad))).toEqual([
        `${SVC}: extraSecrets.EMAIL_SMTP_PASSWORD.version ${JSON.stringify(bad)} is not a secret version; give "latest", a version number such as "3", or a version alias (a letter, then up to 62 letters, digits, "-" or "_"; not "new")`,
      ]);
    }
    // Cloud Run takes "latest", a version number or a version alias (Cloud Run Admin API v2 SecretKeySelector).
    for (const ok of ['latest', '3', 'v1', 'current_smtp-key', `a${'b'.repeat(62)}`]) {
      expect(problemsOf(version(ok))).toEqual([]);
    }
  });

  test('a Cloud Armor policy name Google refuses', () => {
    const config: TwentyStackConfig = {
      ...MINIMAL,
      frontDoor: { kind: 'load-balancer', domain: 'crm.acme.example', securityPolicy: 'My Armor Policy' },
    };
    expect(problemsOf(() => new TwentyStack(testApp(), config))).toEqual([
      'HttpsLoadBalancer twenty-prod/front-door: securityPolicy "My Armor Policy" is not a Cloud Armor policy name or link; names are 1-63 lowercase letters, digits and hyphens, starting with a letter (e.g. "twenty-armor"), links "projects/PROJECT/global/securityPolicies/NAME"',
    ]);
    for (const ok of [
      'twenty-armor',
      'projects/acme-crm-prod/global/securityPolicies/twenty-armor',
      'https://www.googleapis.com/compute/v1/projects/acme-crm-prod/global/securityPolicies/twenty-armor',
    ]) {
      expect(
        problemsOf(
          () =>
            new TwentyStack(testApp(), {
              ...config,
              frontDoor: { ...config.frontDoor, securityPolicy: ok } as TwentyStackConfig['frontDoor'],
            }),
        ),
      ).toEqual([]);
    }
  });

  test('a stack without a backend keeps the HMAC secret in local state: refused unless accepted', () => {
    const bare = () => {
      const stack = new TerraformStack(testApp(), 'test');
      new GoogleProvider(stack, 'google', { project: 'acme-twenty-test', region: 'us-east1' });
      new GoogleBetaProvider(stack, 'google-beta', { project: 'acme-twenty-test', region: 'us-east1' });
      return stack;
    };
    expect(problemsOf(server({}, bare()))).toEqual([
      `${SVC}: the stack keeps its Terraform state on this machine (no backend, or a LocalBackend), and that state holds the files bucket's HMAC secret; add a remote backend such as \`new GcsBackend(stack, { bucket, prefix })\` (TwentyStack does it from stateBucket), or set allowLocalState: true`,
    ]);
    const local = bare();
    new LocalBackend(local, { path: 'terraform.tfstate' });
    expect(problemsOf(server({}, local))).toHaveLength(1);
    expect(problemsOf(server({ allowLocalState: true }, bare()))).toEqual([]);
  });
});

describe('garbage configs (plain JavaScript) are reported once and never crash construction', () => {
  const cases: [object, string[]][] = [
    [
      { name: 'x' },
      ['production', 'projectId', 'region', 'twentyVersion', 'stateBucket'].map(
        (k) => `environment "x": key "${k}" is missing`,
      ),
    ],
    [{ ...MINIMAL, name: 5 }, ['environment "5": name is the number 5; expected a string']],
    [{ ...MINIMAL, database: 'x' }, ['environment "prod": database is the string "x"; expected an object']],
    [
      { ...MINIMAL, service: { extraEnv: 'x', extraSecrets: { A_B: 'x' }, workerResources: 'big', labels: 'l' } },
      [
        'environment "prod": service.extraEnv is the string "x"; expected an object',
        'environment "prod": service.extraSecrets.A_B is the string "x"; expected an object',
        'environment "prod": service.workerResources is the string "big"; expected an object',
        'environment "prod": service.labels is the string "l"; expected an object',
      ],
    ],
    [{ ...MINIMAL, frontDoor: 'lb' }, ['environment "prod": frontDoor is the string "lb"; expected an object']],
    [{ ...MINIMAL, frontDoor: { kind: 'load-balancer' } }, ['environment "prod": key "frontDoor.domain" is missing']],
    [
      { ...MINIMAL, region: 5, projectId: undefined },
      [
        'environment "prod": region is the number 5; expected a string',
        'environment "prod": key "projectId" is missing',
      ],
    ],
  ];
  test.each(cases.map(([config, expected], i) => [i, config, expected] as const))('case %i', (_i, config, expected) => {
    expect(problemsOf(() => new TwentyStack(testApp(), untyped(config)))).toEqual(expected);
  });
});
