/** The one way TwentyMonitoring makes an alert policy: documented, notifying, charted. */
import {
  MonitoringAlertPolicy,
  MonitoringAlertPolicyConditions,
} from '@cdktf/provider-google/lib/monitoring-alert-policy';
import type { Sleep } from '@cdktf/provider-time/lib/sleep';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { RESOURCE, USER_METRIC_PREFIX } from './catalogue';
import type { DashboardChart } from './dashboard';
import { eq, metricFilter } from './filters';
import type { TwentyLogMetrics } from './log-metrics';
import { thresholdCondition, TwentyAlert } from './props';

/** What every policy needs, and the lists it adds to; policies are created in `scope`. */
export interface AlertContext {
  readonly scope: Construct;
  readonly project: string;
  readonly notificationChannels: string[];
  readonly alerts: TwentyAlert[];
  readonly charts: DashboardChart[];
  readonly logMetrics: TwentyLogMetrics;
  readonly logMetricPropagation?: Sleep;
}

export interface AlertSpec {
  id: string;
  title: string;
  threshold: string;
  why: string;
  firstStep: string;
  severity: string;
  conditions: MonitoringAlertPolicyConditions[];
  chart?: DashboardChart;
  dependsOn?: ITerraformDependable;
}

export function addAlert(ctx: AlertContext, a: AlertSpec): void {
  const policy = new MonitoringAlertPolicy(ctx.scope, a.id, {
    project: ctx.project,
    displayName: `${a.title}`,
    combiner: 'OR',
    severity: a.severity,
    conditions: a.conditions,
    notificationChannels: ctx.notificationChannels.length > 0 ? ctx.notificationChannels : undefined,
    alertStrategy: { autoClose: '1800s' },
    documentation: {
      mimeType: 'text/markdown',
      subject: a.title,
      content: `**What it means:** ${a.why}.\n\n**Threshold:** ${a.threshold}.\n\n**Check first:** ${a.firstStep}.`,
    },
    dependsOn: a.dependsOn ? [a.dependsOn] : undefined,
  });
  ctx.alerts.push({ id: a.id, title: a.title, threshold: a.threshold, why: a.why, firstStep: a.firstStep, policy });
  if (a.chart) ctx.charts.push(a.chart);
}

export interface LogAlertSpec {
  threshold: string;
  why: string;
  firstStep: string;
  severity: string;
  value?: number;
  period?: string;
  alsoWorker?: boolean;
}

/** An alert on a log-based metric; it waits for the metric's propagation. */
export function addLogAlert(
  ctx: AlertContext,
  cid: string,
  title: string,
  metric: keyof TwentyLogMetrics,
  resourceType: string,
  o: LogAlertSpec,
): void {
  const m = ctx.logMetrics[metric]!;
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
  addAlert(ctx, {
    id: cid,
    title,
    threshold: o.threshold,
    why: o.why,
    firstStep: o.firstStep,
    severity: o.severity,
    conditions,
    dependsOn: ctx.logMetricPropagation ?? m,
  });
  ctx.charts.push({
    title: `${title} (log lines)`,
    filter: eq('metric.type', type),
    aligner: 'ALIGN_SUM',
    reducer: 'REDUCE_SUM',
    period: o.period ?? '300s',
  });
}
