import { getPath, isExpression, shown } from '../../core/json';
import { GuardrailRule, isPrimarySqlInstance } from '../rule';

export const PROD_SQL_CONNECTORS: GuardrailRule = {
  id: 'PROD-SQL-CONNECTORS',
  rationale:
    'with connector enforcement the instance refuses every connection that is not IAM-authorized through the Auth Proxy or a connector',
  severity: 'warning',
  outsideProduction: 'off',
  check(resource) {
    if (!isPrimarySqlInstance(resource)) return [];
    const mode = getPath(resource.config, 'settings.connector_enforcement');
    if (mode === 'REQUIRED' || isExpression(mode)) return [];
    return [
      `settings.connector_enforcement is ${shown(mode)} in production; set "REQUIRED" (CloudSqlSocketDatabase requireConnectors)`,
    ];
  },
};
