import { ProjectIamAuditConfig } from '@cdktf/provider-google/lib/project-iam-audit-config';
import { Construct } from 'constructs';

export interface SecretAccessAuditLogsProps {
  readonly project: string;
  /**
   * Log types to turn on for Secret Manager. `DATA_READ` records every secret read
   * (`AccessSecretVersion`), `ADMIN_READ` every metadata read (get, list).
   * @default ['ADMIN_READ', 'DATA_READ']
   */
  readonly logTypes?: readonly ('ADMIN_READ' | 'DATA_READ' | 'DATA_WRITE')[];
}

/**
 * Data Access audit logs for Secret Manager: who read which secret, when. Admin Activity logs
 * (writes) are always on; reads are off by default in Google Cloud.
 *
 * Project-wide: `google_project_iam_audit_config` is authoritative for
 * `secretmanager.googleapis.com` only (other services' audit configs are untouched), so it
 * replaces any audit config for Secret Manager set outside this stack, and it covers every
 * secret of the project, not only Twenty's. Data Access logs are billed as Cloud Logging ingestion.
 */
export class SecretAccessAuditLogs extends Construct {
  public readonly auditConfig: ProjectIamAuditConfig;

  constructor(scope: Construct, id: string, props: SecretAccessAuditLogsProps) {
    super(scope, id);
    this.auditConfig = new ProjectIamAuditConfig(this, 'AuditConfig', {
      project: props.project,
      service: 'secretmanager.googleapis.com',
      auditLogConfig: (props.logTypes ?? ['ADMIN_READ', 'DATA_READ']).map((logType) => ({ logType })),
    });
  }
}
