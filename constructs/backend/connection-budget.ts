/**
 * How many PostgreSQL connections Twenty can open at full scale, checked against the
 * instance's `max_connections` at synth. Sources (twentyhq/twenty, read November 2026;
 * docs/connection-budget.md has the detail):
 * - core datasource, `poolSize: PG_POOL_MAX_CONNECTIONS`:
 *   packages/twenty-server/src/database/typeorm/core/core.datasource.ts @ b80479fa
 * - workspace datasource (`GlobalWorkspaceDataSource`), `poolSize: PG_POOL_MAX_CONNECTIONS`,
 *   plus a second one on `PG_DATABASE_REPLICA_URL` when it is set (PR #16677):
 *   packages/twenty-server/src/engine/twenty-orm/global-workspace-datasource/global-workspace-datasource.service.ts @ 44697aa8
 * - ORM v2 workspace pools (`pg.Pool`, `max: PG_POOL_MAX_CONNECTIONS`), primary and replica
 *   (PR #23991, merged 2026-08-11, behind a workspace feature flag):
 *   packages/twenty-server/src/engine/twenty-orm-v2/datasource/workspace-data-source-v2.service.ts @ 2cb4fa67
 * Pools open connections on demand, so this is the worst case, which is what must fit.
 */
import { Token } from 'cdktf';
import { ADMIN_CONNECTION_HEADROOM, DEFAULT_PG_POOL_SIZE } from '../twenty/catalogue';
import { compareVersions, parseTwentyVersion, TwentyVersion } from '../twenty/versions';

/**
 * First release that may carry the ORM v2 pools. PR #23991 merged six days before PR
 * #24257, which FACTS.md places in v2.32.0 (possibly v2.33.0); the release line that
 * had it first was not confirmed, so the earliest candidate, v2.31.0, is treated as having it.
 */
export const ORM_V2_POOLS_SINCE = 'v2.31.0';

/** One pool of `PG_POOL_MAX_CONNECTIONS`, by the Twenty datasource that opens it. */
export interface TwentyPool {
  readonly name: string;
  /** Which database it connects to. */
  readonly target: 'primary' | 'replica';
}

/** Every pool one Twenty process (server, worker or job) of release `v` may open. */
export function twentyPools(v: TwentyVersion, replicas: number): TwentyPool[] {
  const ormV2 = compareVersions(v, parseTwentyVersion(ORM_V2_POOLS_SINCE)!) >= 0;
  const pools: TwentyPool[] = [
    { name: 'core', target: 'primary' },
    { name: 'workspace', target: 'primary' },
    ...(ormV2 ? [{ name: 'workspace v2', target: 'primary' as const }] : []),
  ];
  if (replicas > 0) {
    pools.push({ name: 'workspace', target: 'replica' });
    if (ormV2) pools.push({ name: 'workspace v2', target: 'replica' });
  }
  return pools;
}

export interface ConnectionBudgetInput {
  /** The release; decides which pools exist. */
  readonly twentyVersion: TwentyVersion;
  /** Server `maxInstances`. */
  readonly serverMaxInstances: number;
  /** `workerInstances` (0 when the worker is disabled). */
  readonly workerInstances: number;
  /** `dbPoolSize` (`PG_POOL_MAX_CONNECTIONS`). */
  readonly poolSize: number;
  /** The primary's `max_connections` (explicit flag or the tier's default); unknown skips the check. */
  readonly maxConnections?: number;
  /** The primary's tier, for the message. */
  readonly tier: string;
  /**
   * Read replicas Twenty is given (`PG_DATABASE_REPLICA_URL`, at most one). The constructs
   * set none today; this is here for when `CloudSqlSocketDatabase` gains one.
   * @default 0
   */
  readonly replicas?: number;
  /** The replica's `max_connections`, checked when `replicas` is 1. */
  readonly replicaMaxConnections?: number;
}

