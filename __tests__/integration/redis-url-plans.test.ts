/**
 * Plans without the Redis password, run by real Terraform on a providers-free mirror of the
 * synthesized wiring: the `upstash_redis_url` variable block and the URL guard verbatim, and a
 * `terraform_data` standing in for `google_secret_manager_secret_version`, replaced when the
 * synthesized `secret_data_wo_version` changes (ForceNew in hashicorp/google v6.50.0,
 * google/services/secretmanager/resource_secret_manager_secret_version.go). What the mirror
 * cannot run is the provider itself; from that same file: `secret_data_wo` is Optional and
 * WriteOnly with no RequiredWith, so a null value on an unchanged version plans nothing.
 */
import { UpstashRedisConfig } from '../../constructs/redis/upstash-redis-config';
import { UPSTASH_URL, FAKE_PASSWORD } from '../support/samples';
import { envByName, Json, onlyResource, providerStack, synthEnv, synthJson } from '../support/synth';
import { requireTerraform, TerraformWorkdir, withWorkdir } from '../support/terraform';
import { withCredentials } from '../../constructs/database/pg-url';

jest.setTimeout(120_000);

beforeAll(() => {
  requireTerraform();
});

/**
 * A config Terraform runs offline: the variable and the URL guard exactly as synthesized (the
 * guard is a real `terraform_data` with a `local-exec` provisioner: built into Terraform, no
 * download), and a `terraform_data` standing in for the secret version, with the version's
 * synthesized `secret_data_wo_version`, `depends_on` (the guard) and `lifecycle`.
 */
function mirror(json: Json): Json {
  const version = onlyResource(json, 'google_secret_manager_secret_version');
  const guards = json.resource.terraform_data as Record<string, Json>;
  expect(Object.keys(guards)).toHaveLength(1);
  return {
    variable: { upstash_redis_url: json.variable.upstash_redis_url },
    resource: {
      terraform_data: {
        ...guards,
        secret_version: {
          input: version.secret_data_wo_version,
          triggers_replace: version.secret_data_wo_version,
          depends_on: (version.depends_on as string[]).filter((d) => d.startsWith('terraform_data.')),
          lifecycle: version.lifecycle,
        },
      },
    },
  };
}

/** The stand-in's `input` in state: the secret version Terraform last wrote, or undefined. */
function writtenVersion(tf: TerraformWorkdir): number | undefined {
  const shown = tf.run(['show', '-json']);
  expect(shown.status).toBe(0);
  const resources = (JSON.parse(shown.output.trim().split('\n')[0]).values?.root_module?.resources ?? []) as Json[];
  return resources.find((r) => r.address === 'terraform_data.secret_version')?.values.input;
}

function redisOnly(valueVersion?: number): Json {
  const stack = providerStack();
  new UpstashRedisConfig(stack, 'redis', { valueVersion });
  return synthJson(stack);
}

const PLAN = ['plan', '-detailed-exitcode'];

test('the environment writes the variable, the guard and the version exactly as the construct does', () => {
  const env = synthEnv(envByName('prod'));
  const alone = redisOnly();
  expect(env.variable.upstash_redis_url).toEqual(alone.variable.upstash_redis_url);
  const guardName = (j: Json) => Object.keys(j.resource.terraform_data).find((k) => k.startsWith('redis_UrlGuard_'))!;
  const guard = (j: Json) => {
    const { depends_on: _apis, ...rest } = j.resource.terraform_data[guardName(j)];
    return rest;
  };
  expect(guard(env)).toEqual(guard(alone));
  const version = (j: Json) =>
    Object.values(j.resource.google_secret_manager_secret_version as Record<string, Json>).find((v) =>
      JSON.stringify(v.secret_data_wo).includes('var.upstash_redis_url'),
    );
  expect(version(env).secret_data_wo).toBe('${var.upstash_redis_url}');
  expect(version(env).secret_data_wo_version).toBe(version(alone).secret_data_wo_version);
  expect(version(env).lifecycle).toEqual({ create_before_destroy: true });
  expect(version(env).depends_on).toContain(`terraform_data.${guardName(env)}`);
});

const REFUSAL = 'TF_VAR_upstash_redis_url is not set, but this apply writes version';

