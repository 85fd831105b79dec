/** The alert policies on the Cloud SQL instance. */
import { Annotations } from 'cdktf';
import { addAlert, AlertContext } from './alert-policy';
import { METRIC, RESOURCE } from './catalogue';
import { metricFilter } from './filters';
import { pct, thresholdCondition } from './props';

export interface SqlAlertsInput {
  readonly project: string;
  readonly instanceName?: string;
  readonly tier: string;
  readonly maxConnections?: number;
  readonly connectionsRatio: number;
}

/** CPU, memory, disk, and connections against `max_connections`. */
export function sqlAlerts(ctx: AlertContext, d: SqlAlertsInput): void {
  const sql = { 'resource.label.database_id': `${d.project}:${d.instanceName}` };
  const utilization = (
    cid: string,
    what: string,
    metric: string,
    value: number,
    duration: string,
    why: string,
    firstStep: string,
  ) => {
    const f = metricFilter(metric, RESOURCE.sql, sql);
    addAlert(ctx, {
      id: cid,
      title: `Cloud SQL ${what} high`,
      threshold: `above ${pct(value)} for ${Number(duration.slice(0, -1)) / 60} minutes (tier ${d.tier})`,
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
  utilization(
    'SqlCpuAlert',
    'CPU',
    METRIC.sqlCpu,
    0.8,
    '900s',
    'queries queue; latency grows everywhere',
    'Query insights for the top queries; a bigger tier if the load is real',
  );
  utilization(
    'SqlMemoryAlert',
    'memory',
    METRIC.sqlMemory,
    0.9,
    '900s',
    'PostgreSQL may be killed and restarted for lack of memory',
    'connection count (each holds memory); a tier with more memory',
  );
  utilization(
    'SqlDiskAlert',
    'disk',
    METRIC.sqlDisk,
    0.85,
    '600s',
    'a full disk stops writes; auto-resize has a ceiling and costs money',
    'storage growth in Cloud SQL > Overview; large tables or attachments',
  );

  const backends = metricFilter(METRIC.sqlBackends, RESOURCE.sql, sql);
  const maxConnections = d.maxConnections;
  if (maxConnections === undefined) {
    Annotations.of(ctx.scope).addWarning(
      `the database's max_connections is unknown for tier ${d.tier}, so no connections alert was made; set maxConnections`,
    );
    return;
  }
  const limit = Math.floor(maxConnections * d.connectionsRatio);
  addAlert(ctx, {
    id: 'SqlConnectionsAlert',
    title: 'Cloud SQL connections near max_connections',
    threshold: `more than ${limit} connections (${pct(d.connectionsRatio)} of max_connections ${maxConnections}) for 5 minutes`,
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
