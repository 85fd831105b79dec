import { getPath, isExpression } from '../../core/json';
import { GuardrailRule } from '../rule';

/** Where each serverless type names its identity. */
export const SERVICE_ACCOUNT_PATHS: Readonly<Record<string, string>> = {
  google_cloud_run_v2_service: 'template.service_account',
  google_cloud_run_v2_job: 'template.template.service_account',
  google_cloud_run_v2_worker_pool: 'template.service_account',
  google_cloud_run_service: 'template.spec.service_account_name',
  google_cloudfunctions2_function: 'service_config.service_account_email',
};

const DEFAULT_COMPUTE = /^\d+-compute@developer\.gserviceaccount\.com$/;

export const RUN_DEFAULT_SERVICE_ACCOUNT: GuardrailRule = {
  id: 'RUN-DEFAULT-SA',
  rationale:
    'without its own service account a Cloud Run workload runs as the Compute Engine default account, which holds roles/editor on the project',
  severity: 'error',
  outsideProduction: 'error',
  check({ type, config }) {
    const path = SERVICE_ACCOUNT_PATHS[type];
    if (!path) return [];
    const account = getPath(config, path);
    if (isExpression(account)) return [];
    if (account === undefined)
      return [`${path} is unset, so it runs as the Compute Engine default service account; give it a dedicated one`];
    if (typeof account === 'string' && DEFAULT_COMPUTE.test(account)) {
      return [`${path} is the Compute Engine default service account "${account}"; give it a dedicated one`];
    }
    return [];
  },
};
