import { entriesOf, isExpression } from '../../core/json';
import { GuardrailRule } from '../rule';

export const PRIMITIVE_ROLES = ['roles/owner', 'roles/editor', 'roles/viewer'];

export const IAM_PRIMITIVE_ROLE: GuardrailRule = {
  id: 'IAM-PRIMITIVE-ROLE',
  rationale:
    'basic roles grant thousands of permissions across every service; grant the predefined role the workload needs',
  severity: 'error',
  outsideProduction: 'error',
  check({ type, config }) {
    if (type.endsWith('_iam_member_remove')) return [];
    const problems: string[] = [];
    for (const [path, value] of entriesOf(config)) {
      const key = path[path.length - 1];
      if (key === 'role' && PRIMITIVE_ROLES.includes(value)) {
        problems.push(
          `grants the basic role "${value}" (${path.join('.')}); use a predefined role such as roles/cloudsql.client`,
        );
      }
      if (key === 'policy_data' && typeof value === 'string' && !isExpression(value)) {
        for (const role of PRIMITIVE_ROLES.filter((r) => value.includes(`"${r}"`))) {
          problems.push(`policy_data grants the basic role "${role}"; use a predefined role`);
        }
      }
    }
    return problems;
  },
};
