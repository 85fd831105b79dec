import type { BillingBudget } from '@cdktf/provider-google/lib/billing-budget';
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import {
  MonitoringAlertPolicy,
  MonitoringAlertPolicyConditions,
} from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Annotations, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { METRIC, PUBLIC_HEALTH_PATH, RESOURCE, TWENTY_LOG_LINES, USER_METRIC_PREFIX } from './catalogue';
import { dashboardJson, DashboardChart } from './dashboard';
import { eq, jobLogs, logLineFilter, metricFilter, serviceLogs, workerLogs } from './filters';
import { findOrAddTimeProvider } from '../gcp/providers';
import { checkShape } from '../core/props-shape';
import { MONITORING_SHAPE } from '../core/shapes';
import { Problems, reportProblems } from '../core/validation';
import { checkMonitoringProps } from './validate';
import {
  indicatorWhy,
  pct,
  thresholdCondition,
  TwentyAlert,
  TwentyHealthIndicator,
  TwentyMonitoringProps,
} from './props';

export { TWENTY_HEALTH_INDICATORS } from './props';
export type { TwentyAlert, TwentyBillingBudgetProps, TwentyHealthIndicator, TwentyMonitoringProps } from './props';

/**
 * Operations for a Twenty deployment: uptime checks through the front door, alert policies with
 * thresholds from the deployment (instances, timeout, database `max_connections`), log-based
 * metrics from Twenty's own error lines, one dashboard with the same signals, and an optional
 * billing budget. Every policy notifies the given channels and explains what to check first.
 */
export class TwentyMonitoring extends Construct {
  /** Channels every policy notifies: the email channels created here, then the given ids. */
  public readonly notificationChannels: string[];
  public readonly emailChannels: MonitoringNotificationChannel[];
  public readonly uptimeCheck: MonitoringUptimeCheckConfig;
  public readonly indicatorChecks: Partial<Record<TwentyHealthIndicator, MonitoringUptimeCheckConfig>> = {};
  public readonly logMetrics: Record<keyof typeof TWENTY_LOG_LINES | 'workerErrors', LoggingMetric | undefined>;
  public readonly alerts: TwentyAlert[] = [];
  public readonly dashboard: MonitoringDashboard;
  /** The wait between the log-based metrics and the policies that read them. */
  public readonly logMetricPropagation?: Sleep;
  public readonly budget?: BillingBudget;
  private readonly charts: DashboardChart[] = [];
  private readonly project: string;

  constructor(scope: Construct, id: string, given: TwentyMonitoringProps) {
    super(scope, id);
    const problems = new Problems(`TwentyMonitoring ${this.node.path}`);
    const props = checkShape(problems, given, MONITORING_SHAPE);
    const { backend, database } = props;
    const project = backend.project;
    this.project = project;
    // Each address once: a repeated one is reported below, and construction goes on.
    const emails = [...new Set(props.notificationEmails ?? [])];
    const channelIds = props.notificationChannelIds ?? [];
    const errorRatio = props.serverErrorRatio ?? 0.05;
    const connectionsRatio = props.connectionsRatio ?? 0.8;
    const workerErrors = props.workerErrorsPer10Minutes ?? 10;
    const timeoutMs = backend.requestTimeoutSeconds * 1000;
    const latencyMs = props.latencyP95Ms ?? Math.min(2000, Math.floor(timeoutMs * 0.8));
    const service = backend.target.name;
    const jobName = backend.jobName;
    const worker = backend.workerName;
    const { minInstances, maxInstances } = backend.scaling;
    const prefix = props.namePrefix ?? service;

    const host = checkMonitoringProps(problems, props, { emails, channelIds, timeoutMs, prefix });
    const budget = props.billingBudget;
    reportProblems(this, problems);

    // Ids from the address, not its position: reordering the list must not replace channels.
    this.emailChannels = emails.map(
      (address) =>
        new MonitoringNotificationChannel(this, `Email-${address.replace(/[^A-Za-z0-9]/g, '-')}`, {
          project,
          type: 'email',
          displayName: `${prefix} alerts: ${address}`,
          labels: { email_address: address },
        }),
    );
    this.notificationChannels = [...this.emailChannels.map((c) => c.id), ...channelIds];

    // Uptime: /healthz through the front door, from several regions.
    this.uptimeCheck = this.uptime('Uptime', `${prefix} ${PUBLIC_HEALTH_PATH}`, project, host!, PUBLIC_HEALTH_PATH);
    for (const indicator of props.healthIndicators ?? []) {
      this.indicatorChecks[indicator] = this.uptime(
        `Uptime-${indicator}`,
        `${prefix} ${PUBLIC_HEALTH_PATH}/${indicator}`,
        project,
        host!,
        `${PUBLIC_HEALTH_PATH}/${indicator}`,
      );
    }

    // Log-based metrics from Twenty's own lines.
    const logMetric = (cid: string, name: string, description: string, filter: string) =>
      new LoggingMetric(this, cid, {
        project,
        name: `${prefix}-${name}`,
        description,
        filter,
        metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
      });
    const both = worker ? `(${serviceLogs(service)} OR ${workerLogs(worker)})` : serviceLogs(service);
    this.logMetrics = {
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
            'Error entries of the Twenty worker pool (crashes, restarts)',
            `${workerLogs(worker)} AND severity>=ERROR`,
          )
        : undefined,
    };

