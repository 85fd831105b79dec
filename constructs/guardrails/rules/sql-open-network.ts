import { getPath } from '../../internal/json';
import { GuardrailRule } from '../rule';

export const SQL_OPEN_NETWORK: GuardrailRule = {
  id: 'SQL-OPEN-NETWORK',
  rationale: 'an authorized network of 0.0.0.0/0 exposes the database port to the whole internet; Cloud Run connects through the socket without one',
  severity: 'error',
  outsideProduction: 'error',
  check({ type, config }) {
    if (type !== 'google_sql_database_instance') return [];
    if (getPath(config, 'settings.ip_configuration.ipv4_enabled') === false) return [];
    const networks = getPath(config, 'settings.ip_configuration.authorized_networks');
    if (!Array.isArray(networks)) return [];
    return networks
      .filter((n) => typeof n?.value === 'string' && /\/0$/.test(n.value))
      .map((n) => `public IP with authorized network "${n.value}" (open to every address); remove it, or list the exact client ranges`);
  },
};
