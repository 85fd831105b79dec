/**
 * Issue 14: monitoring is on by default in production, and a production environment without a
 * notification channel fails synth with one problem of the environment (not one guardrail
 * finding per alert policy). Outside production the seven keys are still enough.
 */
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { App, Testing } from 'cdktf';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { Guardrails } from '../../constructs/guardrails';
import { synthApp } from '../../constructs/stack/synth-app';
import { TwentyStack, TwentyStackConfig } from '../../constructs/stack/twenty-stack';
import { Json, MINIMAL, resourcesOfType } from '../support/synth';

/** The seven keys, without the notification channel that production needs. */
const { monitoring: _channel, ...SEVEN_KEYS } = MINIMAL;

const FIX =
  'set monitoring.notificationEmails (e.g. monitoring: { notificationEmails: [\'oncall@example.com\'] }) or monitoring.notificationChannelIds (existing channels, "projects/PROJECT/notificationChannels/ID"), or opt out knowingly with monitoring: { enabled: false }';

/** The one problem, as the report prints it, for what the config gave. */
const noChannel = (value: string) =>
  `    - [PROD-ALERT-CHANNEL] monitoring has no notification channel in production (${value}), so its 14 alert policies would notify nobody; ${FIX}`;

function run(build: (app: App) => void) {
  const app = Testing.app({ stackTraces: false });
  build(app);
  const err: string[] = [];
  const out: string[] = [];
  const result = synthApp(app, { err: (l) => err.push(l), out: (l) => out.push(l), setExitCode: false });
  const file = join(app.outdir, 'stacks/twenty-prod/cdk.tf.json');
  const json: Json = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  return { app, result, json, err: err.join('\n').split('\n'), out: out.join('\n').split('\n') };
}

/** The report's problems section (after the warnings). */
const problems = (err: string[]) => err.slice(err.findIndex((l) => l.startsWith('Synth failed')));

const MONITORING_TYPES = /^google_(monitoring|logging)_/;
const monitoringTypes = (json: Json) => Object.keys(json.resource).filter((t) => MONITORING_TYPES.test(t));

describe('production', () => {
  test('the seven keys alone fail with one problem of the environment, and no stack is written', () => {
    const { app, result, err } = run((a) => new TwentyStack(a, SEVEN_KEYS));
    expect(result.ok).toBe(false);
    expect(problems(err)).toEqual([
      'Synth failed: 1 problem in 1 stack.',
      'twenty-prod:',
      '  environment "prod"',
      noChannel('monitoring is not set; it is on by default in production'),
      `No stack was written to ${app.outdir} (earlier output of these stacks was removed); fix the above and synth again.`,
    ]);
    expect(result.findings.filter((f) => f.level === 'error')).toHaveLength(1);
    expect(existsSync(join(app.outdir, 'stacks/twenty-prod'))).toBe(false);
    expect(existsSync(join(app.outdir, 'manifest.json'))).toBe(false);
  });

  test.each([
    [{}, 'monitoring.notificationEmails is not set, monitoring.notificationChannelIds is not set'],
    [{ enabled: true }, 'monitoring.notificationEmails is not set, monitoring.notificationChannelIds is not set'],
    [
      { notificationEmails: [], notificationChannelIds: [] },
      'monitoring.notificationEmails is [], monitoring.notificationChannelIds is []',
    ],
  ])('monitoring %j names what was given', (monitoring, value) => {
    const { result, err } = run((a) => new TwentyStack(a, { ...SEVEN_KEYS, monitoring }));
    expect(result.ok).toBe(false);
    expect(problems(err).slice(1, -1)).toEqual(['twenty-prod:', '  environment "prod"', noChannel(value)]);
  });

  test('a refused notificationEmails (a string) is named as refused, not as not set', () => {
    const monitoring = { notificationEmails: 'oncall@acme.example' } as unknown as TwentyStackConfig['monitoring'];
    const { app, result, err } = run((a) => new TwentyStack(a, { ...SEVEN_KEYS, monitoring }));
    expect(result.ok).toBe(false);
    expect(problems(err)).toEqual([
      'Synth failed: 2 problems in 1 stack.',
      'twenty-prod:',
      '  environment "prod"',
      '    - monitoring.notificationEmails is the string "oncall@acme.example"; expected a list',
      noChannel('monitoring.notificationEmails was refused above, monitoring.notificationChannelIds is not set'),
      `No stack was written to ${app.outdir} (earlier output of these stacks was removed); fix the above and synth again.`,
    ]);
  });

  test("the README's Operations section shows this very problem", () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(`\n${noChannel('monitoring is not set; it is on by default in production')}\n`);
  });

  test('app.synth() refuses it too, with the same one problem', () => {
    const app = Testing.app({ stackTraces: false });
    new TwentyStack(app, SEVEN_KEYS);
    expect(() => app.synth()).toThrow(
      `environment "prod": ${noChannel('monitoring is not set; it is on by default in production').slice(6)}`,
    );
  });

  test('with notificationEmails: monitoring is made, every policy notifies the channel', () => {
    const { result, json } = run((a) => new TwentyStack(a, MINIMAL));
    expect(result.ok).toBe(true);
    expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
    const [channel] = Object.keys(json.resource.google_monitoring_notification_channel);
    expect(json.resource.google_monitoring_notification_channel[channel].labels).toEqual({
      email_address: 'oncall@acme.example',
    });
    expect(resourcesOfType(json, 'google_monitoring_uptime_check_config').map((u) => u.http_check.path)).toEqual([
      '/healthz',
    ]);
    const policies = resourcesOfType(json, 'google_monitoring_alert_policy');
    expect(policies).toHaveLength(14);
    for (const p of policies)
      expect(p.notification_channels).toEqual([`\${google_monitoring_notification_channel.${channel}.id}`]);
    expect(Object.keys(json.resource.google_project_service)).toEqual(
      expect.arrayContaining(['api-monitoring', 'api-logging']),
    );
  });

  test('enabled: false synthesizes with its warning and no monitoring', () => {
    const { result, json, err } = run((a) => new TwentyStack(a, { ...SEVEN_KEYS, monitoring: { enabled: false } }));
    expect(result.ok).toBe(true);
    expect(err.slice(0, 4)).toEqual([
      '5 warnings:',
      'twenty-prod:',
      '  environment "prod"',
      '    - monitoring is turned off in a production environment: nobody is told when Twenty is down',
    ]);
    expect(monitoringTypes(json)).toEqual([]);
    expect(Object.keys(json.resource.google_project_service)).not.toContain('api-monitoring');
  });

  test('a plain app.synth() prints the production opt-out warnings too (monitoring, Secret Manager audit logs)', () => {
    const app = Testing.app({ stackTraces: false });
    new TwentyStack(app, { ...SEVEN_KEYS, monitoring: { enabled: false }, secretAccessAuditLogs: false });
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      app.synth();
    } finally {
      spy.mockRestore();
    }
    const printed = lines.join('');
    expect(printed).toContain(
      'Warning: twenty-prod: monitoring is turned off in a production environment: nobody is told when Twenty is down\n',
    );
    expect(printed).toContain('Warning: twenty-prod: secretAccessAuditLogs is false in a production environment: ');
  });

  test('a suppression of PROD-ALERT-CHANNEL on the monitoring construct is honoured and listed', () => {
    const reason = 'alerts are read on the dashboard during the pilot';
    const { result, json, out } = run((a) => {
      const stack = new TwentyStack(a, SEVEN_KEYS);
      Guardrails.suppress(stack.monitoring!, 'PROD-ALERT-CHANNEL', reason);
    });
    expect(result.ok).toBe(true);
    const policies = Object.entries(json.resource.google_monitoring_alert_policy) as [string, Json][];
    expect(policies).toHaveLength(14);
    const listed = out.filter((l) => l.startsWith('    - [PROD-ALERT-CHANNEL]'));
    expect(listed.sort()).toEqual(
      policies
        .map(
          ([name, p]) =>
            `    - [PROD-ALERT-CHANNEL] google_monitoring_alert_policy.${name}: alert policy ${JSON.stringify(p.display_name)} notifies nobody in production (no notification channel); give TwentyMonitoring notificationEmails or notificationChannelIds (monitoring.notificationEmails in the environment config) (suppressed on twenty-prod/monitoring: ${reason})`,
        )
        .sort(),
    );
  });

  test('a suppression on one policy only does not cover the environment: the one problem stands', () => {
    const { result, err } = run((a) => {
      const stack = new TwentyStack(a, SEVEN_KEYS);
      Guardrails.suppress(stack.monitoring!.alerts[0].policy, 'PROD-ALERT-CHANNEL', 'this one is read elsewhere');
    });
    expect(result.ok).toBe(false);
    expect(problems(err).slice(1, -1)).toEqual([
      'twenty-prod:',
      '  environment "prod"',
      noChannel('monitoring is not set; it is on by default in production'),
    ]);
  });
});

