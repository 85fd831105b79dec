/**
 * The predefined roles a `TwentyStack` deploy needs, each with the Terraform resource types it
 * is for. A test synthesizes every example environment and fails when a resource type is not
 * covered here, so a new resource cannot ship without its deployer role.
 *
 * Sources (Google's predefined-role pages, read December 2026):
 * - https://cloud.google.com/iam/docs/understanding-roles (all predefined roles)
 * - https://cloud.google.com/run/docs/reference/iam/roles
 * - https://cloud.google.com/sql/docs/postgres/iam-roles
 * - https://cloud.google.com/secret-manager/docs/access-control
 * - https://cloud.google.com/storage/docs/access-control/iam-roles
 * - https://cloud.google.com/load-balancing/docs/access-control
 * - https://cloud.google.com/artifact-registry/docs/access-control
 * - https://cloud.google.com/monitoring/access-control, https://cloud.google.com/logging/docs/access-control
 * - https://firebase.google.com/docs/projects/iam/roles-predefined-product
 * - https://firebase.google.com/docs/reference/firebase-management/rest/v1beta1/projects/addFirebase
 *   (`firebase.projects.update`, `serviceusage.services.enable`)
 * - https://cloud.google.com/iam/docs/setting-limits-on-granting-roles (`modifiedGrantsByRole`)
 * - Permission lists of single roles, as `gcloud iam roles describe` prints them, from
 *   darkbitio/gcp-iam-role-permissions (a dump of Google's API, not a Google page):
 *   roles/compute.loadBalancerAdmin @ 04eeb30b, roles/compute.securityAdmin @ 08765a9e,
 *   roles/firebasehosting.admin @ 136f1c7b, roles/firebase.developAdmin @ 08765a9e.
 */

/** Which front door a role is for; roles without one are always granted. */
export type DeployerFrontDoor = 'firebase' | 'load-balancer';

export interface DeployerRole {
  /** The predefined role, e.g. `roles/run.admin`. */
  readonly role: string;
  /** Why a deploy needs it, in one line. */
  readonly why: string;
  /** The Terraform resource types the role lets a deploy create, change and delete. */
  readonly resourceTypes: readonly string[];
  /** Granted only when an environment uses this front door. */
  readonly frontDoor?: DeployerFrontDoor;
}

/**
 * Resource types that call no Google API, so no role: Terraform's built-in `terraform_data`
 * (the Upstash URL guard) and, where used, hashicorp/time's `time_sleep`.
 */
export const NO_ROLE_RESOURCE_TYPES: readonly string[] = ['terraform_data', 'time_sleep'];

const CLOUD_RUN = ['google_cloud_run_v2_service', 'google_cloud_run_v2_job', 'google_cloud_run_v2_worker_pool'];

/**
 * Project roles the environment stacks grant to Twenty's runtime service account. The deployer
 * may grant these and no other project role (an IAM condition on its Project IAM Admin role).
 */
export const RUNTIME_PROJECT_ROLES: readonly string[] = [
  'roles/cloudsql.client',
  'roles/logging.logWriter',
  'roles/cloudtrace.agent',
];

