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
  given: TwentyStackConfig = env,
): void {
  if (!env.production) return;
  const checked = env.monitoring;
  const hasChannel = [checked?.notificationEmails, checked?.notificationChannelIds].some(
    (list) => list !== undefined && (isUnresolved(list) || list.length > 0),
  );
  if (hasChannel) return;
  const missing = () => suppressionOf(monitoring, PROD_ALERT_CHANNEL.id, true) === undefined;
  reportCauseOnce(monitoring, PROD_ALERT_CHANNEL.id, missing);
  registerCheck(stack, subject, () =>
    missing() ? [noChannel(checked, given.monitoring, monitoring.alerts.length)] : [],
  );
}

/**
 * What the config gave, in its terms. `checked` lacks what the config check refused (a string
 * for a list): that value was reported above and is named so, not as "not set".
 */
function noChannel(
  checked: TwentyStackConfig['monitoring'],
  raw: TwentyStackConfig['monitoring'] | undefined,
  policies: number,
): string {
  const key = (k: 'notificationEmails' | 'notificationChannelIds') =>
    checked?.[k] === undefined && raw?.[k] !== undefined
      ? `monitoring.${k} was refused above`
      : `monitoring.${k} is ${describe(checked?.[k])}`;
  const value =
    checked === undefined
      ? raw === undefined
        ? 'monitoring is not set; it is on by default in production'
        : 'monitoring was refused above'
      : `${key('notificationEmails')}, ${key('notificationChannelIds')}`;
  return (
    `[${PROD_ALERT_CHANNEL.id}] monitoring has no notification channel in production (${value}), so its ${policies} alert policies would notify nobody; ` +
    `set monitoring.notificationEmails (e.g. monitoring: { notificationEmails: ['oncall@example.com'] }) or monitoring.notificationChannelIds (existing channels, "projects/PROJECT/notificationChannels/ID"), ` +
    'or opt out knowingly with monitoring: { enabled: false }'
  );
}

function describe(list: readonly string[] | undefined): string {
  return list === undefined ? 'not set' : quote(list);
}
