/**
 * Real Terraform evaluates the expressions the library writes into the synthesized JSON.
 * References become sample values; every function around them (`urlencode`, `replace`,
 * `can`, `regex`) is Terraform's own, run by the `terraform` binary in a provider-less config.
 */
import { parse } from 'pg-connection-string';
import { buildPgDatabaseUrl, withCredentials } from '../../constructs/database/pg-url';
import { ENVIRONMENTS } from '../../examples/environments/environments';
import {
  connectionNameOf,
  connectionNameRef,
  evaluatePgUrls,
  FAKE_PASSWORD,
  GENERATED_PASSWORD,
  HOSTILE_PASSWORD,
  UPSTASH_URL,
} from '../support/samples';
import { Json, onlyResource, synthEnv, walk } from '../support/synth';
import { evaluate, planVariables, requireTerraform } from '../support/terraform';

// Real programs run here: a generous limit for a loaded machine (nothing asserts a duration).
jest.setTimeout(60_000);

/** Values that break naive encoders: QueryEscape's `+` for space, a literal `+`, encoded-looking text, UTF-8, template syntax. */
const PASSWORDS = [
  HOSTILE_PASSWORD,
  GENERATED_PASSWORD,
  ' ',
  '+',
  'a+b c',
  '%2B%20%',
  'pässwörd✓',
  '${x}%{y}',
  "'`$(id)`;",
];

/** A Terraform reference inside an interpolation: resource attribute, ephemeral result or variable. */
const REFERENCE = /\b(?:google_[a-z0-9_]+\.[\w-]+\.[a-z_]+|ephemeral\.random_password\.\w+\.result|var\.\w+)\b/g;

/** Every JSON path whose string calls a Terraform function, and the test below that evaluates it. */
const EVALUATED = [
  { path: /^resource\.google_secret_manager_secret_version\.[^.]+\.secret_data_wo$/, by: 'every secret Twenty reads' },
  { path: /^variable\.upstash_redis_url\.validation\.0\.condition$/, by: 'upstash_redis_url validation' },
  { path: /^resource\.google_sql_user\.[^.]+\.password_wo_version$/, by: "the user's password_wo_version" },
  {
    path: /^resource\.terraform_data\.redis_UrlGuard_[0-9A-F]+\.provisioner\.0\.local-exec\.command$/,
    by: 'redis-url-plans.test.ts (applied for real)',
  },
];

