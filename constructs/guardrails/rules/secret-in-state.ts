import { walkJson } from '../../internal/json';
import { GuardrailRule } from '../rule';

/** Data sources that copy a secret's value into state. */
const SECRET_READING_DATA = [
  'google_secret_manager_secret_version',
  'google_secret_manager_secret_version_access',
  'google_secret_manager_regional_secret_version',
  'google_secret_manager_regional_secret_version_access',
];

export const SECRET_IN_STATE: GuardrailRule = {
  id: 'SECRET-IN-STATE',
  rationale: 'Terraform stores arguments in plain text in state and shows them in plans; write-only `*_wo` arguments are never stored',
  severity: 'error',
  outsideProduction: 'error',
  check({ kind, type, config, construct }) {
    if (kind === 'data') {
      return SECRET_READING_DATA.includes(type)
        ? [`the data source ${type} copies the secret's value into state; let Cloud Run read it (secret_key_ref) or use an ephemeral resource`]
        : [];
    }
    const problems: string[] = [];
    for (const [path, value] of walkJson(config)) {
      if (path.length === 0 || value === undefined || value === null || typeof path[path.length - 1] !== 'string') continue;
      if (hasWriteOnlyTwin(construct, path)) {
        const key = path.join('.');
        problems.push(`${key} is stored in state and shown in plans; write it with ${path[path.length - 1]}_wo and ${path[path.length - 1]}_wo_version instead`);
      }
    }
    return problems;
  },
};

/** Whether the provider binding offers `<key>_wo` next to the attribute at `path` (found through its `*WoInput` getters). */
function hasWriteOnlyTwin(construct: object, path: (string | number)[]): boolean {
  const key = path[path.length - 1] as string;
  if (key.endsWith('_wo') || key.endsWith('_wo_version')) return false;
  try {
    let holder: unknown = construct;
    for (const step of path.slice(0, -1)) {
      if (holder === null || holder === undefined) return false;
      if (typeof step === 'number') {
        const list = holder as { get?: (i: number) => unknown };
        holder = typeof list.get === 'function' ? list.get(step) : undefined;
      } else {
        holder = (holder as Record<string, unknown>)[camel(step)];
      }
    }
    return holder !== null && typeof holder === 'object' && `${camel(key)}WoInput` in holder;
  } catch {
    return false;
  }
}

function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
