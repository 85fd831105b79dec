import { entriesOf, isExpression } from '../../core/json';
import { GuardrailRule } from '../rule';

/** Whether an image reference names a fixed version: a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const last = image.split('@')[0].split('/').pop() ?? '';
  const colon = last.indexOf(':');
  const tag = colon < 0 ? '' : last.slice(colon + 1);
  return tag !== '' && tag !== 'latest';
}

export const IMAGE_UNPINNED: GuardrailRule = {
  id: 'IMAGE-UNPINNED',
  rationale:
    'an image without a version tag or digest changes under you: two deploys of the same code run different releases',
  severity: 'error',
  outsideProduction: 'warning',
  check({ config }) {
    const problems: string[] = [];
    for (const [path, value] of entriesOf(config)) {
      if (path[path.length - 1] !== 'image' || !path.includes('containers')) continue;
      if (typeof value !== 'string' || isExpression(value) || isPinnedImage(value)) continue;
      problems.push(
        `${path.join('.')} is "${value}", which is not pinned; use a version tag (e.g. ":v2.45.0") or a digest ("@sha256:...")`,
      );
    }
    return problems;
  },
};