beforeAll(() => {
  requireTerraform();
});

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('environment %s', (_name, env) => {
  let json: Json;
  beforeAll(() => {
    json = synthEnv(env);
  });

  test('PG_DATABASE_URL: Terraform builds what the TypeScript builder builds, and it parses back to every part', () => {
    const conn = connectionNameOf(json);
    expect(conn).toBe(`${env.projectId}:${env.region}:${env.database?.instanceName ?? `twenty-${env.name}`}`);
    const urls = evaluatePgUrls(json, PASSWORDS);
    urls.forEach((url, i) => {
      const password = PASSWORDS[i];
      expect(url).toBe(
        buildPgDatabaseUrl({
          scheme: 'postgresql',
          user: 'twenty',
          password,
          database: 'twenty',
          connectionName: conn,
        }),
      );
      expect(url).toMatch(
        /^postgresql:\/\/twenty:[A-Za-z0-9%._~-]+@\/twenty\?host=\/cloudsql\/[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]+$/,
      );
      // node-postgres parses with pg-connection-string: the password must come back byte for byte.
      expect(parse(url)).toEqual({ host: `/cloudsql/${conn}`, user: 'twenty', password, port: '', database: 'twenty' });
      expect(Buffer.from(parse(url).password!, 'utf8').equals(Buffer.from(password, 'utf8'))).toBe(true);
    });
  });

  test('every secret Twenty reads evaluates to the value it needs', () => {
    // Which secret version feeds which env var, as the service reads them.
    const byVersion = new Map<string, string>();
    for (const e of onlyResource(json, 'google_cloud_run_v2_service').template.containers[0].env) {
      const ref = e.value_source?.secret_key_ref?.version as string | undefined;
      if (ref) byVersion.set(/google_secret_manager_secret_version\.([^.]+)\.version/.exec(ref)![1], e.name);
    }
    const known: Record<string, string> = {
      [connectionNameRef(json)]: connectionNameOf(json),
      'ephemeral.random_password.database_password.result': HOSTILE_PASSWORD,
      'var.upstash_redis_url': UPSTASH_URL,
    };
    const versions = Object.entries(json.resource.google_secret_manager_secret_version as Record<string, Json>).map(
      ([key, v]) => {
        const refs = [...new Set<string>(v.secret_data_wo.match(REFERENCE) ?? [])];
        return {
          env: byVersion.get(key),
          template: v.secret_data_wo as string,
          samples: Object.fromEntries(refs.map((r) => [r, known[r] ?? `sample-${r}`])),
        };
      },
    );
    const values = evaluate(versions);
    const got = Object.fromEntries(versions.map((v, i) => [v.env, values[i]]));
    expect(Object.keys(got)).toEqual(
      expect.arrayContaining(['PG_DATABASE_URL', 'REDIS_URL', 'APP_SECRET', 'ENCRYPTION_KEY']),
    );
    for (const v of versions) {
      // Every secret but the URL is its one source value, passed through unchanged.
      const expected =
        v.env === 'PG_DATABASE_URL'
          ? buildPgDatabaseUrl({
              scheme: 'postgresql',
              user: 'twenty',
              password: HOSTILE_PASSWORD,
              database: 'twenty',
              connectionName: connectionNameOf(json),
            })
          : Object.values(v.samples)[0];
      expect({ env: v.env, value: got[v.env!] }).toEqual({ env: v.env, value: expected });
      if (v.env !== 'PG_DATABASE_URL') expect(Object.keys(v.samples)).toHaveLength(1);
    }
    expect(got.REDIS_URL).toBe(UPSTASH_URL);
    expect(got.APP_SECRET).not.toBe(got.ENCRYPTION_KEY);
  });

  test("the user's password_wo_version: a whole number below 2^31, new for every new URL version's create_time", () => {
    const template: string = onlyResource(json, 'google_sql_user').password_wo_version;
    const ref = /google_secret_manager_secret_version\.[^.]+\.create_time/.exec(template)![0];
    const times = ['2026-12-01T19:00:00.123456Z', '2026-12-01T19:00:00.123457Z', '2027-01-05T08:30:12Z'];
    const numbers = evaluate(times.map((t) => ({ template, samples: { [ref]: t } }))).map(Number);
    for (const n of numbers) expect(Number.isInteger(n) && n >= 0 && n < 2 ** 31).toBe(true);
    expect(new Set(numbers).size).toBe(times.length);
    // Deterministic: the same version keeps the same number, so nothing is rewritten without a new version.
    expect(evaluate([{ template, samples: { [ref]: times[0] } }]).map(Number)).toEqual([numbers[0]]);
  });

  test('upstash_redis_url validation, as synthesized, accepts an Upstash URL or none, and refuses the rest', () => {
    const variable = json.variable.upstash_redis_url;
    const message: string = variable.validation[0].error_message;
    const plan = (url: string) => planVariables({ upstash_redis_url: variable }, { upstash_redis_url: url });
    const upstash = (scheme: string, rest: string) => withCredentials(scheme, 'default', FAKE_PASSWORD, rest);
    for (const url of [UPSTASH_URL, upstash('rediss', 'us1-quick-fox-12345.upstash.io:6379/')]) {
      const r = plan(url);
      expect({ url, ok: r.ok, output: r.ok ? '' : r.output }).toEqual({ url, ok: true, output: '' });
    }
    // Unset is accepted: plans after the first deploy need no Redis password.
    const unset = planVariables({ upstash_redis_url: variable }, {});
    expect({ ok: unset.ok, output: unset.ok ? '' : unset.output }).toEqual({ ok: true, output: '' });
    const refused = [
      upstash('redis', 'eu1-sharp-cat-31337.upstash.io:6379'), // no TLS
      upstash('rediss', 'redis.example.com:6379'), // not Upstash
      upstash('rediss', 'eu1-sharp-cat-31337.upstash.io.evil.com:6379'), // lookalike host
      'rediss://eu1-sharp-cat-31337.upstash.io:6379', // no password
      upstash('rediss', 'eu1-sharp-cat-31337.upstash.io'), // no port
    ];
    for (const url of refused) {
      const r = plan(url);
      expect({ url, ok: r.ok }).toEqual({ url, ok: false });
      expect(r.output).toContain('Invalid value for variable');
      expect(r.output.replace(/\s+/g, ' ')).toContain(message);
      expect(r.output).not.toContain(url); // sensitive: Terraform does not echo it
    }
  });

  test('every Terraform function call in the JSON is evaluated by a test here', () => {
    const calls = [...walk(json)]
      .filter(([, v]) => typeof v === 'string' && /\$\{[^}]*\b[a-z][a-z0-9_]*\(/.test(v))
      .map(([path, v]) => ({ path: path.join('.'), expression: v as string }));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    const unevaluated = calls.filter((c) => !EVALUATED.some((e) => e.path.test(c.path)));
    if (unevaluated.length > 0) {
      throw new Error(
        `These values are built with Terraform functions but no test evaluates them with real Terraform; ` +
          `add a case to __tests__/integration/terraform-expressions.test.ts:\n` +
          unevaluated.map((c) => `  ${c.path} = ${c.expression}`).join('\n'),
      );
    }
  });
});
