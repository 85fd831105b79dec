/**
 * The synth review: two cdktf.out folders that differ in known ways (hand-written fixtures
 * and TwentyStack synthesized with changed configs), the Markdown report, its flags and exit codes.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdktf';
import { reviewApps } from '../../constructs/review/diff';
import { diffValues } from '../../constructs/review/values';
import { EXIT_ERROR, EXIT_FLAGGED, EXIT_OK, main, USAGE } from '../../constructs/review/cli';
import { loadOutdir } from '../../constructs/review/synth';
import type { TwentyStackConfig } from '../../constructs/stack/twenty-stack';
import { TwentyStack } from '../../constructs/stack/twenty-stack';
import { envByName } from '../support/synth';

const FIXTURES = join(__dirname, '..', 'fixtures', 'review');
const DELETION_PROTECTION_NOTE =
  '`deletion_protection` is on in state: the apply stops with an error before it destroys this. To go ahead on purpose, first apply `deletionProtection: false` alone, then this change.';
const BASE = join(FIXTURES, 'base');
const CHANGE = join(FIXTURES, 'change');

function run(argv: string[], cwd = FIXTURES) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('hand-written fixtures', () => {
  const stacks = reviewApps(loadOutdir(BASE), loadOutdir(CHANGE));
  const demo = stacks.find((s) => s.stack === 'twenty-demo')!;

  test('the Markdown report', () => {
    const { code, stdout } = run(['--from', 'base', '--to', 'change']);
    expect(code).toBe(EXIT_FLAGGED);
    expect(stdout).toMatchSnapshot();
  });

  test('every flag, by kind and address', () => {
    expect(demo.flags.map((f) => `${f.kind} ${f.address}`)).toEqual([
      'protection-off google_cloud_run_v2_service.web',
      'rename google_secret_manager_secret.old_name',
      'replace google_secret_manager_secret.url',
      'protection-off google_secret_manager_secret_version.v',
      'replace google_secret_manager_secret_version.v',
      'protection-off google_sql_database_instance.db',
      'protection-off google_sql_database_instance.db',
      'replace google_sql_database_instance.db',
      'protection-off google_storage_bucket.files',
      'replace google_storage_bucket.files',
      'destroy google_storage_hmac_key.files',
      'state terraform.backend',
    ]);
    expect(stacks.find((s) => s.stack === 'twenty-old')!.flags).toEqual([
      {
        kind: 'destroy',
        address: 'twenty-old',
        message:
          'the environment is no longer in the app: its 2 stateful resources stay in state unmanaged, and `cdktf destroy twenty-old` would delete them.',
      },
    ]);
    expect(stacks.find((s) => s.stack === 'twenty-new')).toMatchObject({
      status: 'added',
      added: ['google_storage_bucket.files'],
      flags: [],
    });
  });

  test('a database_version downgrade, forcing attributes and what is replaced with them are flagged', () => {
    const messages = demo.flags.filter((f) => f.kind === 'replace').map((f) => f.message);
    expect(messages).toEqual([
      '`replication` changes (`replication.auto`, `replication.user_managed`), which forces replacement: the resource is destroyed and recreated, losing the secret and all its versions (a lost ENCRYPTION_KEY or APP_SECRET makes stored credentials and tokens unreadable).',
      'replaced along with `google_secret_manager_secret.url`: its `secret` is `${google_secret_manager_secret.url.id}`, which forces replacement, losing the secret value: a write-only value is not in state, so a new version holds a new value (for ENCRYPTION_KEY: what the old key encrypted can no longer be read).',
      'database_version goes down from POSTGRES_16 to POSTGRES_15: Cloud SQL only upgrades in place, a downgrade recreates the instance.',
      '`location` changes ("US" → "EU"), which forces replacement: the resource is destroyed and recreated, losing the bucket and every uploaded file.',
    ]);
  });

  test('a `moved` block is a move, not a destroy, and references to the old address are no change', () => {
    expect(demo.moved).toEqual([
      { from: 'google_secret_manager_secret.moved_a', to: 'google_secret_manager_secret.moved_b' },
    ]);
    expect(demo.removed).not.toContain('google_secret_manager_secret.moved_a');
    expect(demo.changed.map((c) => c.address)).not.toContain('google_secret_manager_secret_version.key_v');
  });

  test('`//` metadata is ignored, references stay references, literal secrets are hidden', () => {
    const paths = demo.changed.flatMap((c) => c.changes.map((x) => x.path));
    expect(paths.filter((p) => p.includes('//'))).toEqual([]);
    expect(demo.other.map((o) => o.path)).toEqual(['output.url.description', 'terraform.backend.gcs.prefix']);
    const version = demo.changed.find((c) => c.address === 'google_secret_manager_secret_version.v')!;
    expect(version.changes).toContainEqual({
      path: 'secret_data_wo',
      from: '${ephemeral.random_password.a.result}',
      to: '${ephemeral.random_password.b.result}',
    });
    const user = demo.changed.find((c) => c.address === 'google_sql_user.user')!;
    expect(user.changes).toEqual([{ path: 'password', from: '(literal value hidden)', to: '(literal value hidden)' }]);
    expect(run(['--from', 'base', '--to', 'change']).stdout).not.toContain('hunter');
  });

  test('list items with a name are compared by name, not position', () => {
    const web = demo.changed.find((c) => c.address === 'google_cloud_run_v2_service.web')!;
    expect(web.changes.map((c) => c.path)).toEqual([
      'deletion_protection',
      'template.containers[name=twenty].env[name=SERVER_URL].value',
      'template.containers[name=twenty].env[name=APP_SECRET].value_source.secret_key_ref.secret',
      'template.containers[name=twenty].env[name=IS_MULTIWORKSPACE_ENABLED]',
      'template.containers[name=twenty].image',
    ]);
  });

  test('--allow-destroy keeps the report and exits 0', () => {
    const { code, stdout } = run(['--from', 'base', '--to', 'change', '--allow-destroy']);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain('> [!WARNING]\n> **13 dangerous changes**');
    expect(stdout).toContain('> Accepted with `--allow-destroy`.');
  });

  test('identical folders: no flags, exit 0', () => {
    const { code, stdout } = run(['--from', 'base', '--to', 'base']);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain('No destroyed, replaced or unprotected stateful resources.');
    expect(stdout).toContain('### `twenty-demo`\n\nNo changes.');
  });

  test('the reverse direction: what the change added is removed, stateful renames and stacks flagged', () => {
    const back = reviewApps(loadOutdir(CHANGE), loadOutdir(BASE));
    const demoBack = back.find((s) => s.stack === 'twenty-demo')!;
    // Both secrets come back under their old addresses, and the base config has no moved block.
    expect(demoBack.flags.filter((f) => f.kind === 'rename').map((f) => f.address)).toEqual([
      'google_secret_manager_secret.moved_b',
      'google_secret_manager_secret.new_name',
    ]);
    // The service account the change added is an identity: removing it is a destroy.
    expect(demoBack.flags.filter((f) => f.kind === 'destroy').map((f) => f.address)).toEqual([
      'google_service_account.files',
    ]);
    expect(back.find((s) => s.stack === 'twenty-new')!.flags.map((f) => `${f.kind} ${f.address}`)).toEqual([
      'destroy twenty-new',
    ]);
  });
});

test('lists of plain values: added and removed items one by one, a reorder as a whole', () => {
  expect(diffValues({ depends_on: ['a', 'b', 'c'] }, { depends_on: ['a', 'c', 'd'] })).toEqual([
    { path: 'depends_on[]', from: 'b' },
    { path: 'depends_on[]', to: 'd' },
  ]);
  expect(diffValues({ args: ['-c', 'x'] }, { args: ['x', '-c'] })).toEqual([
    { path: 'args', from: ['-c', 'x'], to: ['x', '-c'] },
  ]);
});

describe('usage errors exit 1 with the reason', () => {
  test.each([
    [[], 'review: give <base-ref> or --from DIR\n'],
    [['main', '--from', 'base'], 'review: give either <base-ref> or --from DIR, not both\n'],
    [['a', 'b'], 'review: one base ref expected, got 2: a b\n'],
    [['--from'], 'review: --from needs a value\n'],
    [['--frm', 'x'], 'review: unknown option --frm\n'],
  ])('%j', (argv, message) => {
    const { code, stderr, stdout } = run(argv as string[]);
    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toBe(`${message}\n${USAGE}\n`);
    expect(stdout).toBe('');
  });

  test('a folder that is not a cdktf.out', () => {
    const { code, stderr } = run(['--from', 'base/stacks', '--to', 'change']);
    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toBe(
      `review: ${join(BASE, 'stacks')} holds no manifest.json and no stacks/*/cdk.tf.json; give a cdktf.out folder\n`,
    );
  });
});

describe('synthesized fixtures: TwentyStack with changed configs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'review-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function synthTo(dir: string, envs: TwentyStackConfig[]): string {
    const outdir = join(tmp, dir);
    const app = new App({ outdir, stackTraces: false });
    for (const env of envs) new TwentyStack(app, env);
    app.synth();
    return outdir;
  }

  const dev = envByName('dev');
  const prod = envByName('prod');
  // Known differences: the dev instance renamed and unprotected, dev's service scaled out.
  const before = synthTo('before', [{ ...dev, database: { ...dev.database, deletionProtection: true } }, prod]);
  const after = synthTo('after', [
    {
      ...dev,
      database: { ...dev.database, instanceName: 'twenty-dev-b' },
      service: { ...dev.service, maxInstances: 5 },
    },
    prod,
  ]);
  const [devReview, prodReview] = reviewApps(loadOutdir(before), loadOutdir(after));

  test('dev: exactly the instance and the service change', () => {
    expect(devReview).toMatchObject({ stack: 'twenty-dev', added: [], removed: [], moved: [], other: [] });
    expect(devReview.changed).toEqual([
      {
        address: 'google_cloud_run_v2_service.server_Service_EB7DAE56',
        changes: [{ path: 'template.scaling.max_instance_count', from: 3, to: 5 }],
      },
      {
        // The cloudsql.client grant's IAM condition names the instance.
        address: 'google_project_iam_member.database_Client-ServiceAccount_629F3551',
        changes: [
          {
            path: 'condition.description',
            from: 'Connect to the Cloud SQL instance twenty-dev only',
            to: 'Connect to the Cloud SQL instance twenty-dev-b only',
          },
          {
            path: 'condition.expression',
            from: "resource.name == 'projects/acme-twenty-dev/instances/twenty-dev' && resource.type == 'sqladmin.googleapis.com/Instance'",
            to: "resource.name == 'projects/acme-twenty-dev/instances/twenty-dev-b' && resource.type == 'sqladmin.googleapis.com/Instance'",
          },
          { path: 'condition.title', from: 'cloudsql-client-twenty-dev', to: 'cloudsql-client-twenty-dev-b' },
        ],
      },
      {
        address: 'google_sql_database_instance.database_Instance_1B6129A2',
        changes: [
          { path: 'deletion_protection', from: true, to: false },
          { path: 'name', from: 'twenty-dev', to: 'twenty-dev-b' },
          { path: 'settings.deletion_protection_enabled', from: true, to: false },
        ],
      },
      {
        // The URL's inputs: the instance name is part of PG_DATABASE_URL.
        address: 'terraform_data.database_UrlInputs_5C7946CC',
        changes: [{ path: 'triggers_replace.instance', from: 'twenty-dev', to: 'twenty-dev-b' }],
      },
    ]);
  });

  test('dev: the rename replaces the instance, its database, user and URL secret version, and both deletion guards go off', () => {
    expect(devReview.flags).toEqual([
      {
        kind: 'replace',
        address: 'google_secret_manager_secret_version.database_UrlSecret_Version_16E039E7',
        message:
          'replaced along with `terraform_data.database_UrlInputs_5C7946CC`: its `lifecycle.replace_triggered_by` names it, losing the secret value: a write-only value is not in state, so a new version holds a new value (for ENCRYPTION_KEY: what the old key encrypted can no longer be read).',
      },
      {
        kind: 'replace',
        address: 'google_sql_database.database_Database_EB50BB6F',
        message:
          "replaced along with `google_sql_database_instance.database_Instance_1B6129A2`: its `instance` is `${google_sql_database_instance.database_Instance_1B6129A2.name}`, which forces replacement, losing the database (Twenty's data).",
      },
      {
        kind: 'protection-off',
        address: 'google_sql_database_instance.database_Instance_1B6129A2',
        message: '`deletion_protection` turned off (true → false)',
      },
      {
        kind: 'protection-off',
        address: 'google_sql_database_instance.database_Instance_1B6129A2',
        message: '`settings.deletion_protection_enabled` turned off (true → false)',
      },
      {
        kind: 'replace',
        address: 'google_sql_database_instance.database_Instance_1B6129A2',
        message:
          '`name` changes ("twenty-dev" → "twenty-dev-b"), which forces replacement: the resource is destroyed and recreated, losing the Cloud SQL instance with ALL its data, and its automated backups unless they are retained on delete.',
        note: DELETION_PROTECTION_NOTE,
      },
      {
        kind: 'replace',
        address: 'google_sql_user.database_User_78138AD1',
        message:
          'replaced along with `google_sql_database_instance.database_Instance_1B6129A2`: its `instance` is `${google_sql_database_instance.database_Instance_1B6129A2.name}`, which forces replacement, losing the database user; a new one gets a new password.',
      },
    ]);
  });

  test('prod: no changes', () => {
    expect(prodReview).toMatchObject({
      stack: 'twenty-prod',
      added: [],
      removed: [],
      changed: [],
      other: [],
      flags: [],
    });
  });

  test('the CLI on the two folders exits 2, and 0 with --allow-destroy', () => {
    expect(run(['--from', before, '--to', after]).code).toBe(EXIT_FLAGGED);
    expect(run(['--from', before, '--to', after, '--allow-destroy']).code).toBe(EXIT_OK);
    expect(run(['--from', before, '--to', before]).code).toBe(EXIT_OK);
  });
});

describe('<base-ref>: the ref is synthesized in a temporary git worktree', () => {
  const repo = mkdtempSync(join(tmpdir(), 'review-git-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: repo,
      encoding: 'utf8',
    }).trim();
  // A stand-in app: writes one stack from config.json into $CDKTF_OUTDIR and records whether node_modules is there.
  const appJs = `