describe('escape hatches are still caught on the final JSON', () => {
  const finding = (address: string, name: string) =>
    `    - [PROD-ALERT-CHANNEL] google_monitoring_alert_policy.${address}: alert policy "${name}" notifies nobody in production (no notification channel); give TwentyMonitoring notificationEmails or notificationChannelIds (monitoring.notificationEmails in the environment config). Why: an alert that notifies nobody is found in the console after the users found the outage. To accept it: Guardrails.suppress(construct, 'PROD-ALERT-CHANNEL', 'reason').`;

  test('a policy of a monitoring with a channel, its channels overridden away', () => {
    const { result, err } = run((a) => {
      const stack = new TwentyStack(a, MINIMAL);
      // An override's array is appended to the policy's; undefined removes the argument.
      stack.monitoring!.alerts[0].policy.addOverride('notification_channels', undefined);
    });
    expect(result.ok).toBe(false);
    expect(problems(err).slice(1, -1)).toEqual([
      'twenty-prod:',
      '  TwentyMonitoring twenty-prod/monitoring',
      finding('monitoring_UptimeAlert_9889B4D2', 'Twenty is unreachable'),
    ]);
  });

  test("a policy of the user's own, next to the environment's one problem", () => {
    const { result, err } = run((a) => {
      const stack = new TwentyStack(a, SEVEN_KEYS);
      new MonitoringAlertPolicy(stack, 'mine', {
        displayName: 'mine',
        combiner: 'OR',
        conditions: [{ displayName: 'c', conditionAbsent: { filter: 'metric.type="x"', duration: '300s' } }],
      });
    });
    expect(result.ok).toBe(false);
    expect(problems(err).slice(0, -1)).toEqual([
      'Synth failed: 2 problems in 1 stack.',
      'twenty-prod:',
      '  environment "prod"',
      noChannel('monitoring is not set; it is on by default in production'),
      // Under the environment: a resource made on the stack belongs to it in the report.
      finding('mine', 'mine'),
    ]);
  });
});

describe('outside production', () => {
  test('the seven keys still synthesize, without monitoring', () => {
    const dev: TwentyStackConfig = { ...SEVEN_KEYS, production: false };
    const { result, json, err } = run((a) => new TwentyStack(a, dev));
    expect(result.ok).toBe(true);
    expect(err.filter((l) => /monitoring/.test(l))).toEqual([]);
    expect(monitoringTypes(json)).toEqual([]);
    expect(Object.keys(json.resource.google_project_service)).not.toContain('api-monitoring');
  });
});
