/**
 * Every stack we synthesize is checked against the schema the provider packages were generated
 * from (google / google-beta 6.50.0 through @cdktf/provider-google(-beta) 16.12.1): resource
 * types, arguments, nested blocks, required arguments, blocks allowed at most once, references
 * to declared resources and their attributes, and ephemeral values only in `*_wo` arguments.
 * Planted faults show each kind is caught.
 */
import * as cdktf from 'cdktf';
import { App, TerraformStack } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { TwentyBootstrapStack } from '../constructs/bootstrap/twenty-bootstrap-stack';
import { FirebaseProxyHosting } from '../constructs/front-door/firebase-proxy-hosting';
import { HttpsLoadBalancer } from '../constructs/front-door/https-load-balancer';
import { synthApp } from '../constructs/stack/synth-app';
import { bootstrapFor } from '../examples/environments/bootstrap';
import { ENVIRONMENTS } from '../examples/environments/environments';
import { TwentyStack } from '../constructs/stack/twenty-stack';
import { backendStack } from './support/front-door';
import { bindingFiles, EPHEMERAL_SCHEMAS, schemaOf, validateStack } from './support/provider-schema';
import { budgetExample, Json, MINIMAL, synthJson } from './support/synth';

/**
 * Each stack of an app built as its main.ts builds it, synthesized by `synthApp` into a temp
 * outdir: the `cdk.tf.json` files `cdktf deploy` reads, by stack name.
 */
function appStacks(build: (app: App) => void): (readonly [string, Json])[] {
  const outdir = mkdtempSync(join(tmpdir(), 'schema-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    build(app);
    const silent = () => undefined;
    synthApp(app, { out: silent, err: silent });
    return app.node.children
      .filter((c): c is TerraformStack => TerraformStack.isStack(c))
      .map((stack) => {
        const file = join(outdir, 'stacks', stack.node.id, 'cdk.tf.json');
        return [stack.node.id, JSON.parse(readFileSync(file, 'utf8'))] as const;
      });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** examples/environments/main.ts (the environments and the bootstrap), examples/minimal/main.ts, and the budget variant. */
const environments = [
  ...appStacks((app) => {
    for (const env of ENVIRONMENTS) new TwentyStack(app, env);
    new TwentyBootstrapStack(app, 'twenty-bootstrap', bootstrapFor(ENVIRONMENTS));
  }),
  ...appStacks((app) => new TwentyStack(app, MINIMAL)).map(
    ([name, json]) => [`${name} (examples/minimal)`, json] as const,
  ),
  ...appStacks((app) => new TwentyStack(app, budgetExample())),
];

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
  test('the stacks are every example stack', () => {
    expect(environments.map(([name]) => name)).toEqual([
      'twenty-dev',
      'twenty-prod',
      'twenty-bootstrap',
      'twenty-prod (examples/minimal)',
      'twenty-budget',
    ]);
    const budget = environments.find(([name]) => name === 'twenty-budget')![1];
    expect(Object.keys(budget.resource)).toContain('google_billing_budget');
    expect(Object.keys(budget.data)).toEqual(['google_project']);
    expect(Object.keys(budget.ephemeral)).toEqual(['random_password']);
  });

  test.each(environments)('stack %s', (_name, json) => {
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

  test('ephemeral types come from the recorded provider source, as the bindings have none', () => {
    // cdktf 0.21 has no ephemeral resource class, so no binding package can describe one.
    expect(Object.keys(cdktf)).not.toContain('TerraformEphemeralResource');
    expect(Object.keys(EPHEMERAL_SCHEMAS)).toEqual(['random_password']);
    const password = schemaOf('ephemeral', 'random_password', 'random')!;
    expect(password.root.args.get('length')).toEqual({ required: true });
    expect(password.root.args.has('result')).toBe(false); // computed only
    expect(password.attributes.has('result')).toBe(true);
  });
});

describe('planted faults are caught', () => {
  const prod = () => JSON.parse(JSON.stringify(environments.find(([n]) => n === 'twenty-prod')![1]));
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

  test('ephemeral block: unknown argument, missing required argument, unknown type, unknown attribute read', () => {
    const json = prod();
    const [name, password] = Object.entries(json.ephemeral.random_password)[0] as [string, Json];
    password.min_digits = 1;
    delete password.length;
    json.ephemeral.random_passwd = { x: { length: 8 } };
    const [user, config] = first(json, 'google_sql_user');
    config.password_wo = config.password_wo.replace('.result}', '.resutl}');
    expect(validateStack(json)).toEqual([
      { address: `ephemeral.random_password.${name}`, message: 'unknown argument "min_digits"' },
      { address: `ephemeral.random_password.${name}`, message: 'required argument "length" is missing' },
      {
        address: 'ephemeral.random_passwd.x',
        message: 'unknown ephemeral resource type "random_passwd" in the recorded ephemeral schemas',
      },
      {
        address: `google_sql_user.${user}`,
        message: `password_wo reads ephemeral.random_password.${name}.resutl, which random_password does not have`,
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
