/**
 * Every stack we synthesize is checked against the schema the provider packages were generated
 * from (google / google-beta 6.50.0 through @cdktf/provider-google(-beta) 16.12.1): resource
 * types, arguments, nested blocks, required arguments, blocks allowed at most once, references
 * to declared resources and their attributes, and ephemeral values only in `*_wo` arguments.
 * Planted faults show each kind is caught.
 */
import { App } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { FirebaseProxyHosting } from '../constructs/front-door/firebase-proxy-hosting';
import { HttpsLoadBalancer } from '../constructs/front-door/https-load-balancer';
import { ENVIRONMENTS } from '../examples/environments/environments';
import { TwentyStack } from '../constructs/stack/twenty-stack';
import { backendStack } from './support/front-door';
import { bindingFiles, schemaOf, validateStack } from './support/provider-schema';
import { Json, synthJson } from './support/synth';

/** The app as main.ts builds it, synthesized by `app.synth()` into a temp outdir: the files `cdktf deploy` reads. */
function appStacks(): (readonly [string, Json])[] {
  const outdir = mkdtempSync(join(tmpdir(), 'schema-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    for (const env of ENVIRONMENTS) new TwentyStack(app, env);
    app.synth();
    return ENVIRONMENTS.map(
      (env) =>
        [
          env.name,
          JSON.parse(readFileSync(join(outdir, 'stacks', TwentyStack.stackName(env), 'cdk.tf.json'), 'utf8')),
        ] as const,
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const environments = appStacks();

function constructStacks(): [string, Json][] {
  const lb = backendStack({ ingress: 'internal-and-load-balancer', serverUrl: 'https://crm.example.com' });
  new HttpsLoadBalancer(lb.stack, 'lb', { backend: lb.backend, domain: 'crm.example.com' });
  const fb = backendStack({ serverUrl: 'https://acme-crm.web.app' });
  new FirebaseProxyHosting(fb.stack, 'hosting', { backend: fb.backend, siteId: 'acme-crm' });
  return [
    ['HttpsLoadBalancer', synthJson(lb.stack)],
    ['FirebaseProxyHosting', synthJson(fb.stack)],
  ];
}

describe('synthesized stacks match the provider schema', () => {
  test.each(environments)('environment %s', (_name, json) => {
    expect(validateStack(json)).toEqual([]);
  });

  test.each(constructStacks())('construct stack %s', (_name, json) => {
    expect(validateStack(json)).toEqual([]);
  });

  test('the checker reads real schema: known arguments, required ones, single and repeated blocks, attributes', () => {
    const sql = schemaOf('resource', 'google_sql_database_instance', 'google')!;
    expect(sql.root.args.get('database_version')).toEqual({ required: true });
    const settings = sql.root.args.get('settings')!;
    expect(settings.nested).toMatchObject({ repeated: false, isBlock: true });
    expect(settings.nested!.schema.args.get('tier')).toEqual({ required: true });
    expect(settings.nested!.schema.args.get('database_flags')!.nested).toMatchObject({ repeated: true, isBlock: true });
    expect(sql.attributes.has('connection_name')).toBe(true);
    expect(sql.root.args.has('connection_name')).toBe(false); // computed only
    expect(schemaOf('resource', 'google_cloud_run_v2_job', 'google-beta')!.root.args.has('run_execution_token')).toBe(
      true,
    );
    expect(schemaOf('resource', 'google_cloud_run_v2_job', 'google')!.root.args.has('run_execution_token')).toBe(false);
    expect(bindingFiles('resource', 'google_sql_usr', 'google')).toBeUndefined();
  });
});

describe('planted faults are caught', () => {
  const prod = () => JSON.parse(JSON.stringify(environments.find(([n]) => n === 'prod')![1]));
  const first = (json: Json, type: string): [string, Json] => Object.entries(json.resource[type])[0] as [string, Json];

  test('unknown resource type', () => {
    const json = prod();
    json.resource.google_sql_usr = { x: { name: 'a', instance: 'b' } };
    expect(validateStack(json)).toEqual([
      {
        address: 'google_sql_usr.x',
        message: 'unknown resource type "google_sql_usr" in provider hashicorp/google 6.50.0',
      },
    ]);
  });

  test('unknown argument, top level and nested', () => {
    const json = prod();
    const [name, instance] = first(json, 'google_sql_database_instance');
    instance.deletion_protect = true;
    instance.settings.backup_configuration.retained_backups = 7;
    expect(validateStack(json)).toEqual([
      {
        address: `google_sql_database_instance.${name}`,
        message: 'unknown argument "settings.backup_configuration.retained_backups"',
      },
      { address: `google_sql_database_instance.${name}`, message: 'unknown argument "deletion_protect"' },
    ]);
  });

  test('missing required argument', () => {
    const json = prod();
    const [name, instance] = first(json, 'google_sql_database_instance');
    delete instance.settings.tier;
    delete instance.database_version;
    expect(validateStack(json)).toEqual([
      { address: `google_sql_database_instance.${name}`, message: 'required argument "settings.tier" is missing' },
      { address: `google_sql_database_instance.${name}`, message: 'required argument "database_version" is missing' },
    ]);
  });

  test('block given twice', () => {
    const json = prod();
    const [name, instance] = first(json, 'google_sql_database_instance');
    instance.settings = [instance.settings, instance.settings];
    expect(validateStack(json)).toEqual([
      {
        address: `google_sql_database_instance.${name}`,
        message: 'block "settings" is given 2 times; it is allowed at most once',
      },
    ]);
  });

  test('dangling reference, and a reference to an attribute the type lacks', () => {
    const json = prod();
    const [name, db] = first(json, 'google_sql_database');
    db.instance = '${google_sql_database_instance.gone.name}';
    const [, user] = first(json, 'google_sql_user');
    user.instance = user.instance.replace('.name}', '.nmae}');
    const problems = validateStack(json);
    expect(problems).toContainEqual({
      address: `google_sql_database.${name}`,
      message: 'instance refers to google_sql_database_instance.gone, which is not declared',
    });
    expect(problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(
        /^instance reads google_sql_database_instance\.\w+\.nmae, which google_sql_database_instance does not have$/,
      ),
    );
    expect(problems).toHaveLength(2);
  });

  test('ephemeral value outside a write-only argument (an argument or an output)', () => {
    const json = prod();
    const [name, user] = first(json, 'google_sql_user');
    user.password = user.password_wo;
    json.output.leak = { value: '${ephemeral.random_password.database_password.result}' };
    expect(validateStack(json)).toEqual([
      { address: 'output.leak', message: 'value holds an ephemeral value; only write-only (*_wo) arguments may' },
      {
        address: `google_sql_user.${name}`,
        message: 'password holds an ephemeral value; only write-only (*_wo) arguments may',
      },
    ]);
  });

  test('depends_on and replace_triggered_by must name declared resources', () => {
    const json = prod();
    const [name, version] = first(json, 'google_secret_manager_secret_version');
    version.lifecycle.replace_triggered_by = ['terraform_data.nothing'];
    expect(validateStack(json)).toEqual([
      {
        address: `google_secret_manager_secret_version.${name}`,
        message: 'lifecycle.replace_triggered_by.0 refers to terraform_data.nothing, which is not declared',
      },
    ]);
  });
});
