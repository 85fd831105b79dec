import { getPath, isExpression, shown } from '../../core/json';
import { DELETION_PROTECTED_BY_DEFAULT } from '../../gcp/provider-defaults';
import { GuardrailRule, guardSetBy, SynthesizedResource, userTerm } from '../rule';

export const PROD_DELETION_PROTECTION: GuardrailRule = {
  id: 'PROD-DELETION-PROTECTION',
  rationale:
    'in production one mistaken destroy or replacement must not delete data; both Terraform and the API should refuse',
  severity: 'error',
  outsideProduction: 'off',
  check(resource) {
    const { type, config } = resource;
    const problems: string[] = [];
    const mustBeTrue = (attr: string, why: string) => {
      const v = getPath(config, attr);
      if (
        v === true ||
        (v === undefined && attr === 'deletion_protection' && DELETION_PROTECTED_BY_DEFAULT.includes(type))
      )
        return;
      if (v === undefined && attr === 'deletion_protection') {
        // Absent where the provider default is false: protected only if nothing removed what the library set.
        const setBy = guardSetBy(resource, 'deletion_protection');
        if (setBy)
          problems.push(
            `deletion_protection is missing in production, though ${setBy} sets it: an override or aspect removed it, and ${type} defaults to false (hashicorp/google 6.50.0), so Terraform may destroy it; remove that override or aspect, or set it to true (a literal)`,
          );
        return;
      }
      problems.push(
        `${said(resource, attr, v)} in production, so ${why}; set it to true (a literal: an expression is only as safe as its value at plan time)`,
      );
    };
    // A Cloud Run job holds no data; TwentyBackendService keeps it replaceable so that a failed
    // first run is retried by the next deploy (docs/first-apply.md).
    if (type !== 'google_cloud_run_v2_job') mustBeTrue('deletion_protection', 'Terraform may destroy it');
    const preventSetBy = guardSetBy(resource, 'lifecycle.prevent_destroy');
    const prevent = getPath(config, 'lifecycle.prevent_destroy');
    if (preventSetBy && prevent !== true) {
      const value = isExpression(prevent) ? `an expression, ${JSON.stringify(prevent)}` : shown(prevent);
      problems.push(
        `lifecycle.prevent_destroy is ${value} in production, though ${preventSetBy} sets it to true: an override or aspect changed it, so terraform destroy or a replacement deletes the resource; remove that override or aspect (prevent_destroy must stay a literal true)`,
      );
    }
    if (type === 'google_sql_database_instance') {
      const api = getPath(config, 'settings.deletion_protection_enabled');
      if (api !== true)
        problems.push(
          `${said(resource, 'settings.deletion_protection_enabled', api)} in production, so the API (console, gcloud) can delete the instance; set it to true (a literal)`,
        );
    }
    const force = config.force_destroy;
    if (force !== undefined && force !== false) {
      const term = userTerm(resource, 'force_destroy');
      const flipped = term.startsWith('deletionProtection of ');
      const value = isExpression(force)
        ? `an expression (force_destroy is ${JSON.stringify(force)})`
        : flipped
          ? 'false'
          : shown(force);
      problems.push(
        flipped
          ? `${term} is ${value} in production, so a destroy deletes the bucket with every object (force_destroy is ${shown(force)}); set it to true`
          : `${term} is ${value} in production, so a destroy deletes every object; remove it or set it to false`,
      );
    }
    return problems;
  },
};

/** `deletionProtection of X "id" is false (deletion_protection is false)`, or the binding prop for a user's resource. */
function said(resource: SynthesizedResource, attr: string, value: unknown): string {
  const term = userTerm(resource, attr);
  const shownValue =
    value === undefined ? 'unset' : isExpression(value) ? `an expression, ${JSON.stringify(value)}` : shown(value);
  return term === attr ? `${attr} is ${shownValue}` : `${term} is ${shownValue} (${attr})`;
}
