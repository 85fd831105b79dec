/**
 * What a destroy or a replacement loses, per resource type, and which arguments force a
 * replacement: one catalogue for the review and the stability test.
 *
 * `forceNew` lists the schema arguments marked `ForceNew: true` (a nested path when only a
 * field inside a block is; the block alone when the whole block is) in the provider source at
 * tag v6.50.0 of hashicorp/terraform-provider-google (commit 956f510990a78614a06730c34e93779171c5e8f7)
 * or, for beta-only types, hashicorp/terraform-provider-google-beta (commit
 * b55e5c22cafa2aeec778fdd8c3bda7532bf43ac0), file `source.file`. IAM members: the generic
 * member schema (google/tpgiamresource/resource_iam_member.go) plus their parent's. `forceNewWhen`
 * records the CustomizeDiff rules that replace only under a condition. `time_sleep`:
 * hashicorp/terraform-provider-time v0.13.1 (commit aeccb44b5627498df071790595c925cff35469d1,
 * the version @cdktf/provider-time 11.0.1 binds), attributes with `RequiresReplace()`. How they were read:
 * docs/review.md.
 */

import { NOT_GOOGLE_OR_NOT_EMITTED } from './catalogue-more';

export const PROVIDER_TAG = 'v6.50.0';

export interface CatalogueEntry {
  /** What a destroy or a replacement loses; absent for types whose replacement loses nothing that cannot be recreated. */
  readonly loses?: string;
  /** The argument that names the resource: equal at two addresses means one resource renamed ('' = the whole config). */
  readonly identity?: string;
  /** Arguments whose change makes Terraform replace the resource (provider v6.50.0). */
  readonly forceNew?: readonly string[];
  /** Arguments that force replacement only in some cases (CustomizeDiff). */
  readonly forceNewWhen?: readonly string[];
  /** Where the facts were read (at PROVIDER_TAG unless `tag` says otherwise). */
  readonly source?: {
    readonly provider: 'google' | 'google-beta' | 'time' | 'terraform';
    readonly file: string;
    readonly tag?: string;
  };
}

