/**
 * Provider facts both the guardrails and the review use, kept once (hashicorp/google and
 * google-beta 6.50.0: these types default `deletion_protection` to true when it is unset). The
 * review and the guardrail kept two lists (the guardrail's lacked the last two); this is the one.
 */
export const DELETION_PROTECTED_BY_DEFAULT: readonly string[] = [
  'google_sql_database_instance',
  'google_cloud_run_v2_service',
  'google_cloud_run_v2_job',
  'google_cloud_run_v2_worker_pool',
  'google_bigquery_table',
  'google_container_cluster',
];
