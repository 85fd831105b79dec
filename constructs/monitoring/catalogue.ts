/**
 * What TwentyMonitoring watches, each fact with its source (docs/monitoring.md has the detail;
 * __tests__/fixtures/cloud-monitoring-metric-types.json and twenty-observability.json record
 * them for the tests).
 */

/** Monitored resource types (cloud.google.com/monitoring/api/resources). */
export const RESOURCE = {
  uptime: 'uptime_url',
  service: 'cloud_run_revision',
  job: 'cloud_run_job',
  // Named by Cloud Run's monitoring page (cloud.google.com/run/docs/monitoring); its
  // `worker_pool_name` label as gcloud filters a pool's logs and Google's CREMA autoscaler its
  // instance count (sources in the fixture).
  workerPool: 'cloud_run_worker_pool',
  sql: 'cloudsql_database',
} as const;

/** Built-in metric types each alert and chart reads. */
export const METRIC = {
  uptimePassed: 'monitoring.googleapis.com/uptime_check/check_passed',
  requestCount: 'run.googleapis.com/request_count',
  requestLatencies: 'run.googleapis.com/request_latencies',
  instanceCount: 'run.googleapis.com/container/instance_count',
  jobExecutions: 'run.googleapis.com/job/completed_execution_count',
  sqlCpu: 'cloudsql.googleapis.com/database/cpu/utilization',
  sqlMemory: 'cloudsql.googleapis.com/database/memory/utilization',
  sqlDisk: 'cloudsql.googleapis.com/database/disk/utilization',
  sqlBackends: 'cloudsql.googleapis.com/database/postgresql/num_backends',
} as const;

/** Prefix of every log-based (user-defined) metric type. */
export const USER_METRIC_PREFIX = 'logging.googleapis.com/user/';

/** A line Twenty (or a library it ships) writes when something broke, found in its source. */
export interface TwentyLogLine {
  /** Substrings matched in the log entry's text; any one of them counts. */
  readonly match: readonly string[];
  /** Where the text is written, as `repo path @ commit`. */
  readonly source: string;
}

/**
 * Log lines the log-based metrics count. Nest's ConsoleLogger may wrap the context and the
 * message in colour codes, so only the message text (never `[Context]`) is matched.
 */
export const TWENTY_LOG_LINES = {
  /** `upgrade` command: thrown failure, and the soft failure that still exits 0. */
  upgradeFailed: {
    match: ['Upgrade failed: ', 'workspace failure(s)'],
    source:
      'twentyhq/twenty packages/twenty-server/src/database/commands/command-runners/upgrade.command-runner.ts @ 021c5a6cfcaa8ad4b602cfed211cd7185e2c73c5',
  },
  /** Twenty's RedisClientService registers no `error` listener, so ioredis prints this on every failed (re)connect. */
  redisError: {
    match: ['[ioredis] Unhandled error event'],
    source:
      'redis/ioredis lib/Redis.ts silentEmit @ 00967009766eed790a5849f3eb0930a07354fa9c; twentyhq/twenty packages/twenty-server/src/engine/core-modules/redis-client/redis-client.service.ts @ 02586f526c758e9843f26769859ea80ab1809137',
  },
  /** SMTP driver: `this.logger.error(\`sending email to '${to}': ${err}\`)` before rethrowing. */
  emailFailed: {
    match: ["sending email to '"],
    source:
      'twentyhq/twenty packages/twenty-server/src/engine/core-modules/email/drivers/smtp.driver.ts @ 1330f710321e7591ef36465216252972dca0248f',
  },
} as const satisfies Record<string, TwentyLogLine>;

/** The public health path; checks only that the process answers (FACTS.md §2). */
export const PUBLIC_HEALTH_PATH = '/healthz';
