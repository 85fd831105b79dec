import { getPath, isExpression, shown } from '../../internal/json';
import { GuardrailRule } from '../rule';

export const PROD_DELETION_PROTECTION: GuardrailRule = {
  id: 'PROD-DELETION-PROTECTION',
  rationale: 'in production one mistaken destroy or replacement must not delete data; both Terraform and the API should refuse',
  severity: 'error',
  outsideProduction: 'off',
  check({ type, config }) {
    const problems: string[] = [];
    // A Cloud Run job holds no data; TwentyBackendService keeps it replaceable so that a failed
    // first run is retried by the next deploy (docs/first-apply.md).
    if (config.deletion_protection === false && type !== 'google_cloud_run_v2_job') {
      problems.push('deletion_protection is false in production; set it to true');
    }
    if (config.force_destroy === true) problems.push('force_destroy is true in production (destroy deletes every object); remove it');
    if (type === 'google_sql_database_instance') {
      const api = getPath(config, 'settings.deletion_protection_enabled');
      if (api !== true && !isExpression(api)) {
        problems.push(`settings.deletion_protection_enabled is ${shown(api)} in production, so the API (console, gcloud) can delete the instance; set it to true`);
      }
    }
    return problems;
  },
};
