import { entriesOf, isExpression } from '../../core/json';
import { GuardrailRule } from '../rule';

export const PROD_IMAGE_DIGEST: GuardrailRule = {
  id: 'PROD-IMAGE-DIGEST',
  rationale: 'a tag can be moved or deleted upstream; a digest names exactly the image that was tested',
  // A warning: the digest must come from the registry you deploy from, which synth cannot reach.
  severity: 'warning',
  outsideProduction: 'off',
  check({ config }) {
    const problems: string[] = [];
    for (const [path, value] of entriesOf(config)) {
      if (path[path.length - 1] !== 'image' || !path.includes('containers')) continue;
      if (typeof value !== 'string' || isExpression(value) || /@sha256:[0-9a-f]{64}$/.test(value)) continue;
      problems.push(
        `${path.join('.')} is "${value}", pinned by tag only in production; add the digest of that tag (TwentyBackendService imageDigest, TwentyStack service.imageDigest)`,
      );
    }
    return problems;
  },
};
