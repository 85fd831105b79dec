/**
 * Synthesis is deterministic, the Terraform addresses of the example environments do not
 * move (a changed address is a destroy + create in the plan), and the migration job's
 * run_execution_token follows the image and nothing else.
 */
import { App } from 'cdktf';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { CloudSqlSocketDatabase } from '../constructs/database/cloud-sql-socket-database';
import { TwentyBackendService, TwentyBackendServiceProps } from '../constructs/backend/twenty-backend-service';
import { lossOf, STATEFUL_TYPES } from '../constructs/review/catalogue';
import { UpstashRedisConfig } from '../constructs/redis/upstash-redis-config';
import { ENVIRONMENTS } from '../examples/environments/environments';
import type { TwentyStackConfig } from '../constructs/stack/twenty-stack';
import { TwentyStack } from '../constructs/stack/twenty-stack';
import { Json, onlyResource, providerStack, synthEnv, synthJson } from './support/synth';

const ADDRESSES_DIR = join(__dirname, 'addresses');

/** What destroying each type loses: the review's catalogue (constructs/review/catalogue.ts), one list for both. */
const STATEFUL: Record<string, string> = Object.fromEntries(STATEFUL_TYPES.map((t) => [t, lossOf(t)!]));

/** Every managed resource address (`type.name`) in a synthesized stack. */
function addressesOf(json: Json): string[] {
  return Object.entries((json.resource ?? {}) as Record<string, Json>)
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

function readAddresses(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function addressFile(env: TwentyStackConfig, addresses: string[]): string {
  return [
    `# Terraform resource addresses of environment "${env.name}" (stack ${TwentyStack.stackName(env)}).`,
    '# Reviewed: an address that leaves this list is a destroy + create in the plan.',
    '# After a reviewed change: UPDATE_ADDRESSES=1 npx jest __tests__/stability.test.ts',
    ...addresses,
    '',
  ].join('\n');
}

/** The failure message: what `cdktf deploy` would destroy, stateful resources first. */
function destroyReport(env: string, file: string, gone: string[], added: string[]): string {
  const typeOf = (a: string) => a.split('.')[0];
  const line = (a: string) => (STATEFUL[typeOf(a)] ? `  STATEFUL ${a}: destroys ${STATEFUL[typeOf(a)]}` : `  ${a}`);
  const renamed = gone
    .map((a) => [a, added.filter((b) => typeOf(b) === typeOf(a))] as const)
    .filter(([, to]) => to.length > 0)
    .map(([a, to]) => `  ${a} -> ${to.join(' or ')}`);
  return [
    `Environment "${env}": ${gone.length} recorded Terraform address(es) left the configuration; \`cdktf deploy\` would DESTROY:`,
    ...[...gone].sort((a, b) => Number(!STATEFUL[typeOf(a)]) - Number(!STATEFUL[typeOf(b)])).map(line),
    ...(renamed.length ? ['Probably renamed (a construct id changed):', ...renamed] : []),
    'Restore the construct id. If the move is intended, keep the resource with `resource.moveFromId(...)` (a Terraform `moved` block)',
    `and update ${file} in a reviewed commit.`,
    ...(added.length ? [`New addresses (allowed; add them to ${file}):`, ...added.map((a) => `  ${a}`)] : []),
  ].join('\n');
}

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('environment %s', (_name, env) => {
  test(`resource addresses are still those recorded in __tests__/addresses/${env.name}.txt`, () => {
    const file = join(ADDRESSES_DIR, `${env.name}.txt`);
    const shown = relative(join(__dirname, '..'), file);
    const actual = addressesOf(synthEnv(env));
    if (process.env.UPDATE_ADDRESSES) {
      if (process.env.CI) throw new Error('UPDATE_ADDRESSES is for a developer after review, not for CI');
      writeFileSync(file, addressFile(env, actual));
      return;
    }
    if (!existsSync(file))
      throw new Error(
        `${shown} is missing; review the addresses and write it with UPDATE_ADDRESSES=1 npx jest __tests__/stability.test.ts`,
      );
    const recorded = readAddresses(file);
    const gone = recorded.filter((a) => !actual.includes(a));
    const added = actual.filter((a) => !recorded.includes(a));
    if (gone.length > 0) throw new Error(destroyReport(env.name, shown, gone, added));
    if (added.length > 0)
      console.warn(`New Terraform addresses in environment "${env.name}"; add them to ${shown}:\n${added.join('\n')}`);
  });
});

test('the destroy report names stateful resources first, and likely renames', () => {
  const report = destroyReport(
    'dev',
    '__tests__/addresses/dev.txt',
    ['google_project_iam_member.server_LogWriter_2A9D02D4', 'google_sql_database_instance.database_Instance_1B6129A2'],
    ['google_sql_database_instance.db_Instance_0F0F0F0F'],
  );
  expect(report.split('\n')).toEqual([
    'Environment "dev": 2 recorded Terraform address(es) left the configuration; `cdktf deploy` would DESTROY:',
    '  STATEFUL google_sql_database_instance.database_Instance_1B6129A2: destroys the Cloud SQL instance with ALL its data, and its automated backups unless they are retained on delete',
    '  google_project_iam_member.server_LogWriter_2A9D02D4',
    'Probably renamed (a construct id changed):',
    '  google_sql_database_instance.database_Instance_1B6129A2 -> google_sql_database_instance.db_Instance_0F0F0F0F',
    'Restore the construct id. If the move is intended, keep the resource with `resource.moveFromId(...)` (a Terraform `moved` block)',
    'and update __tests__/addresses/dev.txt in a reviewed commit.',
    'New addresses (allowed; add them to __tests__/addresses/dev.txt):',
    '  google_sql_database_instance.db_Instance_0F0F0F0F',
  ]);
});

test('synthesizing the app twice writes byte-identical files', () => {
  const synthOnce = () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
    // As main.ts does, into a temp outdir.
    const app = new App({ outdir });
    for (const env of ENVIRONMENTS) new TwentyStack(app, env);
    app.synth();
    const files: Record<string, string> = {};
    const read = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) read(path);
        else files[relative(outdir, path)] = readFileSync(path, 'utf8');
      }
    };
    read(outdir);
    rmSync(outdir, { recursive: true, force: true });
    return files;
  };
  // One call site: a warning's annotation in manifest.json carries the stack trace of the synth call.
  const [first, second] = [0, 1].map(() => synthOnce());
  expect(Object.keys(first)).toEqual(
    expect.arrayContaining(ENVIRONMENTS.map((e) => `stacks/${TwentyStack.stackName(e)}/cdk.tf.json`)),
  );
  expect(second).toEqual(first);
});

