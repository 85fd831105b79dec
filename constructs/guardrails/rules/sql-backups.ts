import { getPath, isExpression, shown } from '../../core/json';
import { GuardrailRule, isPrimarySqlInstance } from '../rule';

export const SQL_BACKUPS: GuardrailRule = {
  id: 'SQL-BACKUPS',
  rationale: 'without automated backups a bad migration or a deleted table cannot be undone',
  severity: 'error',
  outsideProduction: 'warning',
  check(resource) {
    if (!isPrimarySqlInstance(resource)) return [];
    const { config } = resource;
    const enabled = getPath(config, 'settings.backup_configuration.enabled');
    if (enabled === true || isExpression(enabled)) return [];
    return [`automated backups are off (settings.backup_configuration.enabled is ${shown(enabled)}); set it to true`];
  },
};
