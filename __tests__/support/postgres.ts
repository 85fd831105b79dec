/**
 * A throwaway PostgreSQL server shaped like Cloud SQL behind Cloud Run: no TCP listener,
 * one Unix socket per `<root>/cloudsql/PROJECT:REGION:INSTANCE/` directory, password
 * (SCRAM) authentication. As root it runs as the `postgres` OS user (initdb refuses root).
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import { randomBytes } from 'crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { Client } from 'pg';
import { MAX_SOCKET_PATH_BYTES, PG_SOCKET_FILE } from '../../constructs/internal/pg-url';

export const POSTGRES_INSTALL = 'run `npm run test:deps` (Debian/Ubuntu: `sudo apt-get install -y postgresql postgresql-client`)';
const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];

/** The newest `/usr/lib/postgresql/N/bin`, else the directory `initdb` on the PATH resolves to. */
export function findPostgresBinDir(): string {
  const debian = '/usr/lib/postgresql';
  const candidates = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debian, v, 'bin'))
    : [];
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const initdb = join(dir, 'initdb');
    if (existsSync(initdb)) candidates.push(dirname(realpathSync(initdb)));
  }
  const found = candidates.find((dir) => SERVER_PROGRAMS.every((p) => existsSync(join(dir, p))));
  if (!found) {
    throw new Error(`PostgreSQL server programs (${SERVER_PROGRAMS.join(', ')}) not found in ${debian}/*/bin or on the PATH: ${POSTGRES_INSTALL}`);
  }
  return found;
}

/** uid/gid to run the server as: the `postgres` user when we are root, else ourselves. */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error(`running as root, and initdb refuses root; the "postgres" OS user that should run the server does not exist: ${POSTGRES_INSTALL}`);
  }
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export interface TestPostgres {
  /** Stands in for Cloud Run's `/cloudsql` mount. */
  readonly cloudsqlRoot: string;
  readonly binDir: string;
  /** Socket directory of each connection name. */
  socketDir(connectionName: string): string;
  /** A superuser connection through the first socket. */
  admin(): Promise<Client>;
  /** Stops the server (immediate mode, then SIGKILL) and deletes its files. Idempotent. */
  stop(): void;
}

export function startPostgres(connectionNames: readonly string[]): TestPostgres {
  const binDir = findPostgresBinDir();
  const owner = serverIdentity();
  const give = (path: string) => owner && chownSync(path, owner.uid, owner.gid);

  // Short, under /tmp: the socket path must fit in 107 bytes.
  const root = mkdtempSync('/tmp/pg-');
  chmodSync(root, 0o755);
  const opts: SpawnSyncOptions = { encoding: 'utf8', cwd: root, ...owner, env: { PATH: process.env.PATH, LC_ALL: 'C' } };
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
      throw new Error(`socket path ${socket} is too long or has a quote or comma; shorten the connection name or the temp dir`);
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
      ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
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
        '',
      ].join('\n'),
    );
    const start = pgCtl(['-l', logFile, '-w', '-t', '120', 'start']);
    if (existsSync(join(dataDir, 'postmaster.pid'))) pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (start.status !== 0) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      throw new Error(`pg_ctl start failed: ${start.stdout}${start.stderr}\n${log}`);
    }

    const first = dirs.get(connectionNames[0])!;
    return {
      cloudsqlRoot,
      binDir,
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
