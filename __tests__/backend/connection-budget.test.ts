/**
 * The pool rule per release and the replica check kept for a later replica option
 * (sources in constructs/backend/connection-budget.ts and docs/connection-budget.md).
 */
import { connectionBudgetProblems, defaultPoolSize, twentyPools } from '../../constructs/backend/connection-budget';
import { parseTwentyVersion } from '../../constructs/twenty/versions';

const v = (tag: string) => parseTwentyVersion(tag)!;
const names = (tag: string, replicas = 0) => twentyPools(v(tag), replicas).map((p) => `${p.target}:${p.name}`);

test('pools per process: core and workspace always, ORM v2 from v2.31.0, replica pools only with a replica', () => {
  expect(names('v2.30.9')).toEqual(['primary:core', 'primary:workspace']);
  expect(names('v2.31.0')).toEqual(['primary:core', 'primary:workspace', 'primary:workspace v2']);
  expect(names('v2.45.0', 1)).toEqual([
    'primary:core',
    'primary:workspace',
    'primary:workspace v2',
    'replica:workspace',
    'replica:workspace v2',
  ]);
  expect(names('v2.30.0', 1)).toEqual(['primary:core', 'primary:workspace', 'replica:workspace']);
});

describe('a replica is checked against its own max_connections; its pools do not count on the primary', () => {
  const base = {
    twentyVersion: v('v2.45.0'),
    serverMaxInstances: 2,
    workerInstances: 1,
    poolSize: 10,
    maxConnections: 130,
    tier: 'db-custom-2-7680',
    replicas: 1,
  };

  test('fits exactly on both: primary 4 x 3 x 10 + 10 = 130, replica 4 x 2 x 10 + 10 = 90', () => {
    expect(connectionBudgetProblems({ ...base, replicaMaxConnections: 90 })).toEqual([]);
  });

  test('one short on the replica', () => {
    expect(connectionBudgetProblems({ ...base, replicaMaxConnections: 89 })).toEqual([
      'read replica connections do not fit: (2 maxInstances + 1 workerInstances + 1 migration job) x 2 pools per Twenty process (workspace, workspace v2) x 10 dbPoolSize + 10 admin headroom = 90 > 89 max_connections of the replica. Ways out: a bigger replica or a higher replica max_connections, fewer maxInstances or workerInstances, or a smaller dbPoolSize; the largest dbPoolSize that fits is 9',
    ]);
  });

  test('no replica max_connections known: only the primary is checked', () => {
    expect(connectionBudgetProblems({ ...base })).toEqual([]);
    expect(connectionBudgetProblems({ ...base, maxConnections: 129 })).toHaveLength(1);
  });
});

test('default pool: 10 when it fits, else the largest that fits, never below 2, 10 when max_connections is unknown', () => {
  const p = { twentyVersion: v('v2.45.0'), serverMaxInstances: 5, workerInstances: 1, tier: 't' };
  expect(defaultPoolSize({ ...p, maxConnections: 400 })).toBe(10);
  expect(defaultPoolSize({ ...p, maxConnections: 100 })).toBe(4);
  expect(defaultPoolSize({ ...p, maxConnections: 25 })).toBe(2);
  expect(defaultPoolSize({ ...p })).toBe(10);
});