    const metrics = Object.values(this.logMetrics).filter((m): m is LoggingMetric => m !== undefined);
    const wait = props.logMetricPropagationSeconds ?? 600;
    if (wait > 0) {
      this.logMetricPropagation = new Sleep(this, 'LogMetricPropagation', {
        provider: findOrAddTimeProvider(this),
        createDuration: `${wait}s`,
        // A metric added later (e.g. when a worker is added) waits again.
        triggers: Object.fromEntries(metrics.map((m) => [m.nameInput!, Token.asString(m.getStringAttribute('id'))])),
        dependsOn: metrics,
      });
    }

    // Availability.
    const uptimeFilter = `${metricFilter(METRIC.uptimePassed, RESOURCE.uptime)} AND metric.label.check_id="${this.uptimeCheck.uptimeCheckId}"`;
    this.alert({
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
    for (const [indicator, check] of Object.entries(this.indicatorChecks)) {
      const f = `${metricFilter(METRIC.uptimePassed, RESOURCE.uptime)} AND metric.label.check_id="${check!.uptimeCheckId}"`;
      this.alert({
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

    const run = { 'resource.label.service_name': service };
    const requests = metricFilter(METRIC.requestCount, RESOURCE.service, run);
    const errors = `${requests} AND metric.label.response_code_class="5xx"`;
    this.alert({
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
    this.alert({
      id: 'LatencyAlert',
      title: 'Twenty server p95 latency high',
      threshold: `p95 above ${latencyMs} ms for 10 minutes (request timeout ${backend.requestTimeoutSeconds} s)`,
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
      Annotations.of(this).addWarning(
        'the server\'s maxInstances is not known at synth, so no "at max instances" alert was made',
      );
    } else if (minInstances >= maxInstances) {
      Annotations.of(this).addInfo(
        `the server always runs ${maxInstances} instances (min = max), so no "at max instances" alert was made`,
      );
    } else {
      this.alert({
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
    this.charts.push({
      title: 'Server instances',
      filter: instances,
      aligner: 'ALIGN_MAX',
      reducer: 'REDUCE_SUM',
      period: '60s',
      threshold: maxInstances,
    });

    // Migration job.
    const failedJobs = `${metricFilter(METRIC.jobExecutions, RESOURCE.job, { 'resource.label.job_name': jobName })} AND metric.label.result="failed"`;
    this.alert({
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
    this.logAlert('UpgradeFailedAlert', 'Twenty upgrade command failed', 'upgradeFailed', RESOURCE.job, {
      threshold: 'any "Upgrade failed" or "workspace failure(s)" line in the job\'s logs',
      why: "Twenty's upgrade reported failures; it can finish with workspace failures and still exit 0",
      firstStep: "the job execution's logs around the line: which workspace and which migration",
      severity: 'CRITICAL',
    });

    // Worker pool.
    if (worker) {
      this.logAlert('WorkerErrorsAlert', 'Twenty worker restarting or failing', 'workerErrors', RESOURCE.workerPool, {
        threshold: `more than ${workerErrors} error entries in 10 minutes`,
        why: 'the worker crashes or cannot work its queue: emails, workflows, webhooks and sync stop',
        firstStep: "Cloud Run > Worker pools > the worker's logs; Redis and database reachability",
        severity: 'ERROR',
        value: workerErrors,
        period: '600s',
      });
    }

    // Cloud SQL.
    const sql = { 'resource.label.database_id': `${database.project}:${database.instance.nameInput}` };
    const sqlAlert = (
      cid: string,
      what: string,
      metric: string,
      value: number,
      duration: string,
      why: string,
      firstStep: string,
    ) => {
      const f = metricFilter(metric, RESOURCE.sql, sql);
      this.alert({
        id: cid,
        title: `Cloud SQL ${what} high`,
        threshold: `above ${pct(value)} for ${Number(duration.slice(0, -1)) / 60} minutes (tier ${database.tier})`,
        why,
        firstStep,
        severity: 'WARNING',
        conditions: [
          thresholdCondition(`${what} utilization`, {
            filter: f,
            aligner: 'ALIGN_MEAN',
            period: '300s',
            value,
            duration,
          }),
        ],
        chart: {
          title: `Cloud SQL ${what} utilization`,
          filter: f,
          aligner: 'ALIGN_MEAN',
          period: '300s',
          threshold: value,
        },
      });
    };
    sqlAlert(
      'SqlCpuAlert',
      'CPU',
      METRIC.sqlCpu,
      0.8,
      '900s',
      'queries queue; latency grows everywhere',
      'Query insights for the top queries; a bigger tier if the load is real',
    );
    sqlAlert(
      'SqlMemoryAlert',
      'memory',
      METRIC.sqlMemory,
      0.9,
      '900s',
      'PostgreSQL may be killed and restarted for lack of memory',
      'connection count (each holds memory); a tier with more memory',
    );
    sqlAlert(
      'SqlDiskAlert',
      'disk',
      METRIC.sqlDisk,
      0.85,
      '600s',
      'a full disk stops writes; auto-resize has a ceiling and costs money',
      'storage growth in Cloud SQL > Overview; large tables or attachments',
    );

    const backends = metricFilter(METRIC.sqlBackends, RESOURCE.sql, sql);
    const maxConnections = database.maxConnections;
    if (maxConnections === undefined) {
      Annotations.of(this).addWarning(
        `the database's max_connections is unknown for tier ${database.tier}, so no connections alert was made; set maxConnections`,
      );
    } else {
      const limit = Math.floor(maxConnections * connectionsRatio);
      this.alert({
        id: 'SqlConnectionsAlert',
        title: 'Cloud SQL connections near max_connections',
        threshold: `more than ${limit} connections (${pct(connectionsRatio)} of max_connections ${maxConnections}) for 5 minutes`,
        why: 'new connections will be refused: Twenty fails requests and jobs with "too many clients"',
        firstStep: 'instance and worker counts against the connection budget; idle connections in pg_stat_activity',
        severity: 'ERROR',
        conditions: [
          thresholdCondition('connections', {
            filter: backends,
            aligner: 'ALIGN_MEAN',
            reducer: 'REDUCE_SUM',
            groupBy: ['resource.label.database_id'],
            period: '60s',
            value: limit,
            duration: '300s',
          }),
        ],
        chart: {
          title: 'Cloud SQL connections',
          filter: backends,
          aligner: 'ALIGN_MEAN',
          reducer: 'REDUCE_SUM',
          period: '60s',
          threshold: limit,
        },
      });
    }

    // Twenty's own error lines.
    this.logAlert('RedisErrorsAlert', 'Twenty cannot reach Redis', 'redisError', RESOURCE.service, {
      threshold: 'any ioredis error line from the server or worker in 5 minutes',
      why: 'sessions, cache and every queue live in Redis; nothing is processed while it is unreachable',
      firstStep: 'Upstash console (database up, limits); the REDIS_URL secret version',
      severity: 'ERROR',
      alsoWorker: worker !== undefined,
    });
    this.logAlert('EmailFailuresAlert', 'Twenty emails failing', 'emailFailed', RESOURCE.service, {
      threshold: 'any "sending email to" error line in 5 minutes',
      why: 'invitations, password resets and workflow emails do not arrive',
      firstStep: "the line's SMTP error; the EMAIL_SMTP_* settings and the provider's sending limits",
      severity: 'WARNING',
      alsoWorker: worker !== undefined,
    });

    this.dashboard = new MonitoringDashboard(this, 'Dashboard', {
      project,
      dashboardJson: dashboardJson(`Twenty ${prefix}`, this.charts),
    });

    if (budget) {
      // Loaded only when a budget is asked for: parsing these bindings costs every synth ~10 ms.
      /* eslint-disable @typescript-eslint/no-require-imports -- lazy load, typed by the import() types */
      const { DataGoogleProject } =
        require('@cdktf/provider-google/lib/data-google-project') as typeof import('@cdktf/provider-google/lib/data-google-project');
      const { BillingBudget: Budget } =
        require('@cdktf/provider-google/lib/billing-budget') as typeof import('@cdktf/provider-google/lib/billing-budget');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const projectData = new DataGoogleProject(this, 'Project', { projectId: project });
      this.budget = new Budget(this, 'BillingBudget', {
        billingAccount: budget.billingAccountId,
        displayName: `${prefix} monthly budget`,
        budgetFilter: { projects: [`projects/${projectData.number}`], calendarPeriod: 'MONTH' },
        amount: { specifiedAmount: { currencyCode: budget.currency ?? 'USD', units: String(budget.monthlyAmount) } },
        thresholdRules: [
          ...(budget.thresholds ?? [0.5, 0.9, 1.0]).map((t) => ({ thresholdPercent: t })),
          { thresholdPercent: 1.0, spendBasis: 'FORECASTED_SPEND' },
        ],
        allUpdatesRule:
          this.notificationChannels.length > 0
            ? { monitoringNotificationChannels: this.notificationChannels }
            : undefined,
      });
    }
  }

  private uptime(
    cid: string,
    displayName: string,
    project: string,
    host: string,
    path: string,
  ): MonitoringUptimeCheckConfig {
    return new MonitoringUptimeCheckConfig(this, cid, {
      project,
      displayName,
      period: '60s',
      timeout: '10s',
      monitoredResource: { type: RESOURCE.uptime, labels: { project_id: project, host } },
      httpCheck: {
        path,
        port: 443,
        useSsl: true,
        validateSsl: true,
        requestMethod: 'GET',
        acceptedResponseStatusCodes: [{ statusValue: 200 }],
      },
    });
  }

  private logAlert(
    cid: string,
    title: string,
    metric: keyof TwentyMonitoring['logMetrics'],
    resourceType: string,
    o: {
      threshold: string;
      why: string;
      firstStep: string;
      severity: string;
      value?: number;
      period?: string;
      alsoWorker?: boolean;
    },
  ): void {
    const m = this.logMetrics[metric]!;
    const type = `${USER_METRIC_PREFIX}${m.nameInput}`;
    const resources = o.alsoWorker ? [resourceType, RESOURCE.workerPool] : [resourceType];
    const conditions = resources.map((r) =>
      thresholdCondition(`${m.nameInput} (${r})`, {
        filter: metricFilter(type, r),
        aligner: 'ALIGN_SUM',
        reducer: 'REDUCE_SUM',
        period: o.period ?? '300s',
        value: o.value ?? 0,
      }),
    );
    this.alert({
      id: cid,
      title,
      threshold: o.threshold,
      why: o.why,
      firstStep: o.firstStep,
      severity: o.severity,
      conditions,
      dependsOn: this.logMetricPropagation ?? m,
    });
    this.charts.push({
      title: `${title} (log lines)`,
      filter: eq('metric.type', type),
      aligner: 'ALIGN_SUM',
      reducer: 'REDUCE_SUM',
      period: o.period ?? '300s',
    });
  }

  private alert(a: {
    id: string;
    title: string;
    threshold: string;
    why: string;
    firstStep: string;
    severity: string;
    conditions: MonitoringAlertPolicyConditions[];
    chart?: DashboardChart;
    dependsOn?: ITerraformDependable;
  }): void {
    const policy = new MonitoringAlertPolicy(this, a.id, {
      project: this.project,
      displayName: `${a.title}`,
      combiner: 'OR',
      severity: a.severity,
      conditions: a.conditions,
      notificationChannels: this.notificationChannels.length > 0 ? this.notificationChannels : undefined,
      alertStrategy: { autoClose: '1800s' },
      documentation: {
        mimeType: 'text/markdown',
        subject: a.title,
        content: `**What it means:** ${a.why}.\n\n**Threshold:** ${a.threshold}.\n\n**Check first:** ${a.firstStep}.`,
      },
      dependsOn: a.dependsOn ? [a.dependsOn] : undefined,
    });
    this.alerts.push({ id: a.id, title: a.title, threshold: a.threshold, why: a.why, firstStep: a.firstStep, policy });
    if (a.chart) this.charts.push(a.chart);
  }
}
