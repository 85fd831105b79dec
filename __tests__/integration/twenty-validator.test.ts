/**
 * Twenty validates its config at boot with class-validator's `@IsUrl` and refuses to start on
 * a failure. The decorators and options below are Twenty's, copied from twentyhq/twenty
 * packages/twenty-server/src/engine/core-modules/twenty-config/config-variables.ts
 * (read at commit 002d2970d038adb24d53a0b2596299a26b8593aa).
 *
 * validator.js versions: Twenty's root yarn.lock has `validator@npm:^13.7.0` (class-validator's
 * range) resolved to 13.12.0, in both stored versions read (commits 001a2afb and e6f81768, 2025).
 * The socket form `postgresql://<userinfo>@/db?host=...` passes 13.12.0 and the current 13.15.x (FACTS:
 * from 13.9.0 on); 13.7.0, the floor of the range, refuses it, which this test records so that
 * a change in either direction is seen.
 */
import { readFileSync } from 'fs';
import { IsDefined, IsOptional, IsUrl, validateSync } from 'class-validator';
import isUrlCurrent from 'validator/lib/isURL';
import isUrl13_12 from 'validator-13-12/lib/isURL';
import isUrl13_7 from 'validator-13-7/lib/isURL';
import { ENVIRONMENTS } from '../../examples/environments/environments';
import { withCredentials } from '../../constructs/database/pg-url';
import { evaluatePgUrls, FAKE_PASSWORD, GENERATED_PASSWORD, HOSTILE_PASSWORD, UPSTASH_URL } from '../support/samples';
import { Json, onlyResource, synthEnv } from '../support/synth';
import { requireTerraform } from '../support/terraform';

// Real programs run here: a generous limit for a loaded machine (nothing asserts a duration).
jest.setTimeout(60_000);

const PG_DATABASE_URL = {
  protocols: ['postgres', 'postgresql'],
  require_tld: false,
  allow_underscores: true,
  require_host: false,
};
const REDIS_URL = { protocols: ['redis', 'rediss'], require_tld: false, allow_underscores: true };
const SERVER_URL = { require_tld: false, require_protocol: true };

/** The three variables as Twenty declares them (legacy decorators applied by hand). */
class TwentyConfig {
  PG_DATABASE_URL?: string;
  REDIS_URL?: string;
  SERVER_URL?: string;
}
IsDefined()(TwentyConfig.prototype, 'PG_DATABASE_URL');
IsUrl(PG_DATABASE_URL)(TwentyConfig.prototype, 'PG_DATABASE_URL');
IsOptional()(TwentyConfig.prototype, 'REDIS_URL');
IsUrl(REDIS_URL)(TwentyConfig.prototype, 'REDIS_URL');
IsUrl(SERVER_URL)(TwentyConfig.prototype, 'SERVER_URL');
IsOptional()(TwentyConfig.prototype, 'SERVER_URL');

/** The properties Twenty would refuse to boot with. */
function refused(values: TwentyConfig): string[] {
  return validateSync(Object.assign(new TwentyConfig(), values)).map((e) => e.property);
}

const versions = [
  { version: '13.15.35', isUrl: isUrlCurrent, pkg: 'validator', why: "class-validator 0.14.2's" },
  { version: '13.12.0', isUrl: isUrl13_12, pkg: 'validator-13-12', why: "Twenty's yarn.lock" },
  { version: '13.7.0', isUrl: isUrl13_7, pkg: 'validator-13-7', why: 'floor of the range ^13.7.0' },
];

test('the validator.js versions under test are the ones named', () => {
  const versionOf = (pkg: string) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  for (const v of versions) expect(versionOf(v.pkg)).toBe(v.version);
  expect(versionOf('class-validator')).toBe('0.14.2');
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('environment %s', (_name, env) => {
  let json: Json;
  let urls: string[];
  let serverUrl: string;
  beforeAll(() => {
    requireTerraform();
    json = synthEnv(env);
    urls = evaluatePgUrls(json, [HOSTILE_PASSWORD, GENERATED_PASSWORD]);
    serverUrl = onlyResource(json, 'google_cloud_run_v2_service').template.containers[0].env.find(
      (e: Json) => e.name === 'SERVER_URL',
    ).value;
  });

  test("Twenty's config validation (class-validator) accepts the evaluated PG_DATABASE_URL, an Upstash REDIS_URL and SERVER_URL", () => {
    for (const url of urls)
      expect(refused({ PG_DATABASE_URL: url, REDIS_URL: UPSTASH_URL, SERVER_URL: serverUrl })).toEqual([]);
  });

  test.each(versions)('validator $version ($why) on the same values', ({ version, isUrl }) => {
    const socketFormPasses = version !== '13.7.0';
    for (const url of urls)
      expect({ version, url, ok: isUrl(url, PG_DATABASE_URL) }).toEqual({ version, url, ok: socketFormPasses });
    expect(isUrl(UPSTASH_URL, REDIS_URL)).toBe(true);
    expect(isUrl(serverUrl, SERVER_URL)).toBe(true);
  });
});

test('controls: what Twenty refuses, and what it lets through that Upstash would not', () => {
  const socket = '/cloudsql/acme-twenty-dev:us-east1:twenty-dev';
  // An unencoded password (field notes row 4).
  const pg = (password: string, rest: string) => withCredentials('postgresql', 'twenty', password, rest);
  expect(refused({ PG_DATABASE_URL: pg(HOSTILE_PASSWORD, `/twenty?host=${socket}`) })).toEqual(['PG_DATABASE_URL']);
  expect(refused({ PG_DATABASE_URL: pg(`${FAKE_PASSWORD}@x`, '/twenty?host=/cloudsql/x') })).toEqual([
    'PG_DATABASE_URL',
  ]);
  // No scheme in SERVER_URL.
  expect(refused({ PG_DATABASE_URL: pg(FAKE_PASSWORD, '/twenty'), SERVER_URL: 'crm.example.com' })).toEqual([
    'SERVER_URL',
  ]);
  // Twenty accepts redis:// and any host: the library's own Terraform validation must refuse them.
  const plainRedis = withCredentials('redis', 'default', FAKE_PASSWORD, 'eu1-x-1.upstash.io:6379');
  expect(refused({ PG_DATABASE_URL: pg(FAKE_PASSWORD, '/twenty'), REDIS_URL: plainRedis })).toEqual([]);
  // The form that passes every validator version, should a release shipping validator < 13.9 ever matter.
  const keyValueForm = `postgresql:///twenty?host=${socket}&user=twenty&password=${GENERATED_PASSWORD}`;
  for (const v of versions)
    expect({ version: v.version, ok: v.isUrl(keyValueForm, PG_DATABASE_URL) }).toEqual({
      version: v.version,
      ok: true,
    });
});