export interface ConnectionBudget {
  /** Server instances, worker instances and the migration job. */
  readonly processes: number;
  /** Pools each process may open on the primary. */
  readonly primaryPools: readonly string[];
  /** Connections the primary must allow, headroom included. */
  readonly primaryNeeded: number;
  /** Pools each process may open on the replica. */
  readonly replicaPools: readonly string[];
  readonly replicaNeeded: number;
}

/** The arithmetic, or undefined while a number is an unresolved token. */
export function computeConnectionBudget(p: ConnectionBudgetInput): ConnectionBudget | undefined {
  if ([p.serverMaxInstances, p.workerInstances, p.poolSize].some((n) => Token.isUnresolved(n))) return undefined;
  const pools = twentyPools(p.twentyVersion, p.replicas ?? 0);
  const processes = p.serverMaxInstances + p.workerInstances + 1;
  const primaryPools = pools.filter((x) => x.target === 'primary').map((x) => x.name);
  const replicaPools = pools.filter((x) => x.target === 'replica').map((x) => x.name);
  return {
    processes,
    primaryPools,
    primaryNeeded: processes * primaryPools.length * p.poolSize + ADMIN_CONNECTION_HEADROOM,
    replicaPools,
    replicaNeeded: replicaPools.length ? processes * replicaPools.length * p.poolSize + ADMIN_CONNECTION_HEADROOM : 0,
  };
}

/**
 * Every Twenty process at full scale, the migration job and an admin headroom must fit
 * `max_connections`. Returns one message per database that does not fit, each with the
 * arithmetic in construct-prop terms and the ways out.
 */
export function connectionBudgetProblems(p: ConnectionBudgetInput): string[] {
  const b = computeConnectionBudget(p);
  if (!b) return [];
  const problems: string[] = [];
  const check = (
    what: string,
    pools: readonly string[],
    needed: number,
    max: number | undefined,
    tierText: string,
    ways: string,
  ) => {
    if (max === undefined || Token.isUnresolved(max) || needed <= max) return;
    const fitting = Math.floor((max - ADMIN_CONNECTION_HEADROOM) / (b.processes * pools.length));
    const hint = fitting >= 2 ? `; the largest dbPoolSize that fits is ${fitting}` : '';
    problems.push(
      `${what} connections do not fit: (${p.serverMaxInstances} maxInstances + ${p.workerInstances} workerInstances + 1 migration job) ` +
        `x ${pools.length} pools per Twenty process (${pools.join(', ')}) x ${p.poolSize} dbPoolSize + ${ADMIN_CONNECTION_HEADROOM} admin headroom ` +
        `= ${needed} > ${max} max_connections${tierText}. Ways out: ${ways}, fewer maxInstances or workerInstances, or a smaller dbPoolSize${hint}`,
    );
  };
  check(
    'database',
    b.primaryPools,
    b.primaryNeeded,
    p.maxConnections,
    ` of database tier ${p.tier}`,
    'a bigger database tier or a higher database maxConnections',
  );
  if (b.replicaPools.length) {
    check(
      'read replica',
      b.replicaPools,
      b.replicaNeeded,
      p.replicaMaxConnections,
      ' of the replica',
      'a bigger replica or a higher replica max_connections',
    );
  }
  return problems;
}

/**
 * The default `dbPoolSize`: Twenty's own default (10), or less when every pool of every
 * process at full scale would not fit the primary's `max_connections` otherwise (never
 * below 2; when even 2 does not fit, synth reports the budget).
 */
export function defaultPoolSize(p: Omit<ConnectionBudgetInput, 'poolSize'>): number {
  const b = computeConnectionBudget({ ...p, poolSize: 1 });
  if (!b || p.maxConnections === undefined || Token.isUnresolved(p.maxConnections)) return DEFAULT_PG_POOL_SIZE;
  const fitting = Math.floor((p.maxConnections - ADMIN_CONNECTION_HEADROOM) / (b.processes * b.primaryPools.length));
  return Math.max(2, Math.min(DEFAULT_PG_POOL_SIZE, fitting));
}