describe('run_execution_token (runs the migration job) follows the image and nothing else', () => {
  const tokenOf = (overrides: Partial<TwentyBackendServiceProps> = {}): string => {
    const stack = providerStack();
    const twentyVersion = overrides.twentyVersion ?? 'v2.45.0';
    const database = new CloudSqlSocketDatabase(stack, 'database', { instanceName: 'twenty-test', twentyVersion });
    const redis = new UpstashRedisConfig(stack, 'redis');
    new TwentyBackendService(stack, 'server', {
      serviceName: 'twenty-test',
      twentyVersion,
      serverUrl: 'https://crm.example.com',
      database,
      redis,
      ...overrides,
    });
    return onlyResource(synthJson(stack), 'google_cloud_run_v2_job').run_execution_token;
  };
  let base: string;
  beforeAll(() => {
    base = tokenOf();
  });

  test('a new image (tag, digest or repository) gives a new token', () => {
    const tokens = [
      base,
      tokenOf({ twentyVersion: 'v2.45.1' }),
      tokenOf({ imageDigest: `sha256:${'a'.repeat(64)}` }),
      tokenOf({ imageDigest: `sha256:${'b'.repeat(64)}` }),
      tokenOf({ imageRepository: 'us-east1-docker.pkg.dev/acme/mirror/twenty' }),
    ];
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test('turning auditDdl off or on changes the script, so the job runs (it creates the pgaudit extension)', () => {
    const stack = providerStack();
    const database = new CloudSqlSocketDatabase(stack, 'database', {
      instanceName: 'twenty-test',
      twentyVersion: 'v2.45.0',
      auditDdl: false,
    });
    new TwentyBackendService(stack, 'server', {
      serviceName: 'twenty-test',
      twentyVersion: 'v2.45.0',
      serverUrl: 'https://crm.example.com',
      database,
      redis: new UpstashRedisConfig(stack, 'redis'),
    });
    expect(onlyResource(synthJson(stack), 'google_cloud_run_v2_job').run_execution_token).not.toBe(base);
  });

  test('anything else keeps the token (no migration run on unrelated changes)', () => {
    expect(tokenOf()).toBe(base);
    for (const overrides of [
      { serverUrl: 'https://other.example.com' },
      { cpu: '4', memory: '4Gi' },
      { minInstances: 1, maxInstances: 5 },
      { extraEnv: { IS_MULTIWORKSPACE_ENABLED: 'true' } },
      { requestTimeoutSeconds: 300, migrationTimeoutSeconds: 3600 },
    ] as Partial<TwentyBackendServiceProps>[]) {
      expect({ overrides, token: tokenOf(overrides) }).toEqual({ overrides, token: base });
    }
  });
});

test('app.synth() starts no child process (no `terraform version` per terraform_data, no Terraform needed to synth)', () => {
  const childProcess = jest.requireActual<typeof import('child_process')>('child_process');
  const execSync = jest.spyOn(childProcess, 'execSync');
  const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
  try {
    const app = new App({ outdir });
    for (const env of ENVIRONMENTS) new TwentyStack(app, env);
    app.synth();
    expect(execSync).not.toHaveBeenCalled();
  } finally {
    execSync.mockRestore();
    rmSync(outdir, { recursive: true, force: true });
  }
});
