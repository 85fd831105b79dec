import { getPath, isExpression } from '../../core/json';
import { GuardrailRule } from '../rule';

/** Networks with a shorter prefix than this are refused outside production too. */
const BROADEST_PREFIX = 16;

export const SQL_OPEN_NETWORK: GuardrailRule = {
  id: 'SQL-OPEN-NETWORK',
  rationale:
    'an authorized network exposes the database port to the internet; Cloud Run connects through the socket without one',
  severity: 'error',
  outsideProduction: 'error',
  check({ type, config, production }) {
    if (type !== 'google_sql_database_instance') return [];
    if (getPath(config, 'settings.ip_configuration.ipv4_enabled') === false) return [];
    const networks = getPath(config, 'settings.ip_configuration.authorized_networks');
    if (isExpression(networks))
      return [
        `settings.ip_configuration.authorized_networks is an expression, ${JSON.stringify(networks)}; list no networks (Cloud Run uses the socket)`,
      ];
    if (!Array.isArray(networks)) return [];
    return networks.flatMap((n): string[] => {
      const value = n?.value;
      if (production) {
        return [
          `public IP with authorized network ${JSON.stringify(value)} in production; remove it (Cloud Run connects through the socket, and a proxy or IAM-authenticated connector needs no network)`,
        ];
      }
      if (typeof value !== 'string' || isExpression(value))
        return [
          `public IP with authorized network ${JSON.stringify(value)}, not known at synth; list exact ranges of /${BROADEST_PREFIX} or narrower`,
        ];
      const prefix = Number(/\/(\d+)$/.exec(value)?.[1] ?? 32);
      return prefix < BROADEST_PREFIX
        ? [
            `public IP with authorized network "${value}" (${2 ** (32 - prefix)} addresses); remove it, or list exact client ranges of /${BROADEST_PREFIX} or narrower`,
          ]
        : [];
    });
  },
};
