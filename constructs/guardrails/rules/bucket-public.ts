import { entriesOf, isExpression, shown } from '../../core/json';
import { GuardrailRule } from '../rule';

const PUBLIC_PRINCIPALS = /\b(allUsers|allAuthenticatedUsers)\b/;

export const BUCKET_PUBLIC: GuardrailRule = {
  id: 'BUCKET-PUBLIC',
  rationale: 'uploaded files are private data; a bucket must refuse public access even if someone later grants it',
  severity: 'error',
  outsideProduction: 'error',
  check({ type, config }) {
    if (type === 'google_storage_bucket') {
      const pap = config.public_access_prevention;
      return pap === 'enforced' || isExpression(pap)
        ? []
        : [`public_access_prevention is ${shown(pap)}; set "enforced"`];
    }
    if (!type.startsWith('google_storage_')) return [];
    const problems: string[] = [];
    for (const [path, value] of entriesOf(config)) {
      const match = typeof value === 'string' ? PUBLIC_PRINCIPALS.exec(value) : null;
      if (match)
        problems.push(
          `grants access to ${match[1]} (${path.join('.')} is ${JSON.stringify(value)}); grant named principals only`,
        );
    }
    return problems;
  },
};
