/**
 * TwentyMonitoring: every filter names a metric type that exists for its resource type
 * (fixtures/cloud-monitoring-metric-types.json, from Google's sources), thresholds follow the
 * deployment, log-based metrics match Twenty's real lines (fixtures/twenty-observability.json),
 * channels, guardrail, APIs, budget, bad inputs, README table.
 */
import { Aspects, Testing, Token } from 'cdktf';
import { readFileSync } from 'fs';
import { join } from 'path';
import { Guardrails } from '../../constructs/guardrails';
import { TWENTY_LOG_LINES } from '../../constructs/monitoring/catalogue';
import { TwentyMonitoring, TwentyMonitoringProps } from '../../constructs/monitoring/twenty-monitoring';
import type { TwentyStackConfig } from '../../constructs/stack/twenty-stack';
import { requiredApis, TwentyStack } from '../../constructs/stack/twenty-stack';
import { backend } from '../support/backend';
import { envByName, errorsOf, Json, problemsOf, resourcesOfType, synthJson, testApp } from '../support/synth';

const METRICS: Json = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'cloud-monitoring-metric-types.json'), 'utf8'),
);
const TWENTY: Json = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'twenty-observability.json'), 'utf8'));

const prod = envByName('prod');
const dev = envByName('dev');

function withChanges(env: TwentyStackConfig, changes: Partial<TwentyStackConfig>): TwentyStackConfig {
  return { ...env, ...changes };
}

function synth(env: TwentyStackConfig): { json: Json; stack: TwentyStack } {
  const stack = new TwentyStack(testApp(), env);
  return { json: synthJson(stack), stack };
}

/** The `key="value"` pairs of a Monitoring filter. */
function pairs(filter: string, key: string): string[] {
  return [...filter.matchAll(new RegExp(`${key.replace(/\./g, '\\.')}="([^"]+)"`, 'g'))].map((m) => m[1]);
}

/**
 * Problems of one time-series filter against the fixture: exactly one metric type and one
 * resource type, a pair Google documents, or a log-based metric whose own log filter selects
 * that resource type.
 */
