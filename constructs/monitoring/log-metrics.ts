/** The log-based metrics from Twenty's own lines, and the wait before policies read them. */
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { TWENTY_LOG_LINES } from './catalogue';
import { jobLogs, logLineFilter, serviceLogs, workerLogs } from './filters';
import { findOrAddTimeProvider } from '../gcp/providers';

export type TwentyLogMetrics = Record<keyof typeof TWENTY_LOG_LINES | 'workerErrors', LoggingMetric | undefined>;

export interface LogMetricsInput {
  readonly project: string;
  readonly prefix: string;
  readonly service: string;
  readonly jobName: string;
  readonly worker?: string;
}

/** The metrics, created in `scope`; `workerErrors` only with a worker pool. */
export function twentyLogMetrics(scope: Construct, i: LogMetricsInput): TwentyLogMetrics {
  const { project, prefix, service, jobName, worker } = i;
  const logMetric = (cid: string, name: string, description: string, filter: string) =>
    new LoggingMetric(scope, cid, {
      project,
      name: `${prefix}-${name}`,
      description,
      filter,
      metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
    });
  const both = worker ? `(${serviceLogs(service)} OR ${workerLogs(worker)})` : serviceLogs(service);
  return {
    upgradeFailed: logMetric(
      'UpgradeFailedLines',
      'upgrade-failed',
      'Twenty upgrade command failures in the migration job',
      `${jobLogs(jobName)} AND ${logLineFilter(TWENTY_LOG_LINES.upgradeFailed)}`,
    ),
    redisError: logMetric(
      'RedisErrorLines',
      'redis-errors',
      'ioredis connection errors of the Twenty server and worker',
      `${both} AND ${logLineFilter(TWENTY_LOG_LINES.redisError)}`,
    ),
    emailFailed: logMetric(
      'EmailFailedLines',
      'email-failures',
      'Emails Twenty failed to send (SMTP driver errors)',
      `${both} AND ${logLineFilter(TWENTY_LOG_LINES.emailFailed)}`,
    ),
    workerErrors: worker
      ? logMetric(
          'WorkerErrorLines',
          'worker-errors',
          'Error entries (severity ERROR or above) of the Twenty worker pool',
          `${workerLogs(worker)} AND severity>=ERROR`,
        )
      : undefined,
  };
}

/** A wait of `seconds` after the metrics exist, or none when `seconds` is 0. */
export function logMetricPropagation(scope: Construct, metrics: TwentyLogMetrics, seconds: number): Sleep | undefined {
  if (seconds <= 0) return undefined;
  const created = Object.values(metrics).filter((m): m is LoggingMetric => m !== undefined);
  return new Sleep(scope, 'LogMetricPropagation', {
    provider: findOrAddTimeProvider(scope),
    createDuration: `${seconds}s`,
    // A metric added later (e.g. when a worker is added) waits again.
    triggers: Object.fromEntries(created.map((m) => [m.nameInput!, Token.asString(m.getStringAttribute('id'))])),
    dependsOn: created,
  });
}
