import type { BillingBudget } from '@cdktf/provider-google/lib/billing-budget';
import type { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard';
import type { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import type { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import type { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Construct } from 'constructs';
import { AlertContext } from './alert-policy';
import { availabilityAlerts, logLineAlerts, migrationJobAlerts, serverAlerts, workerAlerts } from './alerts';
import { billingBudget } from './budget';
import { PUBLIC_HEALTH_PATH, TWENTY_LOG_LINES } from './catalogue';
import { emailChannels } from './channels';
import { dashboardJson, DashboardChart } from './dashboard';
import { logMetricPropagation, twentyLogMetrics } from './log-metrics';
import { sqlAlerts } from './sql-alerts';
import { uptimeCheck } from './uptime';
import { checkShape } from '../core/props-shape';
import { MONITORING_SHAPE } from '../core/shapes';
import { Problems, reportProblems } from '../core/validation';
import { checkMonitoringProps, healthIndicatorsWarning } from './validate';
import { addSynthWarning } from '../core/synth-warnings';
import { TwentyAlert, TwentyHealthIndicator, TwentyMonitoringProps } from './props';

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

  constructor(scope: Construct, id: string, given: TwentyMonitoringProps) {
    super(scope, id);
    const problems = new Problems(`TwentyMonitoring ${this.node.path}`);
    const props = checkShape(problems, given, MONITORING_SHAPE);
    const { backend, database } = props;
    const project = backend.project;
    // Each address once: a repeated one is reported below, and construction goes on.
    const emails = [...new Set(props.notificationEmails ?? [])];
    const channelIds = props.notificationChannelIds ?? [];
    const timeoutMs = backend.requestTimeoutSeconds * 1000;
    const service = backend.target.name;
    const worker = backend.workerName;
    const prefix = props.namePrefix ?? service;

    const host = checkMonitoringProps(problems, props, { emails, channelIds, timeoutMs, prefix });
    const budget = props.billingBudget;
    reportProblems(this, problems);
    const indicatorsWarning = healthIndicatorsWarning(props.healthIndicators, backend.twentyVersion);
    if (indicatorsWarning) addSynthWarning(this, indicatorsWarning);

    // Every child is created in this construct, in this order: ids and addresses depend on it.
    this.emailChannels = emailChannels(this, project, prefix, emails);
    this.notificationChannels = [...this.emailChannels.map((c) => c.id), ...channelIds];

    // Uptime: /healthz through the front door, from several regions.
    this.uptimeCheck = uptimeCheck(
      this,
      'Uptime',
      `${prefix} ${PUBLIC_HEALTH_PATH}`,
      project,
      host!,
      PUBLIC_HEALTH_PATH,
    );
    for (const indicator of props.healthIndicators ?? []) {
      this.indicatorChecks[indicator] = uptimeCheck(
        this,
        `Uptime-${indicator}`,
        `${prefix} ${PUBLIC_HEALTH_PATH}/${indicator}`,
        project,
        host!,
        `${PUBLIC_HEALTH_PATH}/${indicator}`,
      );
    }

    this.logMetrics = twentyLogMetrics(this, { project, prefix, service, jobName: backend.jobName, worker });
    this.logMetricPropagation = logMetricPropagation(this, this.logMetrics, props.logMetricPropagationSeconds ?? 600);

    const ctx: AlertContext = {
      scope: this,
      project,
      notificationChannels: this.notificationChannels,
      alerts: this.alerts,
      charts: this.charts,
      logMetrics: this.logMetrics,
      logMetricPropagation: this.logMetricPropagation,
    };
    availabilityAlerts(ctx, this.uptimeCheck, this.indicatorChecks);
    serverAlerts(ctx, {
      service,
      errorRatio: props.serverErrorRatio ?? 0.05,
      latencyMs: props.latencyP95Ms ?? Math.min(2000, Math.floor(timeoutMs * 0.8)),
      requestTimeoutSeconds: backend.requestTimeoutSeconds,
      minInstances: backend.scaling.minInstances,
      maxInstances: backend.scaling.maxInstances,
    });
    migrationJobAlerts(ctx, backend.jobName);
    if (worker)
      workerAlerts(ctx, {
        worker,
        instances: backend.workerInstances,
        errorsPer10Minutes: props.workerErrorsPer10Minutes ?? 10,
      });
    sqlAlerts(ctx, {
      project: database.project,
      instanceName: database.instance.nameInput,
      tier: database.tier,
      maxConnections: database.maxConnections,
      connectionsRatio: props.connectionsRatio ?? 0.8,
    });
    logLineAlerts(ctx, worker !== undefined);

    this.dashboard = new MonitoringDashboard(this, 'Dashboard', {
      project,
      dashboardJson: dashboardJson(`Twenty ${prefix}`, this.charts),
    });

    if (budget) this.budget = billingBudget(this, project, prefix, budget, this.notificationChannels);
  }
}