const fs = require('fs'); const path = require('path');
const out = process.env.CDKTF_OUTDIR; const cfg = JSON.parse(fs.readFileSync('config.json', 'utf8'));
if (cfg.fail) { console.error('boom: ' + cfg.fail); process.exit(3); }
fs.mkdirSync(path.join(out, 'stacks', 'twenty-git'), { recursive: true });
const stack = { resource: { google_storage_bucket: { files: { name: cfg.bucket, location: 'US', labels: { node_modules: String(fs.existsSync('node_modules/marker')) } } } } };
fs.writeFileSync(path.join(out, 'stacks', 'twenty-git', 'cdk.tf.json'), JSON.stringify(stack));
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ stacks: { 'twenty-git': { synthesizedStackPath: 'stacks/twenty-git/cdk.tf.json' } } }));
console.log('synthesized ' + cfg.bucket);
`;
  beforeAll(() => {
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'app.js'), appJs);
    writeFileSync(join(repo, 'cdktf.json'), JSON.stringify({ app: 'node app.js' }));
    writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
    writeFileSync(join(repo, 'config.json'), JSON.stringify({ bucket: 'acme-files' }));
    mkdirSync(join(repo, 'node_modules'));
    writeFileSync(join(repo, 'node_modules', 'marker'), '');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    // The uncommitted working tree is what gets reviewed.
    writeFileSync(join(repo, 'config.json'), JSON.stringify({ bucket: 'acme-files-2' }));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('compares the ref with the working tree, links node_modules, and removes the worktree', () => {
    const sha = git('rev-parse', '--short', 'HEAD');
    const { code, stdout, stderr } = run(['main'], repo);
    expect(stderr).toBe(
      'review: synthesizing main\nsynthesized acme-files\nreview: synthesizing the working tree\nsynthesized acme-files-2\n',
    );
    expect(code).toBe(EXIT_FLAGGED);
    expect(stdout).toContain(`## Synth review: \`main (${sha})\` → \`working tree\``);
    expect(stdout).toContain('| `name` | `"acme-files"` | `"acme-files-2"` |');
    expect(stdout).toContain(
      '- **REPLACE** `google_storage_bucket.files`: `name` changes ("acme-files" → "acme-files-2")',
    );
    // labels.node_modules is "true" on both sides: the worktree saw the linked node_modules.
    expect(stdout).not.toContain('labels');
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(execFileSync('ls', [join(repo, 'node_modules')], { encoding: 'utf8' })).toBe('marker\n');
  });

  test('an unknown ref exits 1', () => {
    const { code, stderr } = run(['no-such-branch'], repo);
    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toBe(
      `review: synthesizing no-such-branch\nreview: "no-such-branch" is not a commit in ${git('rev-parse', '--show-toplevel')}; give a branch, tag or commit\n`,
    );
  });

  test('a failing synth exits 1 with the app output', () => {
    writeFileSync(join(repo, 'config.json'), JSON.stringify({ fail: 'guardrail error' }));
    const { code, stderr } = run(['main'], repo);
    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toContain(
      `review: synth failed in ${repo} (\`node app.js\` exited with 3):\nboom: guardrail error\n`,
    );
    expect(git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });
});

test('one REPLACE per resource: a database_version downgrade and a name change are one flag naming both', () => {
  const instance = (name: string, version: string) => ({
    resource: { google_sql_database_instance: { db: { name, database_version: version, region: 'us-east1' } } },
  });
  const [review] = reviewApps({ s: instance('a', 'POSTGRES_16') }, { s: instance('b', 'POSTGRES_15') });
  expect(review.flags).toEqual([
    {
      kind: 'replace',
      address: 'google_sql_database_instance.db',
      message:
        'database_version goes down from POSTGRES_16 to POSTGRES_15: Cloud SQL only upgrades in place, a downgrade recreates the instance; `name` changes ("a" → "b"), which forces replacement: the resource is destroyed and recreated, losing the Cloud SQL instance with ALL its data, and its automated backups unless they are retained on delete.',
      note: DELETION_PROTECTION_NOTE,
    },
  ]);
});
