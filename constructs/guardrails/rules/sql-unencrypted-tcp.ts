import { getPath, isExpression } from '../../core/json';
import { GuardrailRule } from '../rule';

export const SQL_UNENCRYPTED_TCP: GuardrailRule = {
  id: 'SQL-UNENCRYPTED-TCP',
  rationale: 'an instance that accepts unencrypted TCP lets passwords and data cross the network in clear text',
  severity: 'error',
  outsideProduction: 'error',
  check({ type, config }) {
    if (type !== 'google_sql_database_instance') return [];
    const ssl = getPath(config, 'settings.ip_configuration.ssl_mode');
    if (isExpression(ssl)) return [];
    if (ssl === undefined && getPath(config, 'settings.ip_configuration.require_ssl') === true) return [];
    if (ssl !== undefined && ssl !== 'ALLOW_UNENCRYPTED_AND_ENCRYPTED') return [];
    return [
      `settings.ip_configuration.ssl_mode is ${ssl === undefined ? 'unset (Cloud SQL then accepts unencrypted connections)' : `"${ssl}"`}; set "ENCRYPTED_ONLY" or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"`,
    ];
  },
};