function filterProblems(filter: string, logMetrics: Record<string, string>): string[] {
  const types = pairs(filter, 'metric.type');
  const resources = pairs(filter, 'resource.type');
  if (types.length !== 1) return [`${filter}: ${types.length} metric types`];
  const [type] = types;
  if (resources.length > 1) return [`${filter}: ${resources.length} resource types`];
  const resource = resources[0];
  if (type.startsWith(METRICS.userMetrics.prefix)) {
    const name = type.slice(METRICS.userMetrics.prefix.length);
    const logFilter = logMetrics[name];
    if (logFilter === undefined) return [`${type}: no google_logging_metric named ${name}`];
    if (resource === undefined) return [];
    const selected = pairs(logFilter, 'resource.type');
    if (!selected.includes(resource))
      return [`${type}: alert on ${resource}, but its log filter selects ${selected.join(', ')}`];
    if (!(resource in METRICS.userMetrics.logResources))
      return [`${type}: log resource ${resource} is not in the fixture`];
    return [];
  }
  const known = METRICS.metrics[type];
  if (!known) return [`${type}: not a metric type in the fixture`];
  if (resource === undefined) return [`${type}: no resource.type`];
  if (!known.resources.includes(resource))
    return [`${type}: written for ${known.resources.join(', ')}, not ${resource}`];
  for (const label of [...filter.matchAll(/resource\.labels?\.([a-z_]+)="/g)].map((m) => m[1])) {
    if (!METRICS.resourceLabels[resource]?.includes(label))
      return [`${type}: resource ${resource} has no label ${label} in the fixture`];
  }
  for (const label of [...filter.matchAll(/metric\.labels?\.([a-z_]+)="/g)].map((m) => m[1])) {
    if (!known.labels.includes(label)) return [`${type}: no metric label ${label} in the fixture`];
  }
  return [];
}

function logMetricsOf(json: Json): Record<string, string> {
  return Object.fromEntries(resourcesOfType(json, 'google_logging_metric').map((m) => [m.name, m.filter]));
}

/** Every time-series filter of the alert policies and the dashboard. */
function allFilters(json: Json): string[] {
  const filters: string[] = [];
  for (const p of resourcesOfType(json, 'google_monitoring_alert_policy')) {
    for (const c of p.conditions) {
      const t = c.condition_threshold ?? c.condition_absent;
      filters.push(t.filter);
      if (t.denominator_filter) filters.push(t.denominator_filter);
    }
  }
  for (const d of resourcesOfType(json, 'google_monitoring_dashboard')) {
    const dash = JSON.parse(d.dashboard_json);
    for (const tile of dash.mosaicLayout.tiles) {
      for (const ds of tile.widget.xyChart.dataSets) {
        const q = ds.timeSeriesQuery;
        if (q.timeSeriesFilter) filters.push(q.timeSeriesFilter.filter);
        else filters.push(q.timeSeriesFilterRatio.numerator.filter, q.timeSeriesFilterRatio.denominator.filter);
      }
    }
  }
  return filters;
}

function policy(json: Json, title: string): Json {
  const found = resourcesOfType(json, 'google_monitoring_alert_policy').filter((p) => p.display_name === title);
  if (found.length !== 1) throw new Error(`expected one policy "${title}", found ${found.length}`);
  return found[0];
}
const thresholdOf = (json: Json, title: string) =>
  policy(json, title).conditions[0].condition_threshold.threshold_value;

describe('prod (monitoring on by default)', () => {
  let json: Json;
  beforeAll(() => {
    json = synth(prod).json;
  });

  test('every alert and chart filter names a metric type that exists for its resource type', () => {
    const filters = allFilters(json);
    expect(filters.length).toBeGreaterThanOrEqual(25);
    const logMetrics = logMetricsOf(json);
    expect(filters.flatMap((f) => filterProblems(f, logMetrics))).toEqual([]);
    // Every built-in metric in the fixture is used, so the fixture stays the list of what we read.
    const used = new Set(filters.flatMap((f) => pairs(f, 'metric.type')));
    for (const type of Object.keys(METRICS.metrics)) expect(used).toContain(type);
  });

  test('negative controls: the check fails on a wrong pair, an unknown type, a wrong label and a log metric on a resource it does not count', () => {
    const logMetrics = logMetricsOf(json);
    expect(
      filterProblems(
        'metric.type="run.googleapis.com/request_count" AND resource.type="cloudsql_database"',
        logMetrics,
      ),
    ).toEqual(['run.googleapis.com/request_count: written for cloud_run_revision, not cloudsql_database']);
    expect(
      filterProblems(
        'metric.type="run.googleapis.com/request_counts" AND resource.type="cloud_run_revision"',
        logMetrics,
      ),
    ).toEqual(['run.googleapis.com/request_counts: not a metric type in the fixture']);
    expect(
      filterProblems(
        'metric.type="run.googleapis.com/request_count" AND resource.type="cloud_run_revision" AND metric.label.status="500"',
        logMetrics,
      ),
    ).toEqual(['run.googleapis.com/request_count: no metric label status in the fixture']);
    expect(
      filterProblems(
        'metric.type="logging.googleapis.com/user/twenty-prod-upgrade-failed" AND resource.type="cloud_run_revision"',
        logMetrics,
      ),
    ).toEqual([
      'logging.googleapis.com/user/twenty-prod-upgrade-failed: alert on cloud_run_revision, but its log filter selects cloud_run_job',
    ]);
    expect(
      filterProblems(
        'metric.type="cloudsql.googleapis.com/database/cpu/utilization" AND resource.type="cloudsql_database" AND resource.label.instance_id="x"',
        logMetrics,
      ),
    ).toEqual([
      'cloudsql.googleapis.com/database/cpu/utilization: resource cloudsql_database has no label instance_id in the fixture',
    ]);
    expect(
      filterProblems('metric.type="logging.googleapis.com/user/nope" AND resource.type="cloud_run_job"', logMetrics),
    ).toEqual(['logging.googleapis.com/user/nope: no google_logging_metric named nope']);
    // The worker pool's instance count is sourced for cloud_run_worker_pool, not for jobs, and
    // by worker_pool_name only.
    expect(
      filterProblems(
        'metric.type="run.googleapis.com/container/instance_count" AND resource.type="cloud_run_job"',
        logMetrics,
      ),
    ).toEqual([
      'run.googleapis.com/container/instance_count: written for cloud_run_revision, cloud_run_worker_pool, not cloud_run_job',
    ]);
    expect(
      filterProblems(
        'metric.type="run.googleapis.com/container/instance_count" AND resource.type="cloud_run_worker_pool" AND resource.label.service_name="x"',
        logMetrics,
      ),
    ).toEqual([
      'run.googleapis.com/container/instance_count: resource cloud_run_worker_pool has no label service_name in the fixture',
    ]);
  });

  test('the uptime check requests /healthz through the front door, over https, and its alert reads that check', () => {
    const [check] = resourcesOfType(json, 'google_monitoring_uptime_check_config');
    expect(check.monitored_resource).toEqual({
      type: 'uptime_url',
      labels: { project_id: prod.projectId, host: 'crm.example.com' },
    });
    expect(check.http_check).toMatchObject({
      path: '/healthz',
      port: 443,
      use_ssl: true,
      validate_ssl: true,
      request_method: 'GET',
    });
    expect(resourcesOfType(json, 'google_monitoring_uptime_check_config')).toHaveLength(1);
    const [key] = Object.keys(json.resource.google_monitoring_uptime_check_config);
    expect(policy(json, 'Twenty is unreachable').conditions[0].condition_threshold.filter).toContain(
      `metric.label.check_id="\${google_monitoring_uptime_check_config.${key}.uptime_check_id}"`,
    );
  });

  test('every policy notifies the email channel and says what it means and what to check first', () => {
    const [channelKey] = Object.keys(json.resource.google_monitoring_notification_channel);
    expect(json.resource.google_monitoring_notification_channel[channelKey]).toMatchObject({
      type: 'email',
      labels: { email_address: 'oncall@example.com' },
    });
    const policies = resourcesOfType(json, 'google_monitoring_alert_policy');
    expect(policies.length).toBe(14);
    for (const p of policies) {
      expect(p.notification_channels).toEqual([`\${google_monitoring_notification_channel.${channelKey}.id}`]);
      expect(p.documentation.mime_type).toBe('text/markdown');
      expect(p.documentation.content).toMatch(
        /^\*\*What it means:\*\* .+\n\n\*\*Threshold:\*\* .+\n\n\*\*Check first:\*\* .+\.$/,
      );
      expect(p.combiner).toBe('OR');
      expect(['CRITICAL', 'ERROR', 'WARNING']).toContain(p.severity);
    }
  });

  test('thresholds from the deployment: maxInstances, max_connections of the tier, request timeout', () => {
    expect(thresholdOf(json, 'Twenty server at its maximum instances')).toBe(prod.service!.maxInstances! - 1);
    // db-custom-2-7680 has 7.5 GB: Cloud SQL's default max_connections is 400.
    expect(thresholdOf(json, 'Cloud SQL connections near max_connections')).toBe(320);
    expect(thresholdOf(json, 'Twenty server p95 latency high')).toBe(2000);
    expect(thresholdOf(json, 'Twenty server 5xx ratio high')).toBe(0.05);
  });

  test("log-based metrics count the lines in Twenty's source, on the processes that write them", () => {
    const metrics = Object.fromEntries(resourcesOfType(json, 'google_logging_metric').map((m) => [m.name, m]));
    expect(Object.keys(metrics).sort()).toEqual([
      'twenty-prod-email-failures',
      'twenty-prod-redis-errors',
      'twenty-prod-upgrade-failed',
      'twenty-prod-worker-errors',
    ]);
    expect(metrics['twenty-prod-upgrade-failed'].filter).toMatch(
      /^\(resource\.type="cloud_run_job" AND resource\.labels\.job_name="twenty-prod-migrate"\) AND /,
    );
    expect(metrics['twenty-prod-redis-errors'].filter).toContain(
      'resource.labels.worker_pool_name="twenty-prod-worker"',
    );
    expect(metrics['twenty-prod-worker-errors'].filter).toContain('severity>=ERROR');
    for (const [key, fixture] of Object.entries(TWENTY.logLines) as [keyof typeof TWENTY_LOG_LINES, Json][]) {
      expect(TWENTY_LOG_LINES[key].match).toEqual(fixture.match);
      const name = { upgradeFailed: 'upgrade-failed', redisError: 'redis-errors', emailFailed: 'email-failures' }[key];
      for (const m of fixture.match)
        expect(metrics[`twenty-prod-${name}`].filter).toContain(`textPayload:${JSON.stringify(m)}`);
    }
  });
});

test('policies on log-based metrics wait for the metrics to become visible (provider issue #11102); the others do not', () => {
  const json = synth(prod).json;
  const [sleepKey] = Object.keys(json.resource.time_sleep).filter((k) => k.startsWith('monitoring_'));
  const sleep = json.resource.time_sleep[sleepKey];
  expect(sleep.create_duration).toBe('600s');
  const metricKeys = Object.keys(json.resource.google_logging_metric);
  expect(Object.values(sleep.triggers).sort()).toEqual(
    metricKeys.map((k) => `\${google_logging_metric.${k}.id}`).sort(),
  );
  for (const k of metricKeys) expect(sleep.depends_on).toContain(`google_logging_metric.${k}`);
  const waiting = resourcesOfType(json, 'google_monitoring_alert_policy').filter((p) =>
    p.depends_on.includes(`time_sleep.${sleepKey}`),
  );
  expect(waiting.map((p) => p.display_name).sort()).toEqual(
    [
      'Twenty cannot reach Redis',
      'Twenty emails failing',
      'Twenty upgrade command failed',
      'Twenty worker logging errors',
    ].sort(),
  );
  const off = synth(withChanges(prod, { monitoring: { ...prod.monitoring, logMetricPropagationSeconds: 0 } })).json;
  expect(Object.keys(off.resource.time_sleep).filter((k) => k.startsWith('monitoring_'))).toEqual([]);
  expect(policy(off, 'Twenty emails failing').depends_on).toContain(
    `google_logging_metric.${metricKeys.find((k) => k.includes('EmailFailed'))}`,
  );
});

/** Cloud Logging's `:` on text: a case-insensitive substring (stand-in, from the logging query docs). */
const has = (text: string, term: string) => text.toLowerCase().includes(term.toLowerCase());
const sample = (line: string) =>
  line
    .replace('${error.message}', 'relation "workspace" does not exist')
    .replace('${n}', '2')
    .replace('${error.stack}', 'Error: connect ECONNREFUSED 10.0.0.1:6379')
    .replace('${to}', 'ann@example.com')
    .replace('${err}', 'Error: Invalid login: 535 Authentication failed');

test('each log line of the fixture, as Twenty prints it (colour codes around it), is matched; the success line is not', () => {
  for (const [key, fixture] of Object.entries(TWENTY.logLines) as [keyof typeof TWENTY_LOG_LINES, Json][]) {
    for (const line of fixture.lines) {
      const printed = `\x1b[31m[Nest] 1  - 12/01/2026, 8:00:00 PM   ERROR\x1b[39m \x1b[33m[Context]\x1b[39m \x1b[31m${sample(line)}\x1b[39m`;
      expect({ key, line, matched: TWENTY_LOG_LINES[key].match.some((m) => has(printed, m)) }).toEqual({
        key,
        line,
        matched: true,
      });
    }
    for (const line of fixture.notMatching ?? []) {
      expect({ key, line, matched: TWENTY_LOG_LINES[key].match.some((m) => has(sample(line), m)) }).toEqual({
        key,
        line,
        matched: false,
      });
    }
  }
  // Negative control: a changed message is not matched.
  expect(TWENTY_LOG_LINES.emailFailed.match.some((m) => has("failed to send email to 'ann@example.com'", m))).toBe(
    false,
  );
});

describe('thresholds follow the config', () => {
  test('maxInstances', () => {
    const { json } = synth(withChanges(prod, { service: { ...prod.service, maxInstances: 20 } }));
    expect(thresholdOf(json, 'Twenty server at its maximum instances')).toBe(19);
    expect(policy(json, 'Twenty server at its maximum instances').documentation.content).toContain(
      '20 instances (maxInstances)',
    );
  });

  test('the tier, and an explicit maxConnections', () => {
    const small = synth(
      withChanges(prod, {
        database: { ...prod.database, tier: 'db-custom-1-3840' },
        service: { ...prod.service, maxInstances: 4 },
      }),
    ).json;
    expect(thresholdOf(small, 'Cloud SQL connections near max_connections')).toBe(80);
    const explicit = synth(withChanges(prod, { database: { ...prod.database, maxConnections: 250 } })).json;
    expect(thresholdOf(explicit, 'Cloud SQL connections near max_connections')).toBe(200);
    expect(policy(explicit, 'Cloud SQL connections near max_connections').documentation.content).toContain(
      'max_connections 250',
    );
  });

  test('workerInstances: the worker alert fires below the configured count, and when no instance is reported', () => {
    const count = (env: TwentyStackConfig) => policy(synth(env).json, 'Twenty worker not running');
    const one = count(prod);
    expect(one.severity).toBe('CRITICAL');
    const [below, absent] = one.conditions;
    expect(below.condition_threshold).toMatchObject({
      filter:
        'metric.type="run.googleapis.com/container/instance_count" AND resource.type="cloud_run_worker_pool" AND resource.label.worker_pool_name="twenty-prod-worker"',
      comparison: 'COMPARISON_LT',
      threshold_value: 1,
      duration: '600s',
      aggregations: [
        {
          alignment_period: '60s',
          per_series_aligner: 'ALIGN_MEAN',
          cross_series_reducer: 'REDUCE_SUM',
          group_by_fields: ['resource.label.worker_pool_name'],
        },
      ],
    });
    expect(absent.condition_absent).toMatchObject({ filter: below.condition_threshold.filter, duration: '600s' });
    const three = count(withChanges(prod, { service: { ...prod.service, workerInstances: 3 } }));
    expect(three.conditions[0].condition_threshold.threshold_value).toBe(3);
    expect(three.documentation.content).toContain('fewer than 3 worker instances (workerInstances)');
  });

  test('workerInstances given as a token is the threshold itself, not a stand-in 1', () => {
    const workers = Token.asNumber('${var.workers}');
    const { json } = synth(withChanges(prod, { service: { ...prod.service, workerInstances: workers } }));
    const p = policy(json, 'Twenty worker not running');
    expect(p.conditions[0].condition_threshold.threshold_value).toBe('${var.workers}');
    expect(p.documentation.content).toContain('fewer worker instances than workerInstances for 10 minutes');
    // The dashboard's JSON cannot carry the token: its chart draws no threshold line.
    const dashboard = Object.values(resourcesOfType(json, 'google_monitoring_dashboard'))[0] as {
      dashboard_json: string;
    };
    expect(dashboard.dashboard_json).not.toMatch(/e\+?28\d/);
  });

  test('a short request timeout lowers the latency threshold below it', () => {
    const { json } = synth(withChanges(prod, { service: { ...prod.service, requestTimeoutSeconds: 2 } }));
    expect(thresholdOf(json, 'Twenty server p95 latency high')).toBe(1600);
  });

  test('min = max instances: no "at max" alert, said at synth', () => {
    const { json, stack } = synth(
      withChanges(prod, { service: { ...prod.service, minInstances: 8, maxInstances: 8 } }),
    );
    expect(resourcesOfType(json, 'google_monitoring_alert_policy').map((p) => p.display_name)).not.toContain(
      'Twenty server at its maximum instances',
    );
    const infos = stack.monitoring!.node.metadata.filter((m) => m.type === '@cdktf/info').map((m) => m.data);
    expect(infos).toEqual(['the server always runs 8 instances (min = max), so no "at max instances" alert was made']);
  });
});

describe('environments and guardrail', () => {
  test('dev has no monitoring unless asked, and no monitoring APIs', () => {
    const { json } = synth(dev);
    expect(Object.keys(json.resource).filter((t) => /^google_(monitoring|logging|billing)_/.test(t))).toEqual([]);
    expect(requiredApis(dev)).not.toContain('monitoring.googleapis.com');
    expect(requiredApis(prod)).toEqual(expect.arrayContaining(['monitoring.googleapis.com', 'logging.googleapis.com']));
    expect(requiredApis(prod)).not.toContain('billingbudgets.googleapis.com');
  });

  test('dev with monitoring: the uptime check goes through Firebase Hosting; no channel is not an error outside production', () => {
    const env = withChanges(dev, { monitoring: { enabled: true } });
    const stack = new TwentyStack(testApp(), env);
    const json = JSON.parse(Testing.synth(stack, true));
    expect(resourcesOfType(json, 'google_monitoring_uptime_check_config')[0].monitored_resource.labels.host).toBe(
      'crm-dev.example.com',
    );
    expect(
      resourcesOfType(json, 'google_monitoring_alert_policy').every((p: Json) => p.notification_channels === undefined),
    ).toBe(true);
    expect(stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/error'))).toEqual([]);
    expect(Object.keys(json.resource.google_project_service)).toEqual(
      expect.arrayContaining(['api-monitoring', 'api-logging']),
    );
  });

  test('TwentyStack in production without a channel: one problem of the environment, no finding per policy', () => {
    const stack = new TwentyStack(testApp(), withChanges(prod, { monitoring: {} }));
    Testing.synth(stack); // the guardrails run on the synthesized JSON
    expect(errorsOf(stack)).toEqual([
      `environment "prod": [PROD-ALERT-CHANNEL] monitoring has no notification channel in production (monitoring.notificationEmails is not set, monitoring.notificationChannelIds is not set), so its 14 alert policies would notify nobody; set monitoring.notificationEmails (e.g. monitoring: { notificationEmails: ['oncall@example.com'] }) or monitoring.notificationChannelIds (existing channels, "projects/PROJECT/notificationChannels/ID"), or opt out knowingly with monitoring: { enabled: false }`,
    ]);
  });

  test('TwentyMonitoring on its own in a production stack: nobody reported the cause, so the guardrail finds every policy', () => {
    // The control for the test above: the rule itself is unchanged.
    const { stack, database, server } = backend();
    Aspects.of(stack).add(new Guardrails({ production: true, log: () => undefined }));
    new TwentyMonitoring(stack, 'ops', { backend: server, database, publicUrl: 'https://crm.example.com' });
    Testing.synth(stack);
    const errors = errorsOf(stack).filter((e) => e.includes('[PROD-ALERT-CHANNEL]'));
    expect(errors).toHaveLength(14);
    expect(errors[0]).toBe(
      "TwentyMonitoring test/ops: [PROD-ALERT-CHANNEL] google_monitoring_alert_policy.ops_UptimeAlert_217EE2EE: alert policy \"Twenty is unreachable\" notifies nobody in production (no notification channel); give TwentyMonitoring notificationEmails or notificationChannelIds (monitoring.notificationEmails in the environment config). Why: an alert that notifies nobody is found in the console after the users found the outage. To accept it: Guardrails.suppress(construct, 'PROD-ALERT-CHANNEL', 'reason').",
    );
  });

  test('an existing channel id alone satisfies the guardrail', () => {
    const stack = new TwentyStack(
      testApp(),
      withChanges(prod, {
        monitoring: { notificationChannelIds: ['projects/acme-twenty-prod/notificationChannels/42'] },
      }),
    );
    const json = synthJson(stack);
    expect(resourcesOfType(json, 'google_monitoring_notification_channel')).toHaveLength(0);
    for (const p of resourcesOfType(json, 'google_monitoring_alert_policy'))
      expect(p.notification_channels).toEqual(['projects/acme-twenty-prod/notificationChannels/42']);
    expect(stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/error'))).toEqual([]);
  });

  test('production with monitoring turned off warns', () => {
    const stack = new TwentyStack(testApp(), withChanges(prod, { monitoring: { enabled: false } }));
    expect(stack.monitoring).toBeUndefined();
    expect(stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([
      'monitoring is turned off in a production environment: nobody is told when Twenty is down',
    ]);
    expect(Aspects.of(stack).all.some((a) => a instanceof Guardrails)).toBe(true);
  });
});

describe('options', () => {
  test('billing budget: account, amount, the project by number, all channels, and its API', () => {
    const env = withChanges(prod, {
      monitoring: {
        notificationEmails: ['oncall@example.com'],
        billingBudget: { billingAccountId: '012345-6789AB-CDEF01', monthlyAmount: 300 },
      },
    });
    expect(requiredApis(env)).toContain('billingbudgets.googleapis.com');
    const json = synth(env).json;
    const [budget] = resourcesOfType(json, 'google_billing_budget');
    const [projectKey] = Object.keys(json.data.google_project);
    expect(json.data.google_project[projectKey].project_id).toBe(prod.projectId);
    expect(budget).toMatchObject({
      billing_account: '012345-6789AB-CDEF01',
      amount: { specified_amount: { currency_code: 'USD', units: '300' } },
      budget_filter: { projects: [`projects/\${data.google_project.${projectKey}.number}`], calendar_period: 'MONTH' },
      threshold_rules: [
        { threshold_percent: 0.5 },
        { threshold_percent: 0.9 },
        { threshold_percent: 1 },
        { threshold_percent: 1, spend_basis: 'FORECASTED_SPEND' },
      ],
    });
    expect(budget.all_updates_rule.monitoring_notification_channels).toHaveLength(1);
  });

  test('health indicators are opt-in uptime checks of their own', () => {
    const json = synth(
      withChanges(prod, { monitoring: { notificationEmails: ['oncall@example.com'], healthIndicators: ['worker'] } }),
    ).json;
    const paths = resourcesOfType(json, 'google_monitoring_uptime_check_config').map((c) => c.http_check.path);
    expect(paths.sort()).toEqual(['/healthz', '/healthz/worker']);
    expect(resourcesOfType(json, 'google_monitoring_alert_policy').map((p) => p.display_name)).toContain(
      'Twenty health indicator "worker" is down',
    );
  });

  test('health indicators warn, on every version, that the route may need a secret we do not set; none asked, no warning', () => {
    const warnings = (env: TwentyStackConfig) =>
      new TwentyStack(testApp(), env)
        .monitoring!.node.metadata.filter((m) => m.type === '@cdktf/warn')
        .map((m) => m.data);
    for (const twentyVersion of ['v2.31.1', 'v2.45.0']) {
      const env = withChanges(prod, {
        twentyVersion,
        monitoring: { notificationEmails: ['oncall@example.com'], healthIndicators: ['database', 'worker'] },
      });
      expect(warnings(env)).toEqual([
        `healthIndicators (database, worker) may not answer on Twenty ${twentyVersion}: /healthz/:indicatorId is public at twentyhq/twenty 44697aa8 (v1.14 development) and requires an X-Healthz-Secret header equal to HEALTHZ_SECRET at 1501b7ec; which releases carry that guard is unverified, and this library sets no HEALTHZ_SECRET, so there the check gets 500 and its alert fires. Request <publicUrl>/healthz/database once after deploying; if it is refused, remove healthIndicators`,
      ]);
    }
    expect(warnings(prod)).toEqual([]);
    // The commits named are the fixture's, whose releases are recorded (or recorded as unknown).
    const [open, guarded] = TWENTY.health.versions;
    expect([open.commit.slice(0, 8), guarded.commit.slice(0, 8)]).toEqual(['44697aa8', '1501b7ec']);
    expect(open.routes['/healthz/:indicatorId']).toContain('public');
    expect(guarded.routes['/healthz/:indicatorId']).toContain('X-Healthz-Secret');
    expect(guarded.release).toMatch(/^not established/);
  });

  test("bad inputs: every problem at once, in the props' terms", () => {
    const stack = new TwentyStack(testApp(), withChanges(dev, { monitoring: { enabled: false } }));
    const props: TwentyMonitoringProps = {
      backend: stack.backend,
      database: stack.database,
      publicUrl: 'http://crm.example.com',
      notificationEmails: ['oncall', 'a@example.com', 'a@example.com'],
      notificationChannelIds: ['123'],
      healthIndicators: ['billing' as never],
      serverErrorRatio: 5,
      latencyP95Ms: 60000,
      logMetricPropagationSeconds: -1,
      billingBudget: { billingAccountId: 'abc', monthlyAmount: 0, currency: 'usd' },
    };
    expect(problemsOf(() => new TwentyMonitoring(stack, 'monitoring', props))).toEqual([
      'TwentyMonitoring twenty-dev/monitoring: publicUrl "http://crm.example.com" must use https; the uptime check requests it through the front door',
      'TwentyMonitoring twenty-dev/monitoring: notificationEmails entry "oncall" is not an email address',
      'TwentyMonitoring twenty-dev/monitoring: notificationEmails lists an address twice; give each once',
      'TwentyMonitoring twenty-dev/monitoring: notificationChannelIds entry "123" is not a channel name; use "projects/PROJECT/notificationChannels/ID"',
      'TwentyMonitoring twenty-dev/monitoring: healthIndicators entry "billing" is unknown; allowed: database, redis, worker',
      'TwentyMonitoring twenty-dev/monitoring: serverErrorRatio 5 must be a fraction between 0 and 1, e.g. 0.05 for 5%',
      'TwentyMonitoring twenty-dev/monitoring: latencyP95Ms 60000 must be a whole number of milliseconds below the request timeout (60000 ms)',
      'TwentyMonitoring twenty-dev/monitoring: logMetricPropagationSeconds -1 must be a whole number from 0 to 1800',
      'TwentyMonitoring twenty-dev/monitoring: billingBudget.billingAccountId "abc" is invalid; expected "XXXXXX-XXXXXX-XXXXXX" (digits and A-F)',
      'TwentyMonitoring twenty-dev/monitoring: billingBudget.monthlyAmount 0 must be a whole number, 1 or more',
      'TwentyMonitoring twenty-dev/monitoring: billingBudget.currency "usd" must be an ISO 4217 code such as "USD"',
    ]);
  });
});

/**
 * Enumerated arguments of a provider resource, read from the binding's own doc comments
 * ("Possible values: [...]" then the registry anchor of the argument), keyed by the binding's
 * interface name (the block path in PascalCase, e.g. `MonitoringAlertPolicyConditionsConditionThreshold`).
 */
function providerEnums(type: string): Map<string, Set<string>> {
  const dir = type.replace(/^google_/, '').replace(/_/g, '-');
  const text = readFileSync(require.resolve(`@cdktf/provider-google/lib/${dir}/index.d.ts`), 'utf8');
  const enums = new Map<string, Set<string>>();
  for (const chunk of text.split(/^export interface /m).slice(1)) {
    const iface = chunk.slice(0, chunk.search(/[\s<{]/)).replace(/Config$/, '');
    for (const m of chunk.matchAll(/Possible values: (\[[^\]]*\])[^]*?#([a-z_]+) /g)) {
      enums.set(`${iface}.${m[2]}`, new Set(JSON.parse(m[1]) as string[]));
    }
  }
  return enums;
}

const pascal = (snake: string) => snake.replace(/(^|_)([a-z0-9])/g, (_m, _u, c: string) => c.toUpperCase());

function enumProblems(json: Json, types: readonly string[]): string[] {
  const problems: string[] = [];
  for (const type of types) {
    const enums = providerEnums(type);
    const visit = (node: Json, iface: string, path: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, iface, `${path}.${i}`));
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        const allowed = enums.get(`${iface}.${k}`);
        for (const value of allowed ? (Array.isArray(v) ? v : [v]) : []) {
          if (typeof value === 'string' && !value.startsWith('${') && !allowed!.has(value))
            problems.push(`${type} ${path}.${k}: "${value}" is not one of the provider's values`);
        }
        visit(v, iface + pascal(k), `${path}.${k}`);
      }
    };
    for (const [key, config] of Object.entries(json.resource?.[type] ?? {}))
      visit(config, pascal(type.replace(/^google_/, '')), key);
  }
  return problems;
}

const MONITORING_TYPES = [
  'google_monitoring_alert_policy',
  'google_monitoring_uptime_check_config',
  'google_logging_metric',
  'google_billing_budget',
  'google_monitoring_notification_channel',
];

test('every enumerated argument takes a value the provider binding lists; a planted wrong value is caught', () => {
  const env = withChanges(prod, {
    monitoring: {
      notificationEmails: ['oncall@example.com'],
      billingBudget: { billingAccountId: '012345-6789AB-CDEF01', monthlyAmount: 300 },
    },
  });
  const json = synth(env).json;
  expect(
    providerEnums('google_monitoring_alert_policy').get(
      'MonitoringAlertPolicyConditionsConditionThresholdAggregations.cross_series_reducer',
    ),
  ).toContain('REDUCE_COUNT_FALSE');
  expect(providerEnums('google_monitoring_alert_policy').get('MonitoringAlertPolicy.severity')).toEqual(
    new Set(['CRITICAL', 'ERROR', 'WARNING']),
  );
  expect(enumProblems(json, MONITORING_TYPES)).toEqual([]);
  const planted = JSON.parse(JSON.stringify(json));
  const [key] = Object.keys(planted.resource.google_monitoring_alert_policy);
  planted.resource.google_monitoring_alert_policy[
    key
  ].conditions[0].condition_threshold.aggregations[0].per_series_aligner = 'ALIGN_P95';
  planted.resource.google_billing_budget[
    Object.keys(planted.resource.google_billing_budget)[0]
  ].threshold_rules[3].spend_basis = 'FORECAST';
  expect(enumProblems(planted, MONITORING_TYPES)).toEqual([
    `google_monitoring_alert_policy ${key}.conditions.0.condition_threshold.aggregations.0.per_series_aligner: "ALIGN_P95" is not one of the provider's values`,
    `google_billing_budget ${Object.keys(planted.resource.google_billing_budget)[0]}.threshold_rules.3.spend_basis: "FORECAST" is not one of the provider's values`,
  ]);
});

test("the dashboard uses only JSON fields that Google's own sample dashboards use", () => {
  const json = synth(prod).json;
  const paths = new Set<string>();
  const visit = (node: Json, path: string) => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, `${path}[]`));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      const p = path ? `${path}.${k}` : k;
      paths.add(p);
      visit(v, p);
    }
  };
  for (const d of resourcesOfType(json, 'google_monitoring_dashboard')) visit(JSON.parse(d.dashboard_json), '');
  const known = new Set(METRICS.dashboardKeyPaths.paths);
  expect([...paths].filter((p) => !known.has(p))).toEqual([]);
  expect(known.has('mosaicLayout.tiles[].widget.xyChart.dataSet')).toBe(false); // negative control: a misspelt field is not known
});

test("in a consumer's own stack, without a worker: defaults from the constructs, no worker signals, filters still valid", () => {
  const { stack, database, server } = backend({ disableWorker: true });
  new TwentyMonitoring(stack, 'ops', {
    backend: server,
    database,
    publicUrl: 'https://crm.example.com',
    notificationEmails: ['ops@example.com'],
  });
  const json = synthJson(stack);
  expect(thresholdOf(json, 'Twenty server at its maximum instances')).toBe(4); // maxInstances default 5
  expect(thresholdOf(json, 'Cloud SQL connections near max_connections')).toBe(80); // db-custom-1-3840: 100
  const titles = resourcesOfType(json, 'google_monitoring_alert_policy').map((p) => p.display_name);
  expect(titles).not.toContain('Twenty worker logging errors');
  expect(titles).not.toContain('Twenty worker not running');
  expect(
    resourcesOfType(json, 'google_logging_metric')
      .map((m) => m.name)
      .sort(),
  ).toEqual(['twenty-test-email-failures', 'twenty-test-redis-errors', 'twenty-test-upgrade-failed']);
  for (const m of resourcesOfType(json, 'google_logging_metric'))
    expect(m.filter).not.toContain('cloud_run_worker_pool');
  expect(policy(json, 'Twenty cannot reach Redis').conditions).toHaveLength(1);
  expect(allFilters(json).flatMap((f) => filterProblems(f, logMetricsOf(json)))).toEqual([]);
});

test('the README "Operations: alerts" table lists every alert with its threshold, why and first step', () => {
  const readme = readFileSync(join(__dirname, '../..', 'README.md'), 'utf8');
  const section = readme.split('## Operations: alerts')[1]?.split('\n## ')[0];
  expect(section).toBeDefined();
  const stack = new TwentyStack(testApp(), prod);
  for (const a of stack.monitoring!.alerts) {
    expect(section).toContain(`| ${a.title} | ${a.threshold.replace(/\|/g, '\\|')} | ${a.why} | ${a.firstStep} |`);
  }
});
