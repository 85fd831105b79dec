/**
 * The synthesized migration job, run as Cloud Run would run it, in a sandbox shaped like
 * the twentycrm/twenty image its contract records: PATH holds exactly the contract's
 * programs (a recording `yarn` stand-in built from the contract, the real psql, sh, node;
 * no tsx, npx or npm), against a real PostgreSQL listening only on
 * `<tmp>/cloudsql/PROJECT:REGION:INSTANCE/`.
 *
 * pgAudit: both environments have `auditDdl` on, so their jobs create the `pgaudit`
 * extension. Where this PostgreSQL build has pgAudit (Debian `postgresql-N-pgaudit`), the
 * server loads it as Cloud SQL does with `cloudsql.enable_pgaudit=on` (`shared_preload_libraries`,
 * `pgaudit.log = 'ddl,role'`), and the job's user is SUPERUSER: on plain PostgreSQL that is the
 * only way to hold the one right of Cloud SQL's `cloudsqlsuperuser` that matters here,
 * creating supported extensions and event triggers (cloud.google.com/sql/docs/postgres/users,
 * /extensions). Where it has none (the npm PostgreSQL), the pgAudit cases are skipped with the
 * reason, and the other cases run each environment's job synthesized with `auditDdl: false`.
 */
import { readFileSync } from 'fs';
import { Client } from 'pg';
import { ImageContract } from '../../constructs/twenty/contract';
import { contractFor, parseTwentyVersion } from '../../constructs/twenty/versions';
import { ENVIRONMENTS } from '../../examples/environments/environments';
import { makeSandbox, Sandbox } from '../support/contract-sandbox';
import { findPostgresBinDir, findPsql, pgauditMissing, startPostgres, TestPostgres } from '../support/postgres';
import { connectionNameOf, evaluatePgUrls, HOSTILE_PASSWORD } from '../support/samples';
import { Json, onlyResource, synthEnv } from '../support/synth';
import { requireTerraform } from '../support/terraform';

// Real programs run here: a generous limit for a loaded machine (nothing asserts a duration).
jest.setTimeout(120_000);

/** The migration script on main before this contract (v2.45.0), kept as a negative control. */
const TODAYS_SCRIPT = [
  'set -eu',
  'echo "twenty migrate: checking schema"',
  'has_schema=$(psql "$PG_DATABASE_URL" -v ON_ERROR_STOP=1 -tAc "SELECT EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = \'core\')")',
  'if [ "$has_schema" = "f" ]; then',
  '  echo "twenty migrate: empty database, creating schema"',
  '  NODE_OPTIONS="--max-old-space-size=1500" tsx ./scripts/setup-db.ts',
  '  yarn database:migrate:prod',
  'fi',
  'yarn command:prod cache:flush || echo "warning: cache flush failed, continuing"',
  'yarn command:prod upgrade',
  'yarn command:prod cache:flush || echo "warning: cache flush failed, continuing"',
  'yarn command:prod cron:register:all || echo "warning: cron registration failed, continuing"',
  'echo "twenty migrate: done"',
].join('\n');

/** Why this machine's PostgreSQL cannot load pgAudit, or undefined when it can. */
const pgauditWhyNot = (() => {
  try {
    return pgauditMissing(findPostgresBinDir().binDir);
  } catch (e) {
    return (e as Error).message;
  }
})();
const withPgaudit = pgauditWhyNot ? test.skip : test;
if (pgauditWhyNot)
  console.warn(`pgAudit cases skipped, other cases run the jobs with auditDdl: false: ${pgauditWhyNot}`);
const PGAUDIT_CONF = [
  "shared_preload_libraries = 'pgaudit'",
  "pgaudit.log = 'ddl,role'",
  // The database of each line, to tell the cases' AUDIT lines apart.
  "log_line_prefix = '%m [%p] %d '",
];
const CREATING = 'twenty migrate: pgAudit is on (auditDdl): creating the pgaudit extension in this database';
const CANNOT = 'twenty migrate: could not create the pgaudit extension';

const INIT = ['database:init:prod', 'database:migrate:prod --force --include-slow'];
const UPGRADE = ['command:prod cache:flush', 'command:prod upgrade', 'command:prod cache:flush'];

