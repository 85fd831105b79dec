import { isExpression } from '../../core/json';
import { GuardrailRule } from '../rule';

export const API_DISABLE_ON_DESTROY: GuardrailRule = {
  id: 'API-DISABLE-ON-DESTROY',
  rationale:
    'disabling an API on destroy breaks everything else in the project that uses it; provider 6.x does so unless told not to',
  severity: 'error',
  outsideProduction: 'warning',
  check({ type, config }) {
    if (type !== 'google_project_service') return [];
    const v = config.disable_on_destroy;
    if (v === false || isExpression(v)) return [];
    return [
      `disable_on_destroy is ${v === undefined ? 'unset (true in provider 6.x)' : JSON.stringify(v)} for ${JSON.stringify(config.service)}; set it to false`,
    ];
  },
};
