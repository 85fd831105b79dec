/**
 * The env table (constructs/backend/env.ts) is what the containers get: each process's
 * synthesized env, in order, is the table's rows for that process with the user's extras where
 * the table puts them, and OWNED_ENV_VARS is exactly the table's names.
 */
import { EnvRow, OWNED_ENV_VARS, TWENTY_ENV, TwentyProcess } from '../../constructs/backend/env';
import {
  MIN_SUPPORTED_VERSION,
  NEWEST_VERIFIED_VERSION,
  parseTwentyVersion,
  requirementsFor,
} from '../../constructs/twenty/versions';
import { backend } from '../support/backend';
import { Json, onlyResource, synthJson } from '../support/synth';

const EXTRA_ENV = { EMAIL_FROM_ADDRESS: 'crm@example.com' };
const EXTRA_SECRETS = { EMAIL_SMTP_PASSWORD: { secretId: 'smtp-password' } };

/** The names the table gives `process`, extras in place; ENCRYPTION_KEY only when the release has it. */
function expectedNames(table: readonly EnvRow[], process: TwentyProcess, encryptionKey: boolean): string[] {
  return table.flatMap((row) => {
    if ('extra' in row) return Object.keys(row.extra === 'env' ? EXTRA_ENV : EXTRA_SECRETS);
    if ('secret' in row) return row.name === 'ENCRYPTION_KEY' && !encryptionKey ? [] : [row.name];
    return !row.only || row.only.includes(process) ? [row.name] : [];
  });
}

function synthesizedNames(twentyVersion: string): Record<TwentyProcess, string[]> {
  const { stack } = backend({ twentyVersion, extraEnv: EXTRA_ENV, extraSecrets: EXTRA_SECRETS });
  const json = synthJson(stack);
  const names = (container: Json) => (container.env as Json[]).map((e) => e.name as string);
  return {
    server: names(onlyResource(json, 'google_cloud_run_v2_service').template.containers[0]),
    worker: names(onlyResource(json, 'google_cloud_run_v2_worker_pool').template.containers[0]),
    job: names(onlyResource(json, 'google_cloud_run_v2_job').template.template.containers[0]),
  };
}

describe('the env table', () => {
  test.each([NEWEST_VERIFIED_VERSION, MIN_SUPPORTED_VERSION])(
    'Twenty %s: every process gets exactly its rows, in table order',
    (version) => {
      const encryptionKey = requirementsFor(parseTwentyVersion(version)!).encryptionKey;
      const synthesized = synthesizedNames(version);
      for (const process of ['server', 'worker', 'job'] as const) {
        expect(synthesized[process]).toEqual(expectedNames(TWENTY_ENV, process, encryptionKey));
      }
    },
  );

  test('OWNED_ENV_VARS is the table: every name the constructs set, nothing else', () => {
    const synthesized = Object.values(synthesizedNames('v2.45.0')).flat();
    const extras = [...Object.keys(EXTRA_ENV), ...Object.keys(EXTRA_SECRETS)];
    expect(new Set(OWNED_ENV_VARS)).toEqual(new Set(synthesized.filter((n) => !extras.includes(n))));
    expect(new Set(OWNED_ENV_VARS).size).toBe(OWNED_ENV_VARS.length);
  });

  test('the comparison notices a row the containers lack (negative control)', () => {
    const extraRow: EnvRow = { name: 'NOT_SET_ANYWHERE', value: () => 'x' };
    expect(synthesizedNames('v2.45.0').server).not.toEqual(expectedNames([...TWENTY_ENV, extraRow], 'server', true));
  });
});
