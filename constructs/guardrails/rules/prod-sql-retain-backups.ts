import { getPath, isExpression, shown } from '../../core/json';
import { GuardrailRule, isPrimarySqlInstance } from '../rule';

export const PROD_SQL_RETAIN_BACKUPS: GuardrailRule = {
  id: 'PROD-SQL-RETAIN-BACKUPS',
  rationale:
    'deleting a Cloud SQL instance deletes its automated backups unless they are retained; then nothing is left to restore',
  severity: 'error',
  outsideProduction: 'off',
  check(resource) {
    if (!isPrimarySqlInstance(resource)) return [];
    const retain = getPath(resource.config, 'settings.retain_backups_on_delete');
    if (retain === true || isExpression(retain)) return [];
    return [
      `settings.retain_backups_on_delete is ${shown(retain)} in production; set it to true (CloudSqlSocketDatabase retainBackupsOnDelete)`,
    ];
  },
};
