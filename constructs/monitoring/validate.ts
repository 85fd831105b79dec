/** TwentyMonitoring's input checks; every problem is collected (Problems), none thrown. */
import { Problems, quote } from '../core/validation';
import { BILLING_ACCOUNT, CHANNEL_ID, EMAIL, TWENTY_HEALTH_INDICATORS, TwentyMonitoringProps } from './props';

/** Checks the props; returns the public URL's host when it is a valid https URL. */
export function checkMonitoringProps(
  problems: Problems,
  props: TwentyMonitoringProps,
  c: {
    readonly emails: readonly string[];
    readonly channelIds: readonly string[];
    readonly timeoutMs: number;
    readonly prefix: string;
  },
): string | undefined {
  const { emails, channelIds, timeoutMs, prefix } = c;
  let host: string | undefined;
  problems.whenKnown(props.publicUrl, (u) => {
    try {
      const url = new URL(u);
      if (url.protocol !== 'https:')
        return `publicUrl ${quote(u)} must use https; the uptime check requests it through the front door`;
      host = url.hostname;
      return undefined;
    } catch {
      return `publicUrl ${quote(u)} is not a URL; give the URL users open, e.g. "https://crm.example.com"`;
    }
  });
  for (const e of emails)
    problems.whenKnown(e, (v) =>
      EMAIL.test(v) ? undefined : `notificationEmails entry ${quote(v)} is not an email address`,
    );
  if (emails.length !== (props.notificationEmails ?? []).length)
    problems.add('notificationEmails lists an address twice; give each once');
  for (const c of channelIds) {
    problems.whenKnown(c, (v) =>
      CHANNEL_ID.test(v)
        ? undefined
        : `notificationChannelIds entry ${quote(v)} is not a channel name; use "projects/PROJECT/notificationChannels/ID"`,
    );
  }
  for (const i of props.healthIndicators ?? []) {
    if (!TWENTY_HEALTH_INDICATORS.includes(i))
      problems.add(`healthIndicators entry ${quote(i)} is unknown; allowed: ${TWENTY_HEALTH_INDICATORS.join(', ')}`);
  }
  const fraction = (name: string, v: number | undefined) =>
    problems.whenKnown(v, (n) =>
      n > 0 && n < 1 ? undefined : `${name} ${n} must be a fraction between 0 and 1, e.g. 0.05 for 5%`,
    );
  fraction('serverErrorRatio', props.serverErrorRatio);
  fraction('connectionsRatio', props.connectionsRatio);
  problems.whenKnown(props.latencyP95Ms, (n) =>
    Number.isInteger(n) && n >= 1 && n < timeoutMs
      ? undefined
      : `latencyP95Ms ${n} must be a whole number of milliseconds below the request timeout (${timeoutMs} ms)`,
  );
  problems.whenKnown(props.workerErrorsPer10Minutes, (n) =>
    Number.isInteger(n) && n >= 1 ? undefined : `workerErrorsPer10Minutes ${n} must be a whole number, 1 or more`,
  );
  problems.whenKnown(props.logMetricPropagationSeconds, (n) =>
    Number.isInteger(n) && n >= 0 && n <= 1800
      ? undefined
      : `logMetricPropagationSeconds ${n} must be a whole number from 0 to 1800`,
  );
  problems.whenKnown(prefix, (p) =>
    /^[a-z][a-z0-9-]{0,62}$/.test(p)
      ? undefined
      : `namePrefix ${quote(p)} is invalid; use lowercase letters, digits and hyphens, starting with a letter`,
  );
  const budget = props.billingBudget;
  if (budget) {
    problems.whenKnown(budget.billingAccountId, (a) =>
      BILLING_ACCOUNT.test(a)
        ? undefined
        : `billingBudget.billingAccountId ${quote(a)} is invalid; expected "XXXXXX-XXXXXX-XXXXXX" (digits and A-F)`,
    );
    problems.whenKnown(budget.monthlyAmount, (n) =>
      Number.isInteger(n) && n >= 1 ? undefined : `billingBudget.monthlyAmount ${n} must be a whole number, 1 or more`,
    );
    problems.whenKnown(budget.currency, (c) =>
      /^[A-Z]{3}$/.test(c) ? undefined : `billingBudget.currency ${quote(c)} must be an ISO 4217 code such as "USD"`,
    );
    for (const t of budget.thresholds ?? [])
      problems.whenKnown(t, (n) =>
        n > 0 && n <= 10
          ? undefined
          : `billingBudget.thresholds entry ${n} must be a fraction of the amount, above 0 (1.0 = 100%)`,
      );
    if (emails.length + channelIds.length > 5)
      problems.add(`a billing budget notifies at most 5 channels; ${emails.length + channelIds.length} are given`);
  }
  return host;
}

/**
 * Why `healthIndicators` may fail on the pinned release, or undefined when none are asked for.
 * Which releases carry Twenty's HealthzSecretGuard is not established from stored sources
 * (twenty-observability.json, health.versions), so every version is warned about.
 */
export function healthIndicatorsWarning(
  indicators: readonly string[] | undefined,
  twentyVersion: string,
): string | undefined {
  if (!indicators || indicators.length === 0) return undefined;
  return (
    `healthIndicators (${indicators.join(', ')}) may not answer on Twenty ${twentyVersion}: /healthz/:indicatorId is public ` +
    'at twentyhq/twenty 44697aa8 (v1.14 development) and requires an X-Healthz-Secret header equal to HEALTHZ_SECRET ' +
    'at 1501b7ec; which releases carry that guard is unverified, and this library sets no HEALTHZ_SECRET, so there ' +
    `the check gets 500 and its alert fires. Request <publicUrl>/healthz/${indicators[0]} once after deploying; if it ` +
    'is refused, remove healthIndicators'
  );
}
