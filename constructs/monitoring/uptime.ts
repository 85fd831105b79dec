/** The HTTPS uptime checks TwentyMonitoring creates. */
import { MonitoringUptimeCheckConfig } from '@cdktf/provider-google/lib/monitoring-uptime-check-config';
import { Construct } from 'constructs';
import { RESOURCE } from './catalogue';

/** A GET of `https://<host><path>` every minute that expects 200. */
export function uptimeCheck(
  scope: Construct,
  cid: string,
  displayName: string,
  project: string,
  host: string,
  path: string,
): MonitoringUptimeCheckConfig {
  return new MonitoringUptimeCheckConfig(scope, cid, {
    project,
    displayName,
    period: '60s',
    timeout: '10s',
    monitoredResource: { type: RESOURCE.uptime, labels: { project_id: project, host } },
    httpCheck: {
      path,
      port: 443,
      useSsl: true,
      validateSsl: true,
      requestMethod: 'GET',
      acceptedResponseStatusCodes: [{ statusValue: 200 }],
    },
  });
}