export const CATALOGUE: Readonly<Record<string, CatalogueEntry>> = {
  google_billing_budget: {
    forceNew: ['billing_account'],
    source: { provider: 'google', file: 'google/services/billing/resource_billing_budget.go' },
  },
  google_cloud_run_v2_job: {
    forceNew: ['location', 'name', 'project'],
    source: { provider: 'google-beta', file: 'google-beta/services/cloudrunv2/resource_cloud_run_v2_job.go' },
  },
  google_cloud_run_v2_service: {
    loses: 'the service and its revisions: requests fail from its destroy until the new service serves',
    identity: 'name',
    forceNew: ['location', 'name', 'project'],
    source: { provider: 'google', file: 'google/services/cloudrunv2/resource_cloud_run_v2_service.go' },
  },
  google_cloud_run_v2_worker_pool: {
    loses: 'the worker pool: background jobs wait from its destroy until the new pool runs',
    identity: 'name',
    forceNew: ['location', 'name', 'project'],
    source: { provider: 'google', file: 'google/services/cloudrunv2/resource_cloud_run_v2_worker_pool.go' },
  },
  google_compute_backend_service: {
    forceNew: ['name', 'project'],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_backend_service.go' },
  },
  google_compute_global_address: {
    loses:
      "the load balancer's reserved IP: it is released, and the DNS A record points at an address that is no longer yours until it is changed",
    identity: 'name',
    forceNew: [
      'address',
      'address_type',
      'description',
      'ip_version',
      'name',
      'network',
      'prefix_length',
      'project',
      'purpose',
    ],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_global_address.go' },
  },
  google_compute_global_forwarding_rule: {
    forceNew: [
      'description',
      'ip_address',
      'ip_protocol',
      'ip_version',
      'metadata_filters',
      'name',
      'network',
      'network_tier',
      'no_automate_dns_zone',
      'port_range',
      'project',
      'service_directory_registrations',
      'source_ip_ranges',
      'subnetwork',
    ],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_global_forwarding_rule.go' },
  },
  google_compute_managed_ssl_certificate: {
    loses:
      'the managed certificate: a new one is issued only after DNS resolves to the load balancer, and HTTPS fails until it is ACTIVE',
    identity: 'name',
    forceNew: ['description', 'managed', 'name', 'project', 'type'],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_managed_ssl_certificate.go' },
  },
  google_compute_region_network_endpoint_group: {
    forceNew: [
      'app_engine',
      'cloud_function',
      'cloud_run',
      'description',
      'name',
      'network',
      'network_endpoint_type',
      'project',
      'psc_data',
      'psc_target_service',
      'region',
      'subnetwork',
    ],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_region_network_endpoint_group.go' },
  },
  google_compute_target_http_proxy: {
    forceNew: ['description', 'http_keep_alive_timeout_sec', 'name', 'project', 'proxy_bind'],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_target_http_proxy.go' },
  },
  google_compute_target_https_proxy: {
    forceNew: ['description', 'http_keep_alive_timeout_sec', 'name', 'project', 'proxy_bind', 'tls_early_data'],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_target_https_proxy.go' },
  },
  google_compute_url_map: {
    forceNew: ['name', 'project'],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_url_map.go' },
  },
  google_firebase_hosting_custom_domain: {
    loses: "the custom domain's verification and certificate; DNS must be verified again",
    identity: 'custom_domain',
    forceNew: ['custom_domain', 'project', 'site_id', 'wait_dns_verification'],
    source: {
      provider: 'google-beta',
      file: 'google-beta/services/firebasehosting/resource_firebase_hosting_custom_domain.go',
    },
  },
  google_firebase_hosting_release: {
    forceNew: ['channel_id', 'message', 'site_id', 'type', 'version_name'],
    source: {
      provider: 'google-beta',
      file: 'google-beta/services/firebasehosting/resource_firebase_hosting_release.go',
    },
  },
  google_firebase_hosting_site: {
    loses: 'the Hosting site and its <siteId>.web.app host name',
    identity: 'site_id',
    forceNew: ['project', 'site_id'],
    source: { provider: 'google-beta', file: 'google-beta/services/firebasehosting/resource_firebase_hosting_site.go' },
  },
  google_firebase_hosting_version: {
    forceNew: ['config', 'site_id'],
    source: {
      provider: 'google-beta',
      file: 'google-beta/services/firebasehosting/resource_firebase_hosting_version.go',
    },
  },
  google_firebase_project: {
    forceNew: ['project'],
    source: { provider: 'google-beta', file: 'google-beta/services/firebase/resource_firebase_project.go' },
  },
  google_iam_workload_identity_pool: {
    loses:
      "the workload identity pool CI signs in through: it is soft-deleted, no token is exchanged through it (the deploy workflow's federation fails), and its id cannot be reused for about 30 days unless the pool is undeleted",
    identity: 'workload_identity_pool_id',
    forceNew: ['project', 'workload_identity_pool_id'],
    source: { provider: 'google', file: 'google/services/iambeta/resource_iam_workload_identity_pool.go' },
  },
  google_iam_workload_identity_pool_provider: {
    loses:
      "the pool's GitHub provider: it is soft-deleted, the deploy workflow's federation fails, and its id cannot be reused for about 30 days unless the provider is undeleted",
    identity: 'workload_identity_pool_provider_id',
    forceNew: ['project', 'workload_identity_pool_id', 'workload_identity_pool_provider_id'],
    source: { provider: 'google', file: 'google/services/iambeta/resource_iam_workload_identity_pool_provider.go' },
  },
  google_project_iam_member: {
    forceNew: ['condition', 'member', 'project', 'role'],
    source: {
      provider: 'google',
      file: 'google/tpgiamresource/resource_iam_member.go + google/services/resourcemanager/iam_project.go',
    },
  },
  google_project_service: {
    forceNew: ['project', 'service'],
    source: { provider: 'google', file: 'google/services/resourcemanager/resource_google_project_service.go' },
  },
  google_secret_manager_secret: {
    loses:
      'the secret and all its versions (a lost ENCRYPTION_KEY or APP_SECRET makes stored credentials and tokens unreadable)',
    identity: 'secret_id',
    forceNew: ['project', 'replication', 'secret_id', 'tags'],
    forceNewWhen: ['replication.auto / replication.automatic (CustomizeDiff diff.ForceNew when switching)'],
    source: { provider: 'google', file: 'google/services/secretmanager/resource_secret_manager_secret.go' },
  },
  google_secret_manager_secret_iam_member: {
    forceNew: ['condition', 'member', 'project', 'role', 'secret_id'],
    source: {
      provider: 'google',
      file: 'google/tpgiamresource/resource_iam_member.go + google/services/secretmanager/iam_secret_manager_secret.go',
    },
  },
  google_secret_manager_secret_version: {
    loses:
      'the secret value: a write-only value is not in state, so a new version holds a new value (for ENCRYPTION_KEY: what the old key encrypted can no longer be read)',
    identity: '',
    forceNew: ['is_secret_data_base64', 'secret', 'secret_data', 'secret_data_wo_version'],
    source: { provider: 'google', file: 'google/services/secretmanager/resource_secret_manager_secret_version.go' },
  },
  google_service_account: {
    loses:
      "the service account's identity: a new account is a new principal, so its keys, HMAC keys and every grant to it are made again",
    identity: 'account_id',
    forceNew: ['account_id', 'project'],
    source: { provider: 'google', file: 'google/services/resourcemanager/resource_google_service_account.go' },
  },
  google_service_account_iam_member: {
    forceNew: ['condition', 'member', 'role', 'service_account_id'],
    source: {
      provider: 'google',
      file: 'google/tpgiamresource/resource_iam_member.go + google/services/resourcemanager/iam_service_account.go',
    },
  },
  google_service_account_key: {
    loses: 'the key: whoever holds the old private key is locked out',
    identity: '',
    forceNew: [
      'keepers',
      'key_algorithm',
      'name',
      'private_key_type',
      'public_key',
      'public_key_data',
      'public_key_type',
      'service_account_id',
    ],
    source: { provider: 'google', file: 'google/services/resourcemanager/resource_google_service_account_key.go' },
  },
  google_sql_database: {
    loses: "the database (Twenty's data)",
    identity: 'name',
    forceNew: ['instance', 'name', 'project'],
    source: { provider: 'google', file: 'google/services/sql/resource_sql_database.go' },
  },
  google_sql_database_instance: {
    loses: 'the Cloud SQL instance with ALL its data, and its automated backups unless they are retained on delete',
    identity: 'name',
    forceNew: [
      'encryption_key_name',
      'name',
      'project',
      'region',
      'replica_configuration.ca_certificate',
      'replica_configuration.client_certificate',
      'replica_configuration.client_key',
      'replica_configuration.connect_retry_interval',
      'replica_configuration.dump_file_path',
      'replica_configuration.failover_target',
      'replica_configuration.master_heartbeat_period',
      'replica_configuration.password',
      'replica_configuration.ssl_cipher',
      'replica_configuration.username',
      'replica_configuration.verify_server_certificate',
      'settings.collation',
      'settings.disk_type',
    ],
    forceNewWhen: [
      'master_instance_name (CustomizeDiff ForceNewIf, except on a switchover)',
      'replica_configuration.cascadable_replica (CustomizeDiff ForceNewIf)',
      'settings.disk_size (CustomizeDiff ForceNewIfChange: only a shrink)',
      'settings.ip_configuration.private_network (d.ForceNew when it is removed)',
    ],
    source: { provider: 'google', file: 'google/services/sql/resource_sql_database_instance.go' },
  },
  google_sql_user: {
    loses: 'the database user; a new one gets a new password',
    identity: 'name',
    forceNew: ['host', 'instance', 'name', 'project', 'type'],
    source: { provider: 'google', file: 'google/services/sql/resource_sql_user.go' },
  },
  google_storage_bucket: {
    loses: 'the bucket and every uploaded file',
    identity: 'name',
    forceNew: [
      'custom_placement_config.data_locations',
      'enable_object_retention',
      'hierarchical_namespace',
      'location',
      'name',
      'project',
    ],
    forceNewWhen: ['retention_policy.is_locked (CustomizeDiff ForceNewIfChange: unlocking a locked policy)'],
    source: { provider: 'google', file: 'google/services/storage/resource_storage_bucket.go' },
  },
  google_storage_bucket_iam_member: {
    forceNew: ['bucket', 'condition', 'member', 'role'],
    source: {
      provider: 'google',
      file: 'google/tpgiamresource/resource_iam_member.go + google/services/storage/iam_storage_bucket.go',
    },
  },
  google_storage_hmac_key: {
    loses: 'the HMAC key Twenty reads files with (a new key gets a new secret)',
    identity: 'service_account_email',
    forceNew: ['project', 'service_account_email'],
    source: { provider: 'google', file: 'google/services/storage/resource_storage_hmac_key.go' },
  },
  google_artifact_registry_repository: {
    forceNew: [
      'format',
      'kms_key_name',
      'location',
      'maven_config.allow_snapshot_overwrites',
      'maven_config.version_policy',
      'mode',
      'project',
      'remote_repository_config',
      'repository_id',
    ],
    source: { provider: 'google', file: 'google/services/artifactregistry/resource_artifact_registry_repository.go' },
  },
  google_compute_security_policy: {
    forceNew: ['name', 'project', 'type'],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_security_policy.go' },
  },
  google_compute_ssl_policy: {
    forceNew: ['description', 'name', 'project'],
    source: { provider: 'google', file: 'google/services/compute/resource_compute_ssl_policy.go' },
  },
  google_logging_metric: {
    forceNew: ['metric_descriptor.labels.key', 'metric_descriptor.labels.value_type', 'project'],
    source: { provider: 'google', file: 'google/services/logging/resource_logging_metric.go' },
  },
  google_monitoring_alert_policy: {
    forceNew: ['project'],
    source: { provider: 'google', file: 'google/services/monitoring/resource_monitoring_alert_policy.go' },
  },
  google_monitoring_dashboard: {
    forceNew: ['project'],
    source: { provider: 'google', file: 'google/services/monitoring/resource_monitoring_dashboard.go' },
  },
  google_monitoring_notification_channel: {
    forceNew: ['project'],
    source: { provider: 'google', file: 'google/services/monitoring/resource_monitoring_notification_channel.go' },
  },
  google_monitoring_uptime_check_config: {
    forceNew: [
      'checker_type',
      'http_check.auth_info.password_wo_version',
      'http_check.request_method',
      'monitored_resource',
      'project',
      'resource_group',
      'synthetic_monitor',
    ],
    source: { provider: 'google', file: 'google/services/monitoring/resource_monitoring_uptime_check_config.go' },
  },
  google_project_iam_audit_config: {
    forceNew: ['project'],
    source: {
      provider: 'google',
      file: 'google/tpgiamresource/resource_iam_audit_config.go + google/services/resourcemanager/iam_project.go',
    },
  },
  ...NOT_GOOGLE_OR_NOT_EMITTED,
};

/** Types whose destruction loses data, keys or an identity that cannot be recreated. */
export const STATEFUL_TYPES: readonly string[] = Object.keys(CATALOGUE).filter((t) => CATALOGUE[t].loses);

/** What destroying or replacing a resource of `type` loses, or undefined. */
export function lossOf(type: string): string | undefined {
  return CATALOGUE[type]?.loses;
}
