import { isExpression } from '../../core/json';
import { causeReported, GuardrailRule } from '../rule';

export const PROD_ALERT_CHANNEL: GuardrailRule = {
  id: 'PROD-ALERT-CHANNEL',
  rationale: 'an alert that notifies nobody is found in the console after the users found the outage',
  severity: 'error',
  outsideProduction: 'off',
  check(resource) {
    const { type, config } = resource;
    if (type !== 'google_monitoring_alert_policy') return [];
    const channels = config.notification_channels;
    if (isExpression(channels) || (Array.isArray(channels) && channels.length > 0)) return [];
    // TwentyStack reported the environment's missing channel once, for all its policies.
    if (causeReported(resource, PROD_ALERT_CHANNEL.id)) return [];
    return [
      `alert policy ${JSON.stringify(config.display_name)} notifies nobody in production (no notification channel); give TwentyMonitoring notificationEmails or notificationChannelIds (monitoring.notificationEmails in the environment config)`,
    ];
  },
};