test('first deploy with the URL; later plans and applies without it change nothing; a new version needs it', () => {
  withWorkdir((tf) => {
    tf.write(mirror(redisOnly()));
    // The first deploy without the URL stops at the guard, before any version exists.
    const bare = tf.run(['apply', '-auto-approve']);
    expect(bare.status).toBe(1);
    expect(bare.output.replace(/\s+/g, ' ')).toContain(`${REFUSAL} 1 of the Upstash Redis URL secret`);
    expect(writtenVersion(tf)).toBeUndefined();

    const first = tf.run(['apply', '-auto-approve'], { upstash_redis_url: UPSTASH_URL });
    expect({ status: first.status, output: first.status === 0 ? '' : first.output }).toEqual({ status: 0, output: '' });
    expect(first.output).not.toContain(FAKE_PASSWORD);
    expect(writtenVersion(tf)).toBe(1);

    // -detailed-exitcode: 0 = no changes, 1 = error, 2 = changes.
    const later = tf.run(PLAN);
    expect({ status: later.status, output: later.status === 0 ? '' : later.output }).toEqual({ status: 0, output: '' });
    expect(later.output).toContain('No changes');
    expect(tf.run(['apply', '-auto-approve']).status).toBe(0);
    expect(writtenVersion(tf)).toBe(1);

    // valueVersion 2 plans a replacement (shown in every plan, URL or not) ...
    tf.write(mirror(redisOnly(2)));
    const planned = tf.run(PLAN);
    expect(planned.status).toBe(2);
    expect(planned.output).toMatch(/terraform_data\.secret_version must be replaced/);
    // ... applying it without the URL fails at the guard, and version 1 stays in place ...
    const refused = tf.run(['apply', '-auto-approve']);
    expect(refused.status).toBe(1);
    expect(refused.output.replace(/\s+/g, ' ')).toContain(`${REFUSAL} 2 of the Upstash Redis URL secret`);
    expect(writtenVersion(tf)).toBe(1);
    // ... and with the URL it writes version 2.
    const rotated = tf.run(['apply', '-auto-approve'], { upstash_redis_url: UPSTASH_URL });
    expect({ status: rotated.status, output: rotated.status === 0 ? '' : rotated.output }).toEqual({
      status: 0,
      output: '',
    });
    expect(rotated.output).not.toContain(FAKE_PASSWORD);
    expect(writtenVersion(tf)).toBe(2);
  });
});

test('a bad URL is still refused when given; nothing given is accepted at plan', () => {
  withWorkdir((tf) => {
    tf.write(mirror(redisOnly()));
    const bad = tf.run(PLAN, {
      upstash_redis_url: withCredentials('redis', 'default', FAKE_PASSWORD, 'eu1-sharp-cat-31337.upstash.io:6379'),
    });
    expect(bad.status).toBe(1);
    expect(bad.output).toContain('Invalid value for variable');
    expect(bad.output).not.toContain(FAKE_PASSWORD);
    expect(tf.run(PLAN).status).toBe(2); // nothing applied yet: a plan to create, and no error
  });
});

test('negative control: without the guard, a bumped version is written with no URL at all', () => {
  withWorkdir((tf) => {
    const unguarded = (json: Json) => {
      const config = mirror(json);
      const { secret_version } = config.resource.terraform_data;
      config.resource.terraform_data = { secret_version: { ...secret_version, depends_on: [] } };
      return config;
    };
    tf.write(unguarded(redisOnly()));
    expect(tf.run(['apply', '-auto-approve'], { upstash_redis_url: UPSTASH_URL }).status).toBe(0);
    tf.write(unguarded(redisOnly(2)));
    expect(tf.run(['apply', '-auto-approve']).status).toBe(0);
    expect(writtenVersion(tf)).toBe(2); // what the provider would turn into an empty secret version
  });
});

test('negative control: the old wiring (a required variable) cannot plan without the URL', () => {
  withWorkdir((tf) => {
    const config = mirror(redisOnly());
    const { default: _omitted, ...required } = config.variable.upstash_redis_url;
    config.variable.upstash_redis_url = { ...required, nullable: false };
    tf.write({ variable: config.variable });
    const r = tf.run(PLAN);
    expect(r.status).toBe(1);
    expect(r.output).toContain('No value for required variable');
  });
});
