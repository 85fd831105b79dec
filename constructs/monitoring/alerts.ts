/** The alert policies on the front door, the server, the migration job, the worker and Twenty's log lines. */
import type { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { Annotations, Token } from 'cdktf';
import { addAlert, addLogAlert, AlertContext } from './alert-policy';
import { METRIC, PUBLIC_HEALTH_PATH, RESOURCE } from './catalogue';
import { metricFilter } from './filters';
import { indicatorWhy, pct, thresholdCondition, TwentyHealthIndicator } from './props';

/** The public health check, and each health indicator asked for. */
export function availabilityAlerts(
  ctx: AlertContext,
  uptime: MonitoringUptimeCheckConfig,
  indicatorChecks: Partial<Record<TwentyHealthIndicator, MonitoringUptimeCheckConfig>>,
): void {
  const uptimeFilter = `${metricFilter(METRIC.uptimePassed, RESOURCE.uptime)} AND metric.label.check_id="${uptime.uptimeCheckId}"`;
  addAlert(ctx, {
    id: 'UptimeAlert',
    title: 'Twenty is unreachable',
    threshold: `${PUBLIC_HEALTH_PATH} fails from 2 or more checker regions for 2 minutes`,
    why: 'users cannot open Twenty: the front door, its certificate, the service or a revision that does not start',
    firstStep:
      'open the public URL; then Cloud Run > service > Revisions and its logs; for a load balancer, its certificate status',
    severity: 'CRITICAL',
    conditions: [
      thresholdCondition('/healthz failing', {
        filter: uptimeFilter,
        aligner: 'ALIGN_NEXT_OLDER',
        reducer: 'REDUCE_COUNT_FALSE',
        groupBy: ['resource.label.host'],
        period: '60s',
        value: 1,
        duration: '120s',
      }),
    ],
    chart: {
      title: 'Uptime checks failing (regions)',
      filter: uptimeFilter,
      aligner: 'ALIGN_NEXT_OLDER',
      reducer: 'REDUCE_COUNT_FALSE',
      period: '60s',
      threshold: 1,
    },
  });
  for (const [indicator, check] of Object.entries(indicatorChecks)) {
    const f = `${metricFilter(METRIC.uptimePassed, RESOURCE.uptime)} AND metric.label.check_id="${check!.uptimeCheckId}"`;
    addAlert(ctx, {
      id: `Uptime-${indicator}-Alert`,
      title: `Twenty health indicator "${indicator}" is down`,
      threshold: `${PUBLIC_HEALTH_PATH}/${indicator} fails from 2 or more regions for 5 minutes`,
      why: indicatorWhy(indicator as TwentyHealthIndicator),
      firstStep: `request ${PUBLIC_HEALTH_PATH}/${indicator} and read the "error" field of its JSON answer`,
      severity: 'ERROR',
      conditions: [
        thresholdCondition(`${PUBLIC_HEALTH_PATH}/${indicator} failing`, {
          filter: f,
          aligner: 'ALIGN_NEXT_OLDER',
          reducer: 'REDUCE_COUNT_FALSE',
          groupBy: ['resource.label.host'],
          period: '60s',
          value: 1,
          duration: '300s',
        }),
      ],
    });
  }
}

export interface ServerAlertsInput {
  readonly service: string;
  readonly errorRatio: number;
  readonly latencyMs: number;
  readonly requestTimeoutSeconds: number;
  readonly minInstances: number;
  readonly maxInstances: number;
}

/** 5xx ratio, p95 latency and instances at their maximum. */
export function serverAlerts(ctx: AlertContext, s: ServerAlertsInput): void {
  const { errorRatio, latencyMs, minInstances, maxInstances } = s;
  const run = { 'resource.label.service_name': s.service };
  const requests = metricFilter(METRIC.requestCount, RESOURCE.service, run);
  const errors = `${requests} AND metric.label.response_code_class="5xx"`;
  addAlert(ctx, {
    id: 'ServerErrorsAlert',
    title: 'Twenty server 5xx ratio high',
    threshold: `more than ${pct(errorRatio)} of requests answer 5xx for 5 minutes`,
    why: 'requests fail on the server: database or Redis unreachable, crashes, timeouts',
    firstStep: 'Logs Explorer on the service, severity>=ERROR; then the database and Redis alerts',
    severity: 'ERROR',
    conditions: [
      {
        displayName: '5xx / all requests',
        conditionThreshold: {
          filter: errors,
          denominatorFilter: requests,
          aggregations: [
            {
              alignmentPeriod: '300s',
              perSeriesAligner: 'ALIGN_RATE',
              crossSeriesReducer: 'REDUCE_SUM',
              groupByFields: ['resource.label.service_name'],
            },
          ],
          denominatorAggregations: [
            {
              alignmentPeriod: '300s',
              perSeriesAligner: 'ALIGN_RATE',
              crossSeriesReducer: 'REDUCE_SUM',
              groupByFields: ['resource.label.service_name'],
            },
          ],
          comparison: 'COMPARISON_GT',
          thresholdValue: errorRatio,
          duration: '300s',
          trigger: { count: 1 },
        },
      },
    ],
    chart: {
      title: 'Server 5xx ratio',
      filter: errors,
      denominatorFilter: requests,
      aligner: 'ALIGN_RATE',
      reducer: 'REDUCE_SUM',
      period: '300s',
      threshold: errorRatio,
    },
  });

  const latency = metricFilter(METRIC.requestLatencies, RESOURCE.service, run);
  addAlert(ctx, {
    id: 'LatencyAlert',
    title: 'Twenty server p95 latency high',
    threshold: `p95 above ${latencyMs} ms for 10 minutes (request timeout ${s.requestTimeoutSeconds} s)`,
    why: 'pages load slowly; requests near the timeout end in 504s',
    firstStep: 'Cloud SQL CPU and Query insights; instance count (at its maximum?); recent upgrades',
    severity: 'WARNING',
    conditions: [
      thresholdCondition('p95 latency', {
        filter: latency,
        aligner: 'ALIGN_DELTA',
        reducer: 'REDUCE_PERCENTILE_95',
        groupBy: ['resource.label.service_name'],
        period: '300s',
        value: latencyMs,
        duration: '600s',
      }),
    ],
    chart: {
      title: 'Server latency p95 (ms)',
      filter: latency,
      aligner: 'ALIGN_DELTA',
      reducer: 'REDUCE_PERCENTILE_95',
      period: '300s',
      threshold: latencyMs,
    },
  });

  const instances = metricFilter(METRIC.instanceCount, RESOURCE.service, run);
  if (maxInstances === undefined || Token.isUnresolved(maxInstances)) {
    Annotations.of(ctx.scope).addWarning(
      'the server\'s maxInstances is not known at synth, so no "at max instances" alert was made',
    );
  } else if (minInstances >= maxInstances) {
    Annotations.of(ctx.scope).addInfo(
      `the server always runs ${maxInstances} instances (min = max), so no "at max instances" alert was made`,
    );
  } else {
    addAlert(ctx, {
      id: 'MaxInstancesAlert',
      title: 'Twenty server at its maximum instances',
      threshold: `${maxInstances} instances (maxInstances) for 15 minutes`,
      why: 'no more capacity: further requests queue and fail with 429/503',
      firstStep:
        'request count and latency for a traffic spike; raise maxInstances only if the database connection budget allows',
      severity: 'WARNING',
      conditions: [
        thresholdCondition(`instances reach ${maxInstances}`, {
          filter: instances,
          aligner: 'ALIGN_MAX',
          reducer: 'REDUCE_SUM',
          groupBy: ['resource.label.service_name'],
          period: '60s',
          value: maxInstances - 1,
          duration: '900s',
        }),
      ],
    });
  }
  // Charted even without the alert: the instance count explains latency.
  ctx.charts.push({
    title: 'Server instances',
    filter: instances,
    aligner: 'ALIGN_MAX',
    reducer: 'REDUCE_SUM',
    period: '60s',
    threshold: maxInstances,
  });
}

/** Failed executions of the migration job, and upgrade failures it logs but may exit 0 on. */
export function migrationJobAlerts(ctx: AlertContext, jobName: string): void {
  const failedJobs = `${metricFilter(METRIC.jobExecutions, RESOURCE.job, { 'resource.label.job_name': jobName })} AND metric.label.result="failed"`;
  addAlert(ctx, {
    id: 'MigrationJobAlert',
    title: 'Twenty migration job failed',
    threshold: 'any failed execution of the migration job',
    why: 'the upgrade did not finish: the new revision is not deployed and the database may be half-migrated',
    firstStep: "Cloud Run > Jobs > the job > its last execution's logs; do not roll forward before reading them",
    severity: 'CRITICAL',
    conditions: [
      thresholdCondition('failed executions', {
        filter: failedJobs,
        aligner: 'ALIGN_SUM',
        reducer: 'REDUCE_SUM',
        period: '300s',
        value: 0,
        duration: '0s',
      }),
    ],
    chart: {
      title: 'Migration job failed executions',
      filter: failedJobs,
      aligner: 'ALIGN_SUM',
      reducer: 'REDUCE_SUM',
      period: '300s',
    },
  });
  addLogAlert(ctx, 'UpgradeFailedAlert', 'Twenty upgrade command failed', 'upgradeFailed', RESOURCE.job, {
    threshold: 'any "Upgrade failed" or "workspace failure(s)" line in the job\'s logs',
    why: "Twenty's upgrade reported failures; it can finish with workspace failures and still exit 0",
    firstStep: "the job execution's logs around the line: which workspace and which migration",
    severity: 'CRITICAL',
  });
}

export interface WorkerAlertsInput {
  readonly worker: string;
  /** The pool's `workerInstances` (manual instance count). */
  readonly instances: number;
  readonly errorsPer10Minutes: number;
}

/**
 * The worker pool's instance count, and its error entries. A pool at 0 instances, or one whose
 * container never starts, writes no log line, so only the instance count sees it; its absence
 * condition covers a pool that stops reporting (docs/monitoring.md: not one that never reported).
 */
export function workerAlerts(ctx: AlertContext, w: WorkerAlertsInput): void {
  const instances = metricFilter(METRIC.instanceCount, RESOURCE.workerPool, {
    'resource.label.worker_pool_name': w.worker,
  });
  // A token (e.g. a Terraform variable) is the threshold as it is; the dashboard's JSON cannot
  // hold one, so its chart then draws no threshold line.
  const unresolved = Token.isUnresolved(w.instances);
  const count = unresolved ? 'workerInstances' : `${w.instances}`;
  const sum = { aligner: 'ALIGN_MEAN', reducer: 'REDUCE_SUM', period: '60s' } as const;
  addAlert(ctx, {
    id: 'WorkerInstancesAlert',
    title: 'Twenty worker not running',
    threshold: `${unresolved ? 'fewer worker instances than workerInstances' : `fewer than ${count} worker instances (workerInstances)`} for 10 minutes, or no instance reported for 10 minutes`,
    why: 'no worker works the queues: emails, workflows, webhooks, calendar and mail sync and crons silently stop, while the app still answers',
    firstStep:
      "Cloud Run > Worker pools > the worker: its instance count and latest revision's status, then its logs for a container that exits at start",
    severity: 'CRITICAL',
    conditions: [
      thresholdCondition(`worker instances below ${count}`, {
        filter: instances,
        ...sum,
        groupBy: ['resource.label.worker_pool_name'],
        value: w.instances,
        comparison: 'COMPARISON_LT',
        duration: '600s',
      }),
      {
        // At 0 instances Cloud Run may report no series at all rather than a 0.
        displayName: 'no worker instance reported',
        conditionAbsent: {
          filter: instances,
          aggregations: [
            {
              alignmentPeriod: sum.period,
              perSeriesAligner: sum.aligner,
              crossSeriesReducer: sum.reducer,
              groupByFields: ['resource.label.worker_pool_name'],
            },
          ],
          duration: '600s',
          trigger: { count: 1 },
        },
      },
    ],
    chart: { title: 'Worker instances', filter: instances, ...sum, threshold: unresolved ? undefined : w.instances },
  });
  addLogAlert(ctx, 'WorkerErrorsAlert', 'Twenty worker logging errors', 'workerErrors', RESOURCE.workerPool, {
    threshold: `more than ${w.errorsPer10Minutes} error entries (severity ERROR or above) in 10 minutes`,
    why: 'the running worker fails jobs or loses Redis or the database: emails, workflows, webhooks and sync fail (a worker that is not running logs nothing; see "Twenty worker not running")',
    firstStep: "Cloud Run > Worker pools > the worker's logs; Redis and database reachability",
    severity: 'ERROR',
    value: w.errorsPer10Minutes,
    period: '600s',
  });
}

/** Twenty's own Redis and email error lines, from the server and (if any) the worker. */
export function logLineAlerts(ctx: AlertContext, hasWorker: boolean): void {
  addLogAlert(ctx, 'RedisErrorsAlert', 'Twenty cannot reach Redis', 'redisError', RESOURCE.service, {
    threshold: 'any ioredis error line from the server or worker in 5 minutes',
    why: 'sessions, cache and every queue live in Redis; nothing is processed while it is unreachable',
    firstStep: 'Upstash console (database up, limits); the REDIS_URL secret version',
    severity: 'ERROR',
    alsoWorker: hasWorker,
  });
  addLogAlert(ctx, 'EmailFailuresAlert', 'Twenty emails failing', 'emailFailed', RESOURCE.service, {
    threshold: 'any "sending email to" error line in 5 minutes',
    why: 'invitations, password resets and workflow emails do not arrive',
    firstStep: "the line's SMTP error; the EMAIL_SMTP_* settings and the provider's sending limits",
    severity: 'WARNING',
    alsoWorker: hasWorker,
  });
}
