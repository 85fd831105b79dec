/** TwentyMonitoring's props and the types and constants it shares with its checks. */
import type { CloudSqlSocketDatabase } from '../database/cloud-sql-socket-database';
import type { TwentyBackendService } from '../backend/twenty-backend-service';
import type {
  MonitoringAlertPolicy,
  MonitoringAlertPolicyConditions,
  MonitoringAlertPolicyConditionsConditionThreshold,
} from '@cdktf/provider-google/lib/monitoring-alert-policy';

/** Health indicators of Twenty's `/healthz/:indicatorId` route (see `healthIndicators`). */
export type TwentyHealthIndicator = 'database' | 'redis' | 'worker';
export const TWENTY_HEALTH_INDICATORS: readonly TwentyHealthIndicator[] = ['database', 'redis', 'worker'];

/** An optional billing budget on the project. */
export interface TwentyBillingBudgetProps {
  /** Billing account id, `XXXXXX-XXXXXX-XXXXXX`. */
  readonly billingAccountId: string;
  /** Monthly amount, in whole units of `currency`. */
  readonly monthlyAmount: number;
  /**
   * ISO 4217 code; must be the billing account's currency.
   * @default 'USD'
   */
  readonly currency?: string;
  /**
   * Fractions of the amount that notify (actual spend); 100% forecast always notifies too.
   * @default [0.5, 0.9, 1.0]
   */
  readonly thresholds?: readonly number[];
}

export interface TwentyMonitoringProps {
  /** The Twenty server, worker pool and migration job to watch. */
  readonly backend: TwentyBackendService;
  /** The Cloud SQL instance to watch; its `maxConnections` sets the connections alert. */
  readonly database: CloudSqlSocketDatabase;
  /** The URL users open (through the front door); the uptime check requests `<publicUrl>/healthz`. */
  readonly publicUrl: string;
  /**
   * Email addresses that receive alerts (one email notification channel each).
   * @default none
   */
  readonly notificationEmails?: readonly string[];
  /**
   * Existing notification channels (`projects/PROJECT/notificationChannels/ID`), e.g. a pager.
   * @default none
   */
  readonly notificationChannelIds?: readonly string[];
  /**
   * Twenty's deeper health checks to probe too (`/healthz/database`, ...). Only for Twenty versions
   * whose `/healthz/:indicatorId` answers without authentication: newer source requires an
   * `X-Healthz-Secret` header, which an uptime check would keep in plain text, so it is not offered.
   * Which releases need it is not established, so using this warns at synth on every version.
   * @default none
   */
  readonly healthIndicators?: readonly TwentyHealthIndicator[];
  /**
   * Alert when more than this fraction of the server's requests fail with 5xx.
   * @default 0.05
   */
  readonly serverErrorRatio?: number;
  /**
   * Alert when the server's p95 latency exceeds this many milliseconds.
   * @default 2000, lowered to 80% of the request timeout when that is shorter
   */
  readonly latencyP95Ms?: number;
  /**
   * Alert when the worker pool logs more error entries (severity ERROR or above) than this in
   * 10 minutes. A worker that is not running logs nothing: the "worker not running" alert,
   * on the pool's instance count, covers that.
   * @default 10
   */
  readonly workerErrorsPer10Minutes?: number;
  /**
   * Alert when the database's connections exceed this fraction of its `max_connections`.
   * @default 0.8
   */
  readonly connectionsRatio?: number;
  /**
   * Optional billing budget with notifications on the same channels.
   * @default none
   */
  readonly billingBudget?: TwentyBillingBudgetProps;
  /**
   * Seconds the alert policies on log-based metrics wait after those metrics are created: the
   * Monitoring API refuses a policy on a just-created log metric for up to 10 minutes
   * ("Cannot find metric(s) that match type", hashicorp/terraform-provider-google#11102).
   * Waits on the first apply and when a metric is added; 0 turns the wait off.
   * @default 600
   */
  readonly logMetricPropagationSeconds?: number;
  /**
   * Prefix of names and display names (log metrics `<prefix>-upgrade-failed`, ...).
   * @default the server's Cloud Run service name
   */
  readonly namePrefix?: string;
}

/** One alert of the deployment, as documented in the README's "Operations: alerts" table. */
export interface TwentyAlert {
  /** Construct id of the policy (its Terraform address). */
  readonly id: string;
  readonly title: string;
  /** The threshold, in words, with the deployment's numbers. */
  readonly threshold: string;
  readonly why: string;
  readonly firstStep: string;
  readonly policy: MonitoringAlertPolicy;
}

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const CHANNEL_ID = /^projects\/[a-z0-9-]+\/notificationChannels\/[0-9]+$/;
export const BILLING_ACCOUNT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;

export interface ThresholdSpec {
  readonly filter: string;
  readonly denominatorFilter?: string;
  readonly aligner: string;
  readonly reducer?: string;
  readonly groupBy?: readonly string[];
  readonly period?: string;
  readonly value: number;
  readonly duration?: string;
  /** @default 'COMPARISON_GT' */
  readonly comparison?: 'COMPARISON_GT' | 'COMPARISON_LT';
}

export function pct(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

export function indicatorWhy(i: TwentyHealthIndicator): string {
  switch (i) {
    case 'database':
      return 'the server cannot run `SELECT 1` on its core datasource within the health timeout';
    case 'redis':
      return 'the server cannot PING Redis within the health timeout';
    case 'worker':
      return "no worker is registered on any BullMQ queue (or a queue's failure rate is over Twenty's threshold)";
  }
}

/** One threshold condition of an alert policy. */
export function thresholdCondition(displayName: string, s: ThresholdSpec): MonitoringAlertPolicyConditions {
  const condition: MonitoringAlertPolicyConditionsConditionThreshold = {
    filter: s.filter,
    aggregations: [
      {
        alignmentPeriod: s.period ?? '300s',
        perSeriesAligner: s.aligner,
        crossSeriesReducer: s.reducer,
        groupByFields: s.groupBy ? [...s.groupBy] : undefined,
      },
    ],
    comparison: s.comparison ?? 'COMPARISON_GT',
    thresholdValue: s.value,
    duration: s.duration ?? '0s',
    trigger: { count: 1 },
  };
  return { displayName, conditionThreshold: condition };
}
