import { isExpression } from '../../core/json';
import { GuardrailRule } from '../rule';

export const PROD_ALERT_CHANNEL: GuardrailRule = {
  id: 'PROD-ALERT-CHANNEL',
  rationale: 'an alert that notifies nobody is found in the console after the users found the outage',
  severity: 'error',
  outsideProduction: 'off',
  check({ type, config }) {
    if (type !== 'google_monitoring_alert_policy') return [];
    const channels = config.notification_channels;
    if (isExpression(channels) || (Array.isArray(channels) && channels.length > 0)) return [];
    return [
      `alert policy ${JSON.stringify(config.display_name)} notifies nobody in production (no notification channel); give TwentyMonitoring notificationEmails or notificationChannelIds (monitoring.notificationEmails in the environment config)`,
    ];
  },
};
