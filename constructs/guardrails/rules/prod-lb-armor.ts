import { GuardrailRule } from '../rule';

export const PROD_LB_ARMOR: GuardrailRule = {
  id: 'PROD-LB-ARMOR',
  rationale:
    'a public production backend without Cloud Armor takes SQL injection probes and password guessing at full speed',
  severity: 'error',
  outsideProduction: 'off',
  check({ type, config }) {
    if (type !== 'google_compute_backend_service') return [];
    const scheme = config.load_balancing_scheme ?? 'EXTERNAL';
    if (!['EXTERNAL', 'EXTERNAL_MANAGED'].includes(scheme) || config.security_policy !== undefined) return [];
    return [
      'security_policy is unset on an internet-facing backend in production; let HttpsLoadBalancer create its Cloud Armor policy (cloudArmor) or give securityPolicy',
    ];
  },
};
