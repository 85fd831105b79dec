/**
 * The path a machine without PostgreSQL takes (no server, no client, no `postgres` user):
 * the npm package's PostgreSQL 16 server on Unix sockets only, started as `nobody` when we
 * are root, and the psql stand-in, which must answer the migration job's queries exactly as
 * the real psql does wherever a real one exists to compare with.
 */
import { spawnSync } from 'child_process';
import { statSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import { parseTwentyVersion, migrationScript } from '../../constructs/twenty/versions';
import { PG_SOCKET_FILE, withCredentials } from '../../constructs/database/pg-url';
import { FAKE_PASSWORD } from '../support/samples';
import { findPsql, npmBinDir, startPostgres, TestPostgres } from '../support/postgres';

jest.setTimeout(120_000);

const NAME = 'acme-twenty-npm:us-east1:twenty-npm';
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
let server: TestPostgres | undefined;
let url = '';

/** The psql lines of the job's script, each reduced to its query. */
const queries = migrationScript(parseTwentyVersion('v2.45.0')!)
  .split('\n')
  .map((l) => /psql "\$PG_DATABASE_URL" -X -v ON_ERROR_STOP=1 -tAc "([^"]+)"/.exec(l)?.[1])
  .filter((q): q is string => q !== undefined);

function psqlAt(program: string, sql: string) {
  const r = spawnSync(program, [url, '-X', '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, PSQLRC: '/dev/null' },
  });
  return { status: r.status, stdout: r.stdout };
}

(linuxX64 ? describe : describe.skip)('PostgreSQL from npm (Linux x64)', () => {
  beforeAll(async () => {
    if (!npmBinDir())
      throw new Error(
        'the npm PostgreSQL is missing: run `bash scripts/fetch-test-postgres.sh` (`npm test` runs it first)',
      );
    server = startPostgres([NAME], 'npm');
    const admin = await server.admin();
    try {
      await admin.query(`CREATE ROLE twenty LOGIN PASSWORD ${admin.escapeLiteral(FAKE_PASSWORD)}`);
      await admin.query('CREATE DATABASE twenty OWNER twenty');
    } finally {
      await admin.end();
    }
    url = withCredentials('postgresql', 'twenty', FAKE_PASSWORD, `/twenty?host=${server.socketDir(NAME)}`);
  }, 120_000);

  afterAll(() => server?.stop());

  test('serves PostgreSQL 16 on the Cloud-SQL-shaped socket only, never as root', async () => {
    expect(server!.source).toBe('npm');
    expect(server!.major).toBe(16);
    const admin = await server!.admin();
    try {
      const { rows } = await admin.query(
        "SELECT current_setting('listen_addresses') AS listen, version() LIKE 'PostgreSQL 16.%' AS v16",
      );
      expect(rows).toEqual([{ listen: '', v16: true }]);
    } finally {
      await admin.end();
    }
    const owner = statSync(join(server!.socketDir(NAME), PG_SOCKET_FILE)).uid;
    if (process.getuid?.() === 0) expect(owner).not.toBe(0);
  });

  test("the psql stand-in answers the job's queries as the real psql does", async () => {
    expect(queries).toHaveLength(3);
    const standin = join(__dirname, '../support/psql-standin.js');
    const real = findPsql();
    const owner = new Client({ connectionString: url });
    await owner.connect();
    try {
      for (const setup of [
        '',
        'CREATE SCHEMA core',
        'CREATE TABLE core.workspace (id int)',
        'INSERT INTO core.workspace VALUES (1)',
      ]) {
        if (setup) await owner.query(setup);
        for (const q of queries.slice(0, setup === '' ? 1 : setup.startsWith('CREATE SCHEMA') ? 2 : 3)) {
          const answer = psqlAt(standin, q);
          expect(answer.stdout).toMatch(/^[tf]\n$/);
          if (real.real) expect([q, answer]).toEqual([q, psqlAt(real.path, q)]);
        }
      }
    } finally {
      await owner.end();
    }
    // A failing query fails the stand-in as ON_ERROR_STOP fails psql.
    expect(psqlAt(standin, 'SELECT FROM no_such_table').status).toBe(1);
    if (real.real) expect(psqlAt(real.path, 'SELECT FROM no_such_table').status).not.toBe(0);
  });
});
