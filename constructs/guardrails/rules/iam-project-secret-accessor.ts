import { GuardrailRule } from '../rule';

const BROAD_IAM = /^google_(project|folder|organization)_iam_(member|binding|policy)$/;
export const SECRET_READING_ROLES = ['roles/secretmanager.secretAccessor', 'roles/secretmanager.admin'];

export const IAM_PROJECT_SECRET_ACCESSOR: GuardrailRule = {
  id: 'IAM-PROJECT-SECRET-ACCESSOR',
  rationale: 'a project-wide secret accessor reads every secret in the project; grant it on each secret instead',
  severity: 'error',
  outsideProduction: 'error',
  check({ type, config }) {
    const scope = BROAD_IAM.exec(type)?.[1];
    if (!scope) return [];
    const roles = SECRET_READING_ROLES.filter(
      (r) => config.role === r || (typeof config.policy_data === 'string' && config.policy_data.includes(`"${r}"`)),
    );
    return roles.map(
      (r) =>
        `grants "${r}" on the whole ${scope}; grant it on each secret with google_secret_manager_secret_iam_member`,
    );
  },
};
