import { FRONT_DOORS, frontDoorOf, TwentyFrontDoor } from '../front-door/front-doors';
import { checkBucketName, checkLabels } from '../gcp/values';
import { checkShape, PropShape } from '../core/props-shape';
import { checkProjectId, checkRegion } from '../gcp/regions';
import { checkTwentyVersion, NEWEST_VERIFIED_VERSION } from '../twenty/versions';
import { Problems, quote } from '../core/validation';
import { checkServerUrl } from '../backend/twenty-backend-service';
import { publicUrlOf, TWENTY_STACK_CONFIG_SHAPE, TwentyStackConfig } from './config';

/**
 * Checks the config and returns it without what was refused (unknown keys, values of the
 * wrong kind), so that the stack can still be built and every problem found in one synth.
 */
export function checkConfig(problems: Problems, given: TwentyStackConfig): TwentyStackConfig {
  const config = checkShape(problems, given, TWENTY_STACK_CONFIG_SHAPE, { noun: 'key' });
  const kind = config.frontDoor?.kind;
  let frontDoor: TwentyFrontDoor = { kind: 'none' };
  if (config.frontDoor === undefined) {
    // Reported as missing by checkShape.
  } else if (!(kind in FRONT_DOORS)) {
    const kinds = Object.keys(FRONT_DOORS).map((k) => quote(k));
    problems.add(
      `frontDoor.kind ${quote(kind)} is not a front door; use ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]}`,
    );
  } else {
    frontDoor = checkShape(problems, config.frontDoor, FRONT_DOORS[kind].shape as PropShape<TwentyFrontDoor>, {
      noun: 'key',
      path: 'frontDoor.',
    });
  }
  const checked = withFallbacks(problems, { ...config, frontDoor });
  problems.whenKnown(checked.name, (n) =>
    /^[a-z][a-z0-9-]{0,19}$/.test(n)
      ? undefined
      : `name "${n}" is invalid; use up to 20 lowercase letters, digits and hyphens, starting with a letter`,
  );
  problems.whenKnown(checked.projectId, checkProjectId);
  problems.whenKnown(checked.region, checkRegion);
  problems.whenKnown(checked.twentyVersion, checkTwentyVersion);
  problems.whenKnown(checked.stateBucket, (b) => checkBucketName(b, 'state bucket'));
  problems.whenKnown(checked.labels, (l) => checkLabels(l, 'labels'));
  const url = publicUrlOf(checked);
  if (url === undefined && frontDoor.kind === 'none' && kind === 'none') {
    problems.add(
      'publicUrl is missing; with frontDoor kind "none" give the https URL users open (it becomes SERVER_URL)',
    );
  }
  problems.whenKnown(checked.publicUrl, checkServerUrl);
  return checked;
}

/**
 * Stand-ins for required values the config check refused (already reported), so that the
 * constructs do not report the same value again as missing, in their own words.
 */
function withFallbacks(problems: Problems, config: TwentyStackConfig): TwentyStackConfig {
  const ok = (key: keyof TwentyStackConfig) => typeof config[key] === 'string';
  const frontDoor = frontDoorOf(config.frontDoor).withFallbacks(config.frontDoor);
  if (problems.bodies.length === 0) return config;
  return {
    ...config,
    name: ok('name') ? config.name : 'invalid',
    projectId: ok('projectId') ? config.projectId : 'twenty-invalid',
    region: ok('region') ? config.region : 'us-central1',
    twentyVersion: ok('twentyVersion') ? config.twentyVersion : NEWEST_VERIFIED_VERSION,
    stateBucket: ok('stateBucket') ? config.stateBucket : 'twenty-invalid',
    frontDoor,
  };
}