interface Env {
  name: string;
  /** The synthesized stack whose job the cases run (auditDdl off where pgAudit is missing). */
  json: Json;
  /** The environment as configured (auditDdl on). */
  audited: Json;
  /** The environment with auditDdl: false. */
  unaudited: Json;
  contract: ImageContract;
  sandbox: Sandbox;
  /** PG_DATABASE_URL as Terraform evaluates it, `/cloudsql` mapped to the test's socket root. */
  url: string;
  /** PG_DATABASE_URL with its `/cloudsql` root, to map onto any test server. */
  cloudsqlUrl: string;
}

let server: TestPostgres | undefined;
/** A server that cannot load pgAudit (the main one where it cannot anyway). */
let plain: TestPostgres | undefined;
const envs: Env[] = [];
const psql = findPsql();
let databases = 0;

const container = (json: Json, type: string) =>
  onlyResource(json, type).template.template?.containers?.[0] ?? onlyResource(json, type).template.containers[0];

/** The plain (non-secret) env of a container, as Cloud Run would set it. */
function plainEnv(c: Json): Record<string, string> {
  return Object.fromEntries((c.env as Json[]).filter((e) => typeof e.value === 'string').map((e) => [e.name, e.value]));
}

async function admin<T>(fn: (c: Client) => Promise<T>, on: TestPostgres = server!): Promise<T> {
  const c = await on.admin();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new, empty database owned by the job's user; returns its URL. */
async function freshDatabase(e: Env, on: TestPostgres = server!, owner = 'twenty'): Promise<string> {
  const db = `case${++databases}`;
  await admin((c) => c.query(`CREATE DATABASE ${db} OWNER ${owner}`), on);
  const base = e.cloudsqlUrl.replace('?host=/cloudsql/', `?host=${on.cloudsqlRoot}/`);
  const url = base.replace('@/twenty?', `@/${db}?`).replace('://twenty:', `://${owner}:`);
  if (url === e.url) throw new Error(`no database name to replace in ${e.url}`);
  return url;
}

async function sql(url: string, text: string): Promise<Json[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

/** pgAudit's lines in the server log for the database of `url`. */
function auditLines(url: string): string[] {
  const db = /@\/([^?]+)\?/.exec(url)![1];
  return readFileSync(server!.logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes(`] ${db} `) && l.includes('AUDIT: '));
}

const extensions = async (url: string) =>
  (await sql(url, 'SELECT extname FROM pg_extension ORDER BY extname')).map((r) => r.extname);

/** Runs the synthesized job's command and args, with its env, in the sandbox. */
function runJob(e: Env, url: string, extra: Record<string, string> = {}, args?: string[], json: Json = e.json) {
  const job = container(json, 'google_cloud_run_v2_job');
  e.sandbox.reset();
  const r = e.sandbox.run([...job.command, ...(args ?? job.args)], {
    ...plainEnv(job),
    PG_DATABASE_URL: url,
    ...extra,
  });
  return { ...r, calls: e.sandbox.calls() };
}

beforeAll(async () => {
  requireTerraform();
  const synthesized = ENVIRONMENTS.map((e) => {
    const audited = synthEnv(e);
    const unaudited = synthEnv({ ...e, database: { ...e.database, auditDdl: false } });
    return { name: e.name, version: e.twentyVersion, audited, unaudited, json: pgauditWhyNot ? unaudited : audited };
  });
  const names = synthesized.map((e) => connectionNameOf(e.json));
  server = startPostgres(names, undefined, { conf: pgauditWhyNot ? [] : PGAUDIT_CONF });
  plain = pgauditWhyNot ? server : startPostgres(names);
  const role = (c: Client, name: string, superuser: boolean) =>
    c.query(`CREATE ROLE ${name} LOGIN ${superuser ? 'SUPERUSER ' : ''}PASSWORD ${c.escapeLiteral(HOSTILE_PASSWORD)}`);
  await admin(async (c) => {
    // SUPERUSER stands in for cloudsqlsuperuser's right to create pgaudit (see the top).
    await role(c, 'twenty', !pgauditWhyNot);
    await c.query('CREATE DATABASE twenty OWNER twenty');
    // A user without that right, for a negative control.
    if (!pgauditWhyNot) await role(c, 'twenty_plain', false);
  });
  if (plain !== server) await admin((c) => role(c, 'twenty', true), plain);
  for (const s of synthesized) {
    const [url] = evaluatePgUrls(s.json, [HOSTILE_PASSWORD]);
    if (url.split('?host=/cloudsql/').length !== 2) throw new Error(`not a /cloudsql socket URL: ${url}`);
    if (!url.includes('://twenty:')) throw new Error(`not the twenty user's URL: ${url}`);
    const contract = contractFor(parseTwentyVersion(s.version)!).contract;
    const sandbox = makeSandbox(contract, { sh: '/bin/sh', node: process.execPath, psql: psql.path });
    envs.push({
      ...s,
      contract,
      sandbox,
      cloudsqlUrl: url,
      url: url.replace('?host=/cloudsql/', `?host=${server.cloudsqlRoot}/`),
    });
  }
}, 240_000);

afterAll(() => {
  for (const e of envs) e.sandbox.remove();
  if (plain !== server) plain?.stop();
  server?.stop();
});

test(`the sandbox has exactly the contract's programs (psql: ${psql.real ? 'the real one' : 'the node-postgres stand-in'})`, () => {
  for (const e of envs) {
    const probe = (p: string) => e.sandbox.run(['/bin/sh', '-c', `command -v ${p}`], {}).status;
    for (const p of e.contract.programs.has) expect([p, probe(p)]).toEqual([p, 0]);
    for (const p of [...e.contract.programs.lacks, 'awk', 'cat']) expect([p, probe(p)]).toEqual([p, 127]);
  }
});

test('control: the yarn stand-in refuses scripts and arguments its line does not have', () => {
  for (const e of envs) {
    const yarn = (args: string) => e.sandbox.run(['/bin/sh', '-c', `yarn ${args}`], { PG_DATABASE_URL: e.url });
    expect(yarn('database:migrate:prod --bogus')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('does not take --bogus'),
    });
    expect(yarn('command:prod no:such')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('has no command "no:such"'),
    });
    expect(yarn('setup-db')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('Couldn\'t find a script named "setup-db"'),
    });
  }
});

