/** CloudSqlSocketDatabase's props and the constants they name. */
import type { SqlEdition } from './sql-tiers';

export const CLOUDSQL_CLIENT_ROLE = 'roles/cloudsql.client';
export const SUPPORTED_POSTGRES_VERSIONS = [12, 13, 14, 15, 16, 17] as const;
/** pgAudit for DDL and role changes (cloud.google.com/sql/docs/postgres/pg-audit). */
export const PGAUDIT_FLAGS = [
  { name: 'cloudsql.enable_pgaudit', value: 'on' },
  { name: 'pgaudit.log', value: 'ddl,role' },
] as const;

export interface CloudSqlSocketDatabaseProps {
  /**
   * Cloud SQL instance name. Lowercase letters, digits and hyphens, starting with a letter.
   * Changing it replaces the instance (and its data).
   */
  readonly instanceName: string;
  /**
   * Twenty release the database serves, e.g. `v2.45.0`; decides the oldest PostgreSQL allowed
   * and the URL scheme.
   */
  readonly twentyVersion: string;
  /**
   * Project id.
   * @default the stack's `google` provider project
   */
  readonly project?: string;
  /**
   * Region of the instance; must equal the environment's region.
   * @default the stack's `google` provider region
   */
  readonly region?: string;
  /**
   * PostgreSQL major version.
   * @default 16
   */
  readonly postgresVersion?: number;
  /**
   * Cloud SQL edition. `ENTERPRISE_PLUS` takes only `db-perf-optimized-N-*` tiers.
   * @default 'ENTERPRISE'
   */
  readonly edition?: SqlEdition;
  /**
   * Machine tier.
   * @default 'db-custom-1-3840'
   */
  readonly tier?: string;
  /**
   * REGIONAL (high availability) instead of ZONAL.
   * @default false
   */
  readonly highAvailability?: boolean;
  /**
   * Both guards: Terraform's `deletion_protection` and the API's `deletion_protection_enabled`.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Query insights.
   * @default true
   */
  readonly queryInsights?: boolean;
  /**
   * Initial disk size in GB (auto-resizes).
   * @default 10
   */
  readonly diskSizeGb?: number;
  /**
   * Number of daily backups kept.
   * @default 14
   */
  readonly retainedBackups?: number;
  /**
   * Days of write-ahead log kept for point-in-time recovery (1-7 on ENTERPRISE).
   * @default 7
   */
  readonly pitrDays?: number;
  /**
   * Explicit `max_connections` database flag.
   * @default the Cloud SQL default for the tier's memory
   */
  readonly maxConnections?: number;
  /**
   * `connector_enforcement = REQUIRED`: only the Cloud SQL Auth Proxy and connectors may
   * connect (Google's MySQL and SQL Server Auth Proxy pages name Cloud Run's built-in connection
   * as the Auth Proxy; the PostgreSQL page was not readable here: docs/hardening.md); direct TCP
   * is refused even with the password. Turn off only to connect with a plain client (e.g. over private IP).
   * @default true
   */
  readonly requireConnectors?: boolean;
  /**
   * pgAudit logging of DDL and role changes (`cloudsql.enable_pgaudit=on`,
   * `pgaudit.log=ddl,role`) to Cloud Logging. Setting it the first time restarts the instance.
   * @default true
   */
  readonly auditDdl?: boolean;
  /**
   * Keep automated backups after the instance is deleted (`retain_backups_on_delete`), so a
   * deleted instance can still be restored.
   * @default true
   */
  readonly retainBackupsOnDelete?: boolean;
  /**
   * Limit each `roles/cloudsql.client` grant (see `attach`) to this instance with an IAM
   * condition on `resource.name`, instead of every instance of the project.
   * @default true
   */
  readonly limitClientToInstance?: boolean;
  /**
   * Database name.
   * @default 'twenty'
   */
  readonly databaseName?: string;
  /**
   * Database user name.
   * @default 'twenty'
   */
  readonly userName?: string;
  /**
   * Bump to rotate the generated password. It is the URL secret version's
   * `secret_data_wo_version`; the user's `password_wo_version` follows that version, so user
   * and URL change in the same apply, from the same ephemeral value (docs/password-rotation.md).
   * @default 1
   */
  readonly passwordVersion?: number;
  /**
   * Secret Manager id of the `PG_DATABASE_URL` secret.
   * @default `${instanceName}-pg-database-url`
   */
  readonly urlSecretId?: string;
  /**
   * Labels on the instance and the secret.
   * @default none
   */
  readonly labels?: Record<string, string>;
}

/** The `/cloudsql` volume and its mount, for a Cloud Run service, job or worker pool. */
export interface CloudSqlMount {
  /** For `template.volumes`. */
  readonly volume: { name: string; cloudSqlInstance: { instances: string[] } };
  /** For `containers[].volume_mounts`. */
  readonly volumeMount: { name: string; mountPath: string };
}
