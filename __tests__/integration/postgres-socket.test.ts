/**
 * A real PostgreSQL server on Cloud-SQL-shaped sockets (no TCP), reached with the
 * `PG_DATABASE_URL` that real Terraform evaluates from the synthesized JSON, by
 * node-postgres (Twenty's driver) and by psql running the migration job's own script line.
 * (The awk split of entrypoints before 2.x, e.g. commit d8a26a30, no longer applies: the
 * oldest supported release's entrypoint hands the whole URL to psql.)
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'fs';
import { createConnection } from 'net';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { Client } from 'pg';
import { parse } from 'pg-connection-string';
import { ENVIRONMENTS } from '../../examples/environments/environments';
import { findPsql, startPostgres, TestPostgres } from '../support/postgres';
import { withCredentials } from '../../constructs/database/pg-url';
import { connectionNameOf, evaluatePgUrls, HOSTILE_PASSWORD } from '../support/samples';
import { Json, onlyResource, synthEnv } from '../support/synth';
import { requireTerraform } from '../support/terraform';

// Real programs run here: a generous limit for a loaded machine (nothing asserts a duration).
jest.setTimeout(60_000);

interface Env {
  name: string;
  json: Json;
  /** As evaluated by Terraform, with `/cloudsql` (Cloud Run's mount) mapped to the test's socket root. */
  url: string;
}

let server: TestPostgres | undefined;
const envs: Env[] = [];
const psql = findPsql();
/** A PATH directory with `psql` (the real one, or the stand-in where the machine has none). */
const psqlBin = mkdtempSync(join(tmpdir(), 'psql-bin-'));
symlinkSync(psql.path, join(psqlBin, 'psql'));

const mapCloudsql = (url: string) => {
  if (url.split('?host=/cloudsql/').length !== 2) throw new Error(`not a /cloudsql socket URL: ${url}`);
  return url.replace('?host=/cloudsql/', `?host=${server!.cloudsqlRoot}/`);
};

/** Runs a shell snippet with only what a container would have: PATH (with psql) and PG_DATABASE_URL. */
function sh(script: string, url: string) {
  const r = spawnSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    env: {
      PATH: `${psqlBin}:${dirname(process.execPath)}:/usr/bin:/bin`,
      PG_DATABASE_URL: url,
      HOME: server!.cloudsqlRoot,
      PSQLRC: '/dev/null',
    },
  });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

async function query(connectionString: string, sql: string): Promise<Json[]> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function errorOf(p: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  try {
    await p;
  } catch (e) {
    return e as NodeJS.ErrnoException;
  }
  throw new Error('expected an error, none was thrown');
}

beforeAll(async () => {
  requireTerraform();
  const synthesized = ENVIRONMENTS.map((e) => ({ name: e.name, json: synthEnv(e) }));
  server = startPostgres(synthesized.map((e) => connectionNameOf(e.json)));
  const admin = await server.admin();
  try {
    await admin.query(`CREATE ROLE twenty LOGIN PASSWORD ${admin.escapeLiteral(HOSTILE_PASSWORD)}`);
    await admin.query('CREATE DATABASE twenty OWNER twenty');
  } finally {
    await admin.end();
  }
  for (const e of synthesized) envs.push({ ...e, url: mapCloudsql(evaluatePgUrls(e.json, [HOSTILE_PASSWORD])[0]) });
}, 120_000);

afterAll(() => {
  server?.stop();
  rmSync(psqlBin, { recursive: true, force: true });
});

test('the server is Cloud-SQL-shaped: sockets under cloudsql/PROJECT:REGION:INSTANCE, no TCP listener', async () => {
  for (const e of envs) {
    expect(server!.socketDir(connectionNameOf(e.json))).toBe(join(server!.cloudsqlRoot, connectionNameOf(e.json)));
  }
  const [row] = await query(
    envs[0].url,
    "SELECT current_setting('listen_addresses') AS listen, current_setting('password_encryption') AS enc",
  );
  expect(row).toEqual({ listen: '', enc: 'scram-sha-256' });
});

test("node-postgres connects through each environment's socket with the evaluated URL and runs a query", async () => {
  for (const e of envs) {
    expect(parse(e.url).host).toBe(server!.socketDir(connectionNameOf(e.json)));
    const rows = await query(
      e.url,
      'SELECT current_user AS "user", current_database() AS db, inet_server_addr() IS NULL AS unix_socket',
    );
    expect(rows).toEqual([{ user: 'twenty', db: 'twenty', unix_socket: true }]);
  }
});

test(`psql (${psql.real ? 'real' : 'the node-postgres stand-in'}) runs the migration job's schema check with the evaluated URL (libpq decodes the password too)`, async () => {
  const script: string = onlyResource(envs[0].json, 'google_cloud_run_v2_job').template.template.containers[0].args[0];
  const check = script.split('\n').filter((l) => l.startsWith('has_schema=$(psql "$PG_DATABASE_URL"'));
  expect(check).toHaveLength(1);
  const run = () => sh(`set -eu\n${check[0]}\nprintf '%s' "$has_schema"`, envs[0].url);
  expect(run()).toEqual({ status: 0, stdout: 'f', stderr: '' });
  await query(envs[0].url, 'CREATE SCHEMA core');
  try {
    expect(run()).toEqual({ status: 0, stdout: 't', stderr: '' });
  } finally {
    await query(envs[0].url, 'DROP SCHEMA core');
  }
});

test('control: the server really checks the password', async () => {
  const wrong = envs[0].url.replace(/^(postgresql:\/\/twenty:)[^@]+@/, '$1wrong@');
  expect((await errorOf(query(wrong, 'SELECT 1'))).message).toBe('password authentication failed for user "twenty"');
});

test('control: the localhost:5432 form of field notes row 3 gives ECONNREFUSED', async () => {
  // Something else listening would make this control meaningless; say so instead of passing.
  const taken = await new Promise<boolean>((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port: 5432 }, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
  if (taken) throw new Error('something listens on 127.0.0.1:5432 (a system PostgreSQL?); stop it to run this control');
  const e = await errorOf(
    query(
      withCredentials('postgresql', 'twenty', encodeURIComponent(HOSTILE_PASSWORD), 'localhost:5432/twenty'),
      'SELECT 1',
    ),
  );
  expect(e.code).toBe('ECONNREFUSED');
});

test('control: an unencoded password does not survive the URL', async () => {
  const raw = withCredentials(
    'postgresql',
    'twenty',
    HOSTILE_PASSWORD,
    `/twenty?host=${server!.socketDir(connectionNameOf(envs[0].json))}`,
  );
  // `%41`, `#`, `?`, `/` and `@` cut and decode it: a wrong password, and the socket directory is lost.
  expect(parse(raw)).toMatchObject({ user: 'twenty', password: 'PwA \\"](:', host: '' });
  expect((await errorOf(query(raw, 'SELECT 1'))).message).not.toBe('');
  const run = sh('psql "$PG_DATABASE_URL" -tAc "SELECT 1"', raw);
  expect(run.status).not.toBe(0);
  if (psql.real) expect(run.stderr).toContain('URI query parameter');
});