describe.each(ENVIRONMENTS.map((e) => e.name))('the %s migration job', (name) => {
  const env = () => envs.find((e) => e.name === name)!;

  test("runs with Twenty's own timeouts raised in its env only", () => {
    const job = plainEnv(container(env().json, 'google_cloud_run_v2_job'));
    const timeoutSeconds = Number(
      String(onlyResource(env().json, 'google_cloud_run_v2_job').template.template.timeout).replace(/s$/, ''),
    );
    expect(Number(job.PG_DATABASE_PRIMARY_TIMEOUT_MS)).toBe(timeoutSeconds * 1000);
    expect(timeoutSeconds).toBeGreaterThanOrEqual(3600);
    expect(env().contract.timeouts.PG_DATABASE_PRIMARY_TIMEOUT_MS.default).toBe(10000);
    for (const type of ['google_cloud_run_v2_service', 'google_cloud_run_v2_worker_pool']) {
      expect(plainEnv(container(env().json, type)).PG_DATABASE_PRIMARY_TIMEOUT_MS).toBeUndefined();
    }
  });

  test("empty database: Twenty's init, then cache flush, upgrade, cache flush", async () => {
    const url = await freshDatabase(env());
    const r = runJob(env(), url);
    expect(r.stderr).toBe('');
    expect(r.stdout.includes(CREATING)).toBe(!pgauditWhyNot);
    expect(r.calls).toEqual([...INIT, ...UPGRADE]);
    expect(r.status).toBe(0);
    expect(await sql(url, "SELECT to_regclass('core.workspace') IS NOT NULL AS t")).toEqual([{ t: true }]);
  });

  test('an init that stopped halfway is detected and resumed, not skipped', async () => {
    const url = await freshDatabase(env());
    // First run: setup-db made schema core, then the instance commands failed.
    const first = runJob(env(), url, { YARN_FAIL: 'database:migrate:prod' });
    expect(first.calls).toEqual(INIT);
    expect(first.status).not.toBe(0);
    expect(
      await sql(
        url,
        "SELECT to_regclass('core.workspace') IS NULL AS missing, EXISTS (SELECT 1 FROM information_schema.schemata WHERE schema_name = 'core') AS core",
      ),
    ).toEqual([{ missing: true, core: true }]);
    const second = runJob(env(), url);
    expect(second.calls).toEqual([...INIT, ...UPGRADE]);
    expect(second.status).toBe(0);
  });

  test('an init that stopped inside the instance commands (history table, no workspace table) is resumed', async () => {
    const url = await freshDatabase(env());
    await sql(
      url,
      'CREATE SCHEMA core; CREATE TABLE core."upgradeMigration" (id serial PRIMARY KEY, name varchar NOT NULL)',
    );
    const r = runJob(env(), url);
    expect(r.calls).toEqual([...INIT, ...UPGRADE]);
    expect(r.status).toBe(0);
  });

  test('control: a core schema alone does not prove a finished init (upgrade fails on it)', async () => {
    const url = await freshDatabase(env());
    await sql(url, 'CREATE SCHEMA core');
    const r = env().sandbox.run(['/bin/sh', '-c', 'yarn command:prod upgrade'], { PG_DATABASE_URL: url });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('upgradeMigration');
  });

  test('populated database (a workspace exists): upgrade only, never init', async () => {
    const url = await freshDatabase(env());
    expect(runJob(env(), url).status).toBe(0);
    await sql(url, "INSERT INTO core.workspace (subdomain) VALUES ('acme')");
    const r = runJob(env(), url);
    expect(r.calls).toEqual(UPGRADE);
    expect(r.status).toBe(0);
  });

  test('a failing upgrade fails the job, and nothing runs after it', async () => {
    const url = await freshDatabase(env());
    expect(runJob(env(), url).status).toBe(0);
    await sql(url, "INSERT INTO core.workspace (subdomain) VALUES ('acme')");
    const r = runJob(env(), url, { YARN_FAIL: 'command:prod upgrade' });
    expect(r.calls).toEqual(['command:prod cache:flush', 'command:prod upgrade']);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('twenty migrate: done');
  });

  test('an upgrade that logs workspace failures and exits 0 fails the job; its log still reaches the job log', async () => {
    const url = await freshDatabase(env());
    expect(runJob(env(), url).status).toBe(0);
    await sql(url, "INSERT INTO core.workspace (subdomain) VALUES ('acme')");
    const r = runJob(env(), url, { YARN_WORKSPACE_FAILURES: '2' });
    expect(r.calls).toEqual(['command:prod cache:flush', 'command:prod upgrade']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Upgrade completed with 2 workspace failure(s)');
    expect(r.stderr).toContain('upgrade left workspaces not upgraded');
    expect(r.stdout).not.toContain('twenty migrate: done');
  });

  test('control: with a plain `yarn command:prod upgrade` the same workspace failures pass (exit 0)', async () => {
    const url = await freshDatabase(env());
    expect(runJob(env(), url).status).toBe(0);
    await sql(url, "INSERT INTO core.workspace (subdomain) VALUES ('acme')");
    const job = container(env().json, 'google_cloud_run_v2_job');
    const lines: string[] = job.args[0].split('\n');
    const from = lines.indexOf('exec 3>&1');
    const to = lines.findIndex((l) => l.includes('upgrade left workspaces not upgraded'));
    expect(from).toBeGreaterThan(0);
    expect(to).toBeGreaterThan(from);
    const plain = [...lines.slice(0, from), 'yarn command:prod upgrade', ...lines.slice(to + 1)].join('\n');
    const r = runJob(env(), url, { YARN_WORKSPACE_FAILURES: '2' }, [plain]);
    expect(r.calls).toEqual(UPGRADE);
    expect(r.status).toBe(0);
  });

  test('an upgrade whose last line has no newline still succeeds, and that line is logged', async () => {
    const url = await freshDatabase(env());
    expect(runJob(env(), url).status).toBe(0);
    await sql(url, "INSERT INTO core.workspace (subdomain) VALUES ('acme')");
    const r = runJob(env(), url, { YARN_NO_FINAL_NEWLINE: '1' });
    expect(r.calls).toEqual(UPGRADE);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Command completed!\n');
    expect(r.stdout).toContain('twenty migrate: done');
  });

  test('an unreachable database fails the job before any yarn call', async () => {
    const r = runJob(env(), env().url.replace(`${server!.cloudsqlRoot}/`, `${server!.cloudsqlRoot}/nowhere-`));
    expect(r.calls).toEqual([]);
    expect(r.status).not.toBe(0);
  });

  test("control: today's script on main fails on an empty database (tsx is not in the image)", async () => {
    const url = await freshDatabase(env());
    const r = runJob(env(), url, {}, [TODAYS_SCRIPT]);
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/tsx: (command )?not found/);
    expect(r.calls).toEqual([]);
  });

  describe('pgAudit (auditDdl, on in both environments)', () => {
    withPgaudit(
      "creates the pgaudit extension before Twenty's init, so that the init's DDL and all later DDL are audited with object type and name",
      async () => {
        const url = await freshDatabase(env());
        await sql(url, 'CREATE TABLE before_job (id int)');
        const r = runJob(env(), url);
        expect(r.stderr).toBe('');
        expect(r.stdout).toContain(CREATING);
        expect(r.calls).toEqual([...INIT, ...UPGRADE]);
        expect(r.status).toBe(0);
        expect(await extensions(url)).toEqual(['pgaudit', 'plpgsql']);
        await sql(url, 'CREATE TABLE after_job (id int)');
        const audit = auditLines(url);
        // The flags alone: DDL logged without object type and name (pgaudit README, "Settings").
        expect(audit).toContainEqual(
          expect.stringContaining('AUDIT: SESSION,1,1,DDL,CREATE TABLE,,,CREATE TABLE before_job'),
        );
        // The init's DDL (the yarn stand-in's, through psql) came after the extension existed.
        expect(audit).toContainEqual(expect.stringContaining('DDL,CREATE SCHEMA,SCHEMA,core,'));
        expect(audit).toContainEqual(expect.stringContaining('DDL,CREATE TABLE,TABLE,core.workspace,'));
        expect(audit).toContainEqual(
          expect.stringContaining('AUDIT: SESSION,1,1,DDL,CREATE TABLE,TABLE,public.after_job,CREATE TABLE after_job'),
        );
      },
    );

    withPgaudit('a second run finds the extension and leaves it alone (no DDL on it, no message)', async () => {
      const url = await freshDatabase(env());
      expect(runJob(env(), url).status).toBe(0);
      const before = await sql(url, "SELECT oid, extversion FROM pg_extension WHERE extname = 'pgaudit'");
      const r = runJob(env(), url);
      expect(r.stderr).toBe('');
      expect(r.stdout).not.toContain(CREATING);
      expect(r.status).toBe(0);
      expect(await sql(url, "SELECT oid, extversion FROM pg_extension WHERE extname = 'pgaudit'")).toEqual(before);
      expect(auditLines(url).filter((l) => l.includes('CREATE EXTENSION'))).toHaveLength(1);
    });

    withPgaudit(
      'negative control: a database user who may not create extensions (outside cloudsqlsuperuser) fails the job before any yarn call',
      async () => {
        const url = await freshDatabase(env(), server, 'twenty_plain');
        expect(url).toContain('://twenty_plain:');
        const r = runJob(env(), url);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain('permission denied to create extension "pgaudit"');
        expect(r.stderr).toContain(CANNOT);
        expect(r.calls).toEqual([]);
        expect(r.stdout).not.toContain('twenty migrate: done');
        expect(await extensions(url)).toEqual(['plpgsql']);
      },
    );

    test('negative control: a server that cannot load pgaudit fails the job before any yarn call, with the reason', async () => {
      const url = await freshDatabase(env(), plain);
      const r = runJob(env(), url, {}, undefined, env().audited);
      expect(r.stdout).toContain(CREATING);
      expect(r.stderr).toMatch(/ERROR: .*pgaudit/);
      expect(r.stderr).toContain(CANNOT);
      expect(r.status).toBe(1);
      expect(r.calls).toEqual([]);
      expect(await extensions(url)).toEqual(['plpgsql']);
    });

    test('with auditDdl off the job never touches extensions', async () => {
      const job = container(env().unaudited, 'google_cloud_run_v2_job');
      expect(job.args[0]).not.toMatch(/pgaudit|EXTENSION/i);
      const url = await freshDatabase(env());
      const r = runJob(env(), url, {}, undefined, env().unaudited);
      expect(r.stderr).toBe('');
      expect(r.calls).toEqual([...INIT, ...UPGRADE]);
      expect(r.status).toBe(0);
      expect(await extensions(url)).toEqual(['plpgsql']);
    });
  });

  test('the worker registers the cron schedules at every start through the image entrypoint; the server does not', () => {
    const worker = container(env().json, 'google_cloud_run_v2_worker_pool');
    const service = container(env().json, 'google_cloud_run_v2_service');
    // No command: Cloud Run runs the image's ENTRYPOINT with the worker's args.
    expect(worker.command).toBeUndefined();
    const start = (c: Json, args: string[]) => {
      env().sandbox.reset();
      const r = env().sandbox.run([env().sandbox.entrypoint, ...args], { ...plainEnv(c), PG_DATABASE_URL: env().url });
      return { status: r.status, calls: env().sandbox.calls() };
    };
    expect(start(worker, worker.args)).toEqual({ status: 0, calls: ['command:prod cron:register:all', 'worker:prod'] });
    // The same switches as the server's: no migration, no cron registration.
    expect(start(service, worker.args)).toEqual({ status: 0, calls: ['worker:prod'] });
    expect(env().contract.crons.idempotent).toBe(true);
  });
});
