/** A production environment's monitoring must notify someone: one problem per environment. */
import { TerraformStack } from 'cdktf';
import { PROD_ALERT_CHANNEL } from '../guardrails/rules/prod-alert-channel';
import { suppressionOf } from '../guardrails/guardrails';
import { reportCauseOnce } from '../guardrails/rule';
import { isUnresolved, quote, registerCheck } from '../core/validation';
import type { TwentyMonitoring } from '../monitoring/twenty-monitoring';
import type { TwentyStackConfig } from './config';

/**
 * In production, monitoring without a notification channel is one problem of the environment,
 * in the config's terms, instead of one PROD-ALERT-CHANNEL finding per alert policy: the
 * guardrail skips the policies of `monitoring` while this problem stands. It is checked at
 * synth, so that a suppression of PROD-ALERT-CHANNEL on the monitoring construct (made after
 * the stack) is seen: then the guardrail's findings are made, suppressed and listed as usual.
 */
export function requireAlertChannel(
  stack: TerraformStack,
  subject: string,
  env: TwentyStackConfig,
  monitoring: TwentyMonitoring,
): void {
  if (!env.production) return;
  const given = env.monitoring;
  const hasChannel = [given?.notificationEmails, given?.notificationChannelIds].some(
    (list) => list !== undefined && (isUnresolved(list) || list.length > 0),
  );
  if (hasChannel) return;
  const missing = () => suppressionOf(monitoring, PROD_ALERT_CHANNEL.id, true) === undefined;
  reportCauseOnce(monitoring, PROD_ALERT_CHANNEL.id, missing);
  registerCheck(stack, subject, () => (missing() ? [noChannel(given, monitoring.alerts.length)] : []));
}

function noChannel(given: TwentyStackConfig['monitoring'], policies: number): string {
  const value =
    given === undefined
      ? 'monitoring is not set; it is on by default in production'
      : `monitoring.notificationEmails is ${describe(given.notificationEmails)}, monitoring.notificationChannelIds is ${describe(given.notificationChannelIds)}`;
  return (
    `[${PROD_ALERT_CHANNEL.id}] monitoring has no notification channel in production (${value}), so its ${policies} alert policies would notify nobody; ` +
    `set monitoring.notificationEmails (e.g. monitoring: { notificationEmails: ['oncall@example.com'] }) or monitoring.notificationChannelIds (existing channels, "projects/PROJECT/notificationChannels/ID"), ` +
    'or opt out knowingly with monitoring: { enabled: false }'
  );
}

function describe(list: readonly string[] | undefined): string {
  return list === undefined ? 'not set' : quote(list);
}
