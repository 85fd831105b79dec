import { isExpression, shown } from '../../core/json';
import { GuardrailRule } from '../rule';

const WEAK_TLS = ['TLS_1_0', 'TLS_1_1'];

export const LB_TLS_POLICY: GuardrailRule = {
  id: 'LB-TLS-POLICY',
  rationale: "without an SSL policy Google's default accepts TLS 1.0 and 1.1, which browsers and PCI DSS retired",
  severity: 'error',
  outsideProduction: 'warning',
  check({ type, config }) {
    if (type === 'google_compute_target_https_proxy' && config.ssl_policy === undefined) {
      return [
        'ssl_policy is unset, so TLS 1.0 is accepted; attach an SSL policy with min_tls_version "TLS_1_2" (HttpsLoadBalancer does unless minTlsVersion is false)',
      ];
    }
    if (
      type === 'google_compute_ssl_policy' &&
      !isExpression(config.min_tls_version) &&
      (config.min_tls_version === undefined || WEAK_TLS.includes(config.min_tls_version))
    ) {
      return [
        `min_tls_version is ${config.min_tls_version === undefined ? 'unset (TLS_1_0)' : shown(config.min_tls_version)}; set "TLS_1_2"`,
      ];
    }
    return [];
  },
};
