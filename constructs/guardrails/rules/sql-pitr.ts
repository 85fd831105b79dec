import { getPath, isExpression, shown } from '../../core/json';
import { GuardrailRule, isPrimarySqlInstance } from '../rule';

export const SQL_PITR: GuardrailRule = {
  id: 'SQL-PITR',
  rationale: 'daily backups alone lose up to a day of data; point-in-time recovery restores to the minute',
  severity: 'error',
  outsideProduction: 'warning',
  check(resource) {
    if (!isPrimarySqlInstance(resource)) return [];
    const { config } = resource;
    const version = config.database_version;
    const attr =
      typeof version === 'string' && version.startsWith('MYSQL')
        ? 'binary_log_enabled'
        : 'point_in_time_recovery_enabled';
    const enabled = getPath(config, `settings.backup_configuration.${attr}`);
    if (enabled === true || isExpression(enabled)) return [];
    return [
      `point-in-time recovery is off (settings.backup_configuration.${attr} is ${shown(enabled)}); set it to true`,
    ];
  },
};
