/**
 * Plans without the Redis password, run by real Terraform on a providers-free mirror of the
 * synthesized wiring: the `upstash_redis_url` variable block verbatim, and a `terraform_data`
 * standing in for `google_secret_manager_secret_version`, replaced when the synthesized
 * `secret_data_wo_version` changes (ForceNew in hashicorp/google v6.50.0,
 * google/services/secretmanager/resource_secret_manager_secret_version.go). What the mirror
 * cannot run is the provider itself; from that same file: `secret_data_wo` is Optional and
 * WriteOnly with no RequiredWith, so a null value on an unchanged version plans nothing.
 */
import { UpstashRedisConfig } from '../../constructs/upstash-redis-config';
import { UPSTASH_URL, FAKE_PASSWORD } from '../support/samples';
import { envByName, Json, onlyResource, providerStack, synthEnv, synthJson } from '../support/synth';
import { requireTerraform, withWorkdir } from '../support/terraform';
import { withCredentials } from '../../constructs/internal/pg-url';

jest.setTimeout(120_000);

beforeAll(() => {
  requireTerraform();
});

/** The variable and the version's `secret_data_wo_version`, as synthesized, in a config Terraform runs offline. */
function mirror(json: Json): Json {
  const version = onlyResource(json, 'google_secret_manager_secret_version');
  return {
    variable: { upstash_redis_url: json.variable.upstash_redis_url },
    resource: {
      terraform_data: {
        redis_url_version: { input: version.secret_data_wo_version, triggers_replace: version.secret_data_wo_version },
      },
    },
  };
}

function redisOnly(valueVersion?: number): Json {
  const stack = providerStack();
  new UpstashRedisConfig(stack, 'redis', { valueVersion });
  return synthJson(stack);
}

const PLAN = ['plan', '-detailed-exitcode'];

test('the environment writes the variable and the version exactly as the construct does', () => {
  const env = synthEnv(envByName('prod'));
  const alone = redisOnly();
  expect(env.variable.upstash_redis_url).toEqual(alone.variable.upstash_redis_url);
  const version = (j: Json) => Object.values(j.resource.google_secret_manager_secret_version as Record<string, Json>).find((v) => JSON.stringify(v.secret_data_wo).includes('var.upstash_redis_url'));
  expect(version(env).secret_data_wo).toBe('${var.upstash_redis_url}');
  expect(version(env).secret_data_wo_version).toBe(version(alone).secret_data_wo_version);
});

test('first deploy with the URL; later plans without it change nothing; a bumped version is a replacement', () => {
  withWorkdir((tf) => {
    tf.write(mirror(redisOnly()));
    const first = tf.run(['apply', '-auto-approve'], { upstash_redis_url: UPSTASH_URL });
    expect({ status: first.status, output: first.status === 0 ? '' : first.output }).toEqual({ status: 0, output: '' });
    expect(first.output).not.toContain(FAKE_PASSWORD);

    // -detailed-exitcode: 0 = no changes, 1 = error, 2 = changes.
    const later = tf.run(PLAN);
    expect({ status: later.status, output: later.status === 0 ? '' : later.output }).toEqual({ status: 0, output: '' });
    expect(later.output).toContain('No changes');

    tf.write(mirror(redisOnly(2)));
    const rotate = tf.run(PLAN, { upstash_redis_url: UPSTASH_URL });
    expect(rotate.status).toBe(2);
    expect(rotate.output).toMatch(/terraform_data\.redis_url_version must be replaced/);
    expect(rotate.output).not.toContain(FAKE_PASSWORD);
  });
});

test('a bad URL is still refused when given; nothing given is accepted', () => {
  withWorkdir((tf) => {
    tf.write(mirror(redisOnly()));
    const bad = tf.run(PLAN, { upstash_redis_url: withCredentials('redis', 'default', FAKE_PASSWORD, 'eu1-sharp-cat-31337.upstash.io:6379') });
    expect(bad.status).toBe(1);
    expect(bad.output).toContain('Invalid value for variable');
    expect(bad.output).not.toContain(FAKE_PASSWORD);
    expect(tf.run(PLAN).status).toBe(2); // nothing applied yet: a plan to create, and no error
  });
});

test('negative control: the old wiring (a required variable) cannot plan without the URL', () => {
  withWorkdir((tf) => {
    const config = mirror(redisOnly());
    const { default: _omitted, ...required } = config.variable.upstash_redis_url;
    config.variable.upstash_redis_url = { ...required, nullable: false };
    tf.write(config);
    const r = tf.run(PLAN);
    expect(r.status).toBe(1);
    expect(r.output).toContain('No value for required variable');
  });
});
