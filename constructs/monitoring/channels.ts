/** The email notification channels TwentyMonitoring creates. */
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { Construct } from 'constructs';

/** One email channel per address, created in `scope`. */
export function emailChannels(
  scope: Construct,
  project: string,
  prefix: string,
  emails: readonly string[],
): MonitoringNotificationChannel[] {
  // Ids from the address, not its position: reordering the list must not replace channels.
  return emails.map(
    (address) =>
      new MonitoringNotificationChannel(scope, `Email-${address.replace(/[^A-Za-z0-9]/g, '-')}`, {
        project,
        type: 'email',
        displayName: `${prefix} alerts: ${address}`,
        labels: { email_address: address },
      }),
  );
}