export const DEPLOYER_ROLES: readonly DeployerRole[] = [
  {
    role: 'roles/serviceusage.serviceUsageAdmin',
    why: 'enables the APIs an environment uses (serviceusage.services.enable); the stack never disables them',
    resourceTypes: ['google_project_service'],
  },
  {
    role: 'roles/run.admin',
    why: 'creates and updates the server, worker pool and migration job, runs the job when the image changes, and makes the service publicly invokable',
    resourceTypes: CLOUD_RUN,
  },
  {
    role: 'roles/iam.serviceAccountUser',
    why: "Cloud Run resources run as Twenty's own service account; deploying them needs iam.serviceAccounts.actAs on it",
    resourceTypes: CLOUD_RUN,
  },
  {
    role: 'roles/iam.serviceAccountAdmin',
    why: "creates Twenty's runtime service account",
    resourceTypes: ['google_service_account'],
  },
  {
    // "Provides permissions to administer allow policies on projects"
    // (cloud.google.com/resource-manager/docs/access-control-proj). An audit config is part of the
    // project's policy, written with setIamPolicy; the role's permission list itself could not
    // be read here, so `resourcemanager.projects.setIamPolicy` in it is unverified.
    role: 'roles/resourcemanager.projectIamAdmin',
    why: `grants the runtime account its project roles (an IAM condition limits it to ${RUNTIME_PROJECT_ROLES.join(', ')}) and turns on Secret Manager's Data Access audit logs`,
    resourceTypes: ['google_project_iam_member', 'google_project_iam_audit_config'],
  },
  {
    role: 'roles/cloudsql.admin',
    why: 'creates the PostgreSQL instance, its database and its user (with a write-only password)',
    resourceTypes: ['google_sql_database_instance', 'google_sql_database', 'google_sql_user'],
  },
  {
    role: 'roles/secretmanager.admin',
    why: 'creates the secrets, writes their versions write-only, and grants the runtime account access to each secret',
    resourceTypes: [
      'google_secret_manager_secret',
      'google_secret_manager_secret_version',
      'google_secret_manager_secret_iam_member',
    ],
  },
  {
    role: 'roles/storage.admin',
    why: 'creates the uploads bucket and its bucket-level grants (it cannot change project IAM)',
    resourceTypes: ['google_storage_bucket', 'google_storage_bucket_iam_member'],
  },
  {
    role: 'roles/storage.hmacKeyAdmin',
    why: "creates the HMAC key Twenty's S3 driver signs uploads with (storage.hmacKeys.*, which have a role of their own)",
    resourceTypes: ['google_storage_hmac_key'],
  },
  {
    role: 'roles/compute.loadBalancerAdmin',
    // Includes compute.sslPolicies.* (create, update, delete, use), targetHttpsProxies.setSslPolicy,
    // backendServices.setSecurityPolicy and securityPolicies.use (attach a Cloud Armor policy),
    // but not securityPolicies.create.
    why: 'creates the global HTTPS load balancer: address, serverless NEG, backend service (and attaches the Cloud Armor policy), URL maps, proxies, forwarding rules, managed certificate and SSL policy (TLS 1.2+)',
    resourceTypes: [
      'google_compute_global_address',
      'google_compute_region_network_endpoint_group',
      'google_compute_backend_service',
      'google_compute_url_map',
      'google_compute_target_http_proxy',
      'google_compute_target_https_proxy',
      'google_compute_global_forwarding_rule',
      'google_compute_managed_ssl_certificate',
      'google_compute_ssl_policy',
    ],
    frontDoor: 'load-balancer',
  },
  {
    // Cloud Armor: "The following operations require the ... Compute Security Admin role
    // (roles/compute.securityAdmin): Configuring, modifying, updating, and deleting a Cloud Armor
    // security policy" (cloud.google.com/armor/docs/create-security-policies); its list has
    // compute.securityPolicies.create, update, delete, use.
    role: 'roles/compute.securityAdmin',
    why: 'creates the Cloud Armor policy (Load Balancer Admin may attach a policy, not create one)',
    resourceTypes: ['google_compute_security_policy'],
    frontDoor: 'load-balancer',
  },
  {
    role: 'roles/artifactregistry.admin',
    why: 'creates the Artifact Registry remote repository the Twenty image is pulled through',
    resourceTypes: ['google_artifact_registry_repository'],
  },
  {
    role: 'roles/logging.configWriter',
    why: 'creates the log-based metrics the alerts count (logging.logMetrics.*)',
    resourceTypes: ['google_logging_metric'],
  },
  {
    role: 'roles/monitoring.alertPolicyEditor',
    why: 'creates the alert policies',
    resourceTypes: ['google_monitoring_alert_policy'],
  },
  {
    role: 'roles/monitoring.notificationChannelEditor',
    why: 'creates the e-mail notification channels the alerts go to',
    resourceTypes: ['google_monitoring_notification_channel'],
  },
  {
    role: 'roles/monitoring.uptimeCheckConfigEditor',
    why: 'creates the uptime check of the public URL',
    resourceTypes: ['google_monitoring_uptime_check_config'],
  },
  {
    role: 'roles/monitoring.dashboardEditor',
    why: 'creates the dashboard',
    resourceTypes: ['google_monitoring_dashboard'],
  },
  {
    // projects.addFirebase needs firebase.projects.update. Of the narrower roles checked, Firebase
    // Develop Admin lacks it and Hosting Admin has only firebase.projects.get; others not checked.
    role: 'roles/firebase.admin',
    why: 'adds Firebase to the project (projects.addFirebase needs firebase.projects.update); skip it when the project already is a Firebase project',
    resourceTypes: ['google_firebase_project'],
    frontDoor: 'firebase',
  },
  {
    // Its only writes are firebasehosting.sites.{create,update,delete}; versions, releases and
    // custom domains are a site's sub-resources (which permission each call checks was not read).
    role: 'roles/firebasehosting.admin',
    why: 'creates the Hosting site, its versions and releases, and the custom domain',
    resourceTypes: [
      'google_firebase_hosting_site',
      'google_firebase_hosting_version',
      'google_firebase_hosting_release',
      'google_firebase_hosting_custom_domain',
    ],
    frontDoor: 'firebase',
  },
];

/** The roles for the given front doors, each once, in catalogue order. */
export function deployerRoles(frontDoors: readonly DeployerFrontDoor[]): DeployerRole[] {
  return DEPLOYER_ROLES.filter((r) => !r.frontDoor || frontDoors.includes(r.frontDoor));
}

/** The role's row in the README's deployer roles table (a test keeps the two equal). */
export function deployerRoleRow(r: DeployerRole): string {
  const door = r.frontDoor ? ` (${r.frontDoor} front door only)` : '';
  return `| \`${r.role}\` | ${r.why}${door} | ${r.resourceTypes.map((t) => `\`${t}\``).join(', ')} |`;
}
