/**
 * Issue 13: the review cases that exited 0 (each fails on the review before the catalogue), the
 * catalogue shared with the stability test, safe file reading, and `--plan` on real plans made
 * offline by Terraform from providers-free `terraform_data` configurations.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CATALOGUE, PROVIDER_TAG, STATEFUL_TYPES } from '../../constructs/review/catalogue';
import { EXIT_ERROR, EXIT_FLAGGED, EXIT_OK, main } from '../../constructs/review/cli';
import { reviewStack } from '../../constructs/review/diff';
import { renderMarkdown } from '../../constructs/review/markdown';
import type { Flag } from '../../constructs/review/types';
import { readJsonFile } from '../../constructs/review/files';
import { reviewPlan } from '../../constructs/review/plan';
import { App } from 'cdktf';
import { TwentyBootstrapStack } from '../../constructs/bootstrap/twenty-bootstrap-stack';
import { SUPPRESSIONS_KEY } from '../../constructs/core/json';
import { synthApp } from '../../constructs/stack/synth-app';
import { bootstrapFor } from '../../examples/environments/bootstrap';
import { ENVIRONMENTS } from '../../examples/environments/environments';
import { envByName, exampleStacks, Json, synthEnv } from '../support/synth';
import { requireTerraform } from '../support/terraform';

const dev = synthEnv(envByName('dev'));
const prod = synthEnv(envByName('prod'));
const copy = (json: Json): Json => JSON.parse(JSON.stringify(json));
const nameOf = (json: Json, type: string, match: (cfg: Json) => boolean = () => true): string => {
  const hit = Object.entries(json.resource[type] as Record<string, Json>).find(([, cfg]) => match(cfg));
  if (!hit) throw new Error(`no ${type}`);
  return hit[0];
};
const flagsOf = (from: Json, to: Json): string[] =>
  reviewStack('s', from, to).flags.map((f: Flag) => `${f.kind} ${f.address}`);

function run(argv: string[], cwd = tmpdir()) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Whether the catalogue has ForceNew facts for `type`, with the provider source file they were read from. */
const sourced = (type: string): boolean =>
  Array.isArray(CATALOGUE[type]?.forceNew) &&
  /^((google(-beta)?\/(services\/[a-z0-9]+|tpgiamresource)|internal\/provider)\/(resource|iam)_[a-z0-9_]+\.go|built in; )/.test(
    CATALOGUE[type]?.source?.file ?? '',
  );

describe('the catalogue of what is lost', () => {
  const stacks = exampleStacks();
  const emitted = [...new Set(stacks.flatMap(([, json]) => Object.keys(json.resource)))].sort();

  test('the example stacks are the environments, the bootstrap, the minimal example and the budget variant', () => {
    expect(stacks.map(([name]) => name)).toEqual(['dev', 'prod', 'bootstrap', 'minimal', 'budget']);
    // Not resources, so not in the catalogue: data sources are only read, and the ephemeral
    // random_password is never in state (nothing to destroy).
    expect([...new Set(stacks.flatMap(([, json]) => Object.keys(json.data ?? {})))]).toEqual(['google_project']);
    expect([...new Set(stacks.flatMap(([, json]) => Object.keys(json.ephemeral ?? {})))]).toEqual(['random_password']);
  });

  test('every type the example stacks emit has its ForceNew arguments from the provider source', () => {
    expect(PROVIDER_TAG).toBe('v6.50.0');
    expect(emitted.filter((type) => !sourced(type))).toEqual([]);
  });

  test('a type the catalogue lacks fails that check (negative control)', () => {
    expect(sourced('google_iam_deny_policy')).toBe(false);
    expect(sourced('google_billing_budget')).toBe(true);
  });

  test('covers every stateful or identity-bearing type emitted', () => {
    const required = [
      'google_sql_database_instance',
      'google_sql_database',
      'google_sql_user',
      'google_secret_manager_secret',
      'google_secret_manager_secret_version',
      'google_storage_bucket',
      'google_storage_hmac_key',
      'google_service_account',
      'google_compute_global_address',
      'google_compute_managed_ssl_certificate',
      'google_firebase_hosting_site',
      'google_firebase_hosting_custom_domain',
      'google_iam_workload_identity_pool',
      'google_iam_workload_identity_pool_provider',
    ];
    for (const t of required) expect(STATEFUL_TYPES).toContain(t);
    for (const t of required) expect(emitted).toContain(t);
  });

  test.each([
    ['google_sql_database_instance', ['name', 'region', 'project', 'encryption_key_name', 'settings.disk_type']],
    ['google_secret_manager_secret_version', ['secret', 'secret_data_wo_version']],
    ['google_service_account', ['account_id', 'project']],
    ['google_cloud_run_v2_service', ['location', 'name', 'project']],
    ['google_storage_hmac_key', ['service_account_email', 'project']],
    ['google_compute_managed_ssl_certificate', ['managed', 'name']],
    ['google_iam_workload_identity_pool', ['workload_identity_pool_id', 'project']],
    ['google_iam_workload_identity_pool_provider', ['workload_identity_pool_id', 'workload_identity_pool_provider_id']],
    ['google_service_account_iam_member', ['service_account_id', 'role', 'member']],
    ['google_billing_budget', ['billing_account']],
  ])('%s is replaced on a change of %j', (type, args) => {
    expect(CATALOGUE[type].forceNew).toEqual(expect.arrayContaining(args));
  });

  test("the bootstrap's workload identity pool: a destroy says what CI loses; a new pool id replaces its provider too", () => {
    const bootstrap = stacks.find(([name]) => name === 'bootstrap')![1];
    const pool = nameOf(bootstrap, 'google_iam_workload_identity_pool');
    const removed = copy(bootstrap);
    delete removed.resource.google_iam_workload_identity_pool[pool];
    expect(reviewStack('s', bootstrap, removed).flags.find((f) => f.address.endsWith(`.${pool}`))).toEqual({
      kind: 'destroy',
      address: `google_iam_workload_identity_pool.${pool}`,
      message: `stateful resource removed: Terraform destroys it, losing ${CATALOGUE.google_iam_workload_identity_pool.loses}.`,
    });
    const renamed = copy(bootstrap);
    renamed.resource.google_iam_workload_identity_pool[pool].workload_identity_pool_id = 'github-renamed';
    const provider = nameOf(bootstrap, 'google_iam_workload_identity_pool_provider');
    expect(flagsOf(bootstrap, renamed)).toEqual(
      expect.arrayContaining([
        `replace google_iam_workload_identity_pool.${pool}`,
        `replace google_iam_workload_identity_pool_provider.${provider}`,
      ]),
    );
  });

  test('a write-only password version does not force a new SQL user (negative control)', () => {
    expect(CATALOGUE.google_sql_user.forceNew).not.toContain('password_wo_version');
    expect(CATALOGUE.google_sql_user.forceNew).not.toContain('password');
  });
});

describe('issue 13: changes the review let through', () => {
  test('an ENCRYPTION_KEY secret_data_wo_version bump replaces the version', () => {
    const to = copy(dev);
    const v = nameOf(dev, 'google_secret_manager_secret_version', (c) => /EncryptionKey/i.test(c.secret));
    to.resource.google_secret_manager_secret_version[v].secret_data_wo_version += 1;
    const flag = reviewStack('s', dev, to).flags.find((f) => f.address === `google_secret_manager_secret_version.${v}`);
    expect(flag).toMatchObject({
      kind: 'replace',
      message: expect.stringMatching(
        /^`secret_data_wo_version` changes \(1 → 2\), which forces replacement: .*for ENCRYPTION_KEY: what the old key encrypted can no longer be read/,
      ),
    });
  });

  test('a service account account_id change replaces the account and, in turn, its HMAC key', () => {
    const to = copy(dev);
    const sa = nameOf(dev, 'google_service_account');
    to.resource.google_service_account[sa].account_id = 'twenty-dev-renamed';
    const flags = flagsOf(dev, to);
    expect(flags).toContain(`replace google_service_account.${sa}`);
    expect(flags).toContain(`replace google_storage_hmac_key.${nameOf(dev, 'google_storage_hmac_key')}`);
    const hmac = reviewStack('s', dev, to).flags.find((f) => f.address.startsWith('google_storage_hmac_key.'))!;
    expect(hmac.message).toMatch(
      /^replaced along with `google_service_account\.[^`]+`: its `service_account_email` is `\$\{google_service_account\.[^`]+\.email\}`, which forces replacement, losing the HMAC key/,
    );
  });

  test('a removed or renamed global IP is a destroy or a rename, saying the DNS record points at a released address', () => {
    const ip = nameOf(prod, 'google_compute_global_address');
    const removed = copy(prod);
    delete removed.resource.google_compute_global_address[ip];
    const destroy = reviewStack('s', prod, removed).flags.find(
      (f) => f.address === `google_compute_global_address.${ip}`,
    );
    expect(destroy).toMatchObject({
      kind: 'destroy',
      message: expect.stringContaining('the DNS A record points at an address that is no longer yours'),
    });
    const renamed = copy(prod);
    renamed.resource.google_compute_global_address.front_door_Ip_new =
      renamed.resource.google_compute_global_address[ip];
    delete renamed.resource.google_compute_global_address[ip];
    expect(flagsOf(prod, renamed)).toContain(`rename google_compute_global_address.${ip}`);
  });

  test('protection turned from true into an expression is flagged', () => {
    const to = copy(prod);
    const db = nameOf(prod, 'google_sql_database_instance');
    to.resource.google_sql_database_instance[db].deletion_protection = '${var.protect}';
    expect(reviewStack('s', prod, to).flags).toEqual([
      {
        kind: 'protection-off',
        address: `google_sql_database_instance.${db}`,
        message:
          '`deletion_protection` changes from true to an expression, "${var.protect}": it is off whenever that value is false at plan time',
      },
    ]);
  });

  test('a Cloud Run location change is a REPLACE, with a note that deletion protection stops the apply', () => {
    const to = copy(prod);
    const run = nameOf(prod, 'google_cloud_run_v2_service');
    to.resource.google_cloud_run_v2_service[run].location = 'europe-west1';
    const flag = reviewStack('s', prod, to).flags.find(
      (f) => f.address === `google_cloud_run_v2_service.${run}` && f.kind === 'replace',
    );
    expect(flag).toEqual({
      kind: 'replace',
      address: `google_cloud_run_v2_service.${run}`,
      message:
        '`location` changes ("us-east1" → "europe-west1"), which forces replacement: the resource is destroyed and recreated, losing the service and its revisions: requests fail from its destroy until the new service serves.',
      note: '`deletion_protection` is on in state: the apply stops with an error before it destroys this. To go ahead on purpose, first apply `deletionProtection: false` alone, then this change.',
    });
  });

  test('a replacement that loses nothing (the IAM wait, a grant) is listed, not flagged (negative control)', () => {
    const to = copy(dev);
    const sleep = nameOf(dev, 'time_sleep');
    to.resource.time_sleep[sleep].triggers = { ...to.resource.time_sleep[sleep].triggers, extra: 'x' };
    const review = reviewStack('s', dev, to);
    expect(review.flags).toEqual([]);
    expect(review.replaced.map((f) => f.address)).toEqual([`time_sleep.${sleep}`]);
  });

  test('a key version replacement that prevent_destroy will refuse carries the note', () => {
    const to = copy(prod);
    const v = nameOf(prod, 'google_secret_manager_secret_version', (c) => /EncryptionKey/i.test(c.secret));
    expect(prod.resource.google_secret_manager_secret_version[v].lifecycle.prevent_destroy).toBe(true);
    to.resource.google_secret_manager_secret_version[v].secret_data_wo_version = 2;
    const flag = reviewStack('s', prod, to).flags.find(
      (f) => f.address === `google_secret_manager_secret_version.${v}` && f.kind === 'replace',
    );
    expect(flag?.note).toBe(
      '`lifecycle.prevent_destroy` is set: Terraform refuses this plan. To go ahead on purpose, first remove `prevent_destroy` (for the library constructs: `deletionProtection: false`) in its own reviewed change.',
    );
  });

  test('a certificate replacement is warned', () => {
    const to = copy(prod);
    const cert = nameOf(prod, 'google_compute_managed_ssl_certificate');
    to.resource.google_compute_managed_ssl_certificate[cert].managed.domains = ['crm2.example.com'];
    const flag = reviewStack('s', prod, to).flags.find(
      (f) => f.address === `google_compute_managed_ssl_certificate.${cert}`,
    );
    expect(flag?.message).toMatch(/^`managed` changes .*forces replacement: .*HTTPS fails until it is ACTIVE\.$/);
  });

  test('a domain change is one REPLACE of the certificate, naming every forcing argument, and one dangerous change', () => {
    const env = envByName('prod');
    const to = synthEnv({ ...env, frontDoor: { kind: 'load-balancer', domain: 'crm2.example.com' } });
    const cert = nameOf(prod, 'google_compute_managed_ssl_certificate');
    const name = (json: Json) => json.resource.google_compute_managed_ssl_certificate[cert].name;
    expect(name(to)).not.toBe(name(prod));
    const review = reviewStack('twenty-prod', prod, to);
    expect(review.flags).toEqual([
      {
        kind: 'replace',
        address: `google_compute_managed_ssl_certificate.${cert}`,
        message: `\`managed\` changes (\`managed.domains[]\`) and \`name\` changes ("${name(prod)}" → "${name(to)}"), which force replacement: the resource is destroyed and recreated, losing the managed certificate: a new one is issued only after DNS resolves to the load balancer, and HTTPS fails until it is ACTIVE.`,
      },
    ]);
    const report = renderMarkdown([review], { fromLabel: 'main', toLabel: 'working tree', allowDestroy: false });
    expect(report).toContain('> **1 dangerous change**: ');
    expect(report.split('\n').filter((l) => l.startsWith('- **REPLACE**'))).toHaveLength(1);
  });

  test('an IAM member that moves address (two resources managing one binding) is flagged', () => {
    const to = copy(dev);
    const m = nameOf(dev, 'google_project_iam_member');
    to.resource.google_project_iam_member.moved_grant = to.resource.google_project_iam_member[m];
    delete to.resource.google_project_iam_member[m];
    expect(flagsOf(dev, to)).toEqual([`iam-move google_project_iam_member.${m}`]);
  });

  test('a new guardrail suppression is listed and flagged; one the base has is only listed', () => {
    const record = {
      ruleId: 'IAM-PRIMITIVE-ROLE',
      address: 'google_project_iam_member.x',
      reason: 'Break-glass for TICKET-42',
      finding: '[IAM-PRIMITIVE-ROLE] ...',
    };
    const withIt = { ...copy(dev), '//': { [SUPPRESSIONS_KEY]: { production: false, suppressions: [record] } } };
    const added = reviewStack('s', dev, withIt);
    expect(added.flags.map((f) => f.kind)).toEqual(['suppression']);
    expect(added.suppressions).toEqual([{ ...record, isNew: true }]);
    const kept = reviewStack('s', withIt, withIt);
    expect(kept.flags).toEqual([]);
    expect(kept.suppressions).toEqual([{ ...record, isNew: false }]);
  });
});

describe('safe file reading', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'review-files-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('a FIFO is refused at once, without waiting for a writer', () => {
    const out = join(tmp, 'fifo-out');
    mkdirSync(join(out, 'stacks', 'twenty-dev'), { recursive: true });
    execFileSync('mkfifo', [join(out, 'stacks', 'twenty-dev', 'cdk.tf.json')]);
    const r = run(['--from', out, '--to', out]);
    expect(r).toMatchObject({
      code: EXIT_ERROR,
      stderr: `review: ${join(out, 'stacks', 'twenty-dev', 'cdk.tf.json')} is not a regular file (a FIFO); give a JSON file\n`,
    });
  });

  test('/dev/zero is refused without reading it', () => {
    expect(run(['--plan', '/dev/zero'])).toMatchObject({
      code: EXIT_ERROR,
      stderr: 'review: /dev/zero is not a regular file (a character device); give a JSON file\n',
    });
  });

  test('malformed JSON names the file', () => {
    const file = join(tmp, 'broken.json');
    writeFileSync(file, '{"format_version": ');
    const r = run(['--plan', file]);
    expect(r.code).toBe(EXIT_ERROR);
    expect(r.stderr).toMatch(new RegExp(`^review: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: `));
  });

  test('a file over the size cap is refused', () => {
    const file = join(tmp, 'big.json');
    writeFileSync(file, JSON.stringify({ a: 'x'.repeat(100) }));
    expect(() => readJsonFile(file, 50)).toThrow(
      `${file} is 108 bytes, more than the 50 a review reads; is it the right file?`,
    );
    expect(readJsonFile(file, 200)).toEqual({ a: 'x'.repeat(100) });
  });
});

describe('--plan: real plans made offline by terraform', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'review-plan-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const tf = (args: string[]) => {
    const r = spawnSync('terraform', args, {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
    });
    if (r.status !== 0) throw new Error(`terraform ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const data = (input: Json, replaceOn?: string) => ({ input, ...(replaceOn ? { triggers_replace: replaceOn } : {}) });
  const config = (resources: Record<string, Json>) =>
    writeFileSync(join(tmp, 'main.tf.json'), JSON.stringify({ resource: { terraform_data: resources } }));

  let plan: Json;
  beforeAll(() => {
    requireTerraform();
    config({
      instance: data({ name: 'twenty-dev', deletion_protection: true }, 'twenty-dev'),
      bucket: data({ name: 'acme-files' }),
      service: data({ name: 'twenty', deletion_protection: true }),
      grant_a: data({
        project: 'acme',
        role: 'roles/logging.logWriter',
        member: 'serviceAccount:twenty@acme.iam.gserviceaccount.com',
      }),
      label: data({ env: 'dev' }),
      secret: data('${sensitive("hunter2-old")}'),
    });
    tf(['init', '-no-color']);
    tf(['apply', '-auto-approve', '-no-color']);
    config({
      instance: data({ name: 'twenty-dev-b', deletion_protection: true }, 'twenty-dev-b'),
      service: data({ name: 'twenty', deletion_protection: false }),
      grant_b: data({
        project: 'acme',
        role: 'roles/logging.logWriter',
        member: 'serviceAccount:twenty@acme.iam.gserviceaccount.com',
      }),
      label: data({ env: 'dev' }),
      secret: data('${sensitive("hunter2-new")}'),
    });
    tf(['plan', '-out', 'plan.out', '-no-color']);
    plan = JSON.parse(tf(['show', '-json', 'plan.out']));
  }, 60_000);

  /** The real plan with terraform_data renamed to Google types, its `input` as their attributes. */
  const renamed = (types: Record<string, string>): Json => {
    const p = copy(plan);
    for (const c of p.resource_changes) {
      const type = types[c.name];
      c.address = `${type}.${c.name}`;
      c.type = type;
      for (const side of ['before', 'after', 'before_sensitive', 'after_sensitive']) {
        if (c.change[side] && typeof c.change[side] === 'object')
          c.change[side] = typeof c.change[side].input === 'object' ? c.change[side].input : {};
      }
      c.change.after_unknown = {};
      if (c.change.replace_paths) c.change.replace_paths = [['name']];
    }
    return p;
  };
  const google = {
    instance: 'google_sql_database_instance',
    bucket: 'google_storage_bucket',
    service: 'google_cloud_run_v2_service',
    grant_a: 'google_project_iam_member',
    grant_b: 'google_project_iam_member',
    label: 'google_project_service',
    secret: 'google_secret_manager_secret_version',
  };

  test('terraform wrote the actions the review reads', () => {
    const actions = Object.fromEntries(plan.resource_changes.map((c: Json) => [c.address, c.change.actions.join('+')]));
    expect(actions).toEqual({
      'terraform_data.instance': 'delete+create',
      'terraform_data.bucket': 'delete',
      'terraform_data.service': 'update',
      'terraform_data.grant_a': 'delete',
      'terraform_data.grant_b': 'create',
      'terraform_data.label': 'no-op',
      'terraform_data.secret': 'update',
    });
  });

  test('the real plan: protection turned off is flagged, exit 2 (0 with --allow-destroy); a terraform_data replacement loses nothing', () => {
    writeFileSync(join(tmp, 'plan.json'), JSON.stringify(plan));
    const r = run(['--plan', 'plan.json'], tmp);
    expect(r.code).toBe(EXIT_FLAGGED);
    expect(r.stdout).toContain(
      '- **PROTECTION OFF** `terraform_data.service`: `input.deletion_protection` turned off (true → false)',
    );
    expect(r.stdout).toContain(
      '#### Replaced, nothing lost (1)\n\n- `terraform_data.instance`: `triggers_replace` forces replacement: the resource is destroyed and recreated.',
    );
    expect(run(['--plan', 'plan.json', '--allow-destroy'], tmp).code).toBe(EXIT_OK);
    // show -json prints values it marks sensitive in clear; the report hides them.
    expect(JSON.stringify(plan)).toContain('hunter2-new');
    expect(r.stdout).not.toContain('hunter2-new');
    expect(r.stdout).toContain('| `input` | `"(literal value hidden)"` | `"(sensitive value hidden, changed)"` |');
    // Values known only after apply are not read as protection turned off.
    expect(r.stdout).not.toContain('`output.deletion_protection`');
  });

  test('renamed to the Google types: the same dangers as the synth review', () => {
    const review = reviewPlan('dev.json', renamed(google));
    expect(review.flags).toEqual([
      {
        kind: 'protection-off',
        address: 'google_cloud_run_v2_service.service',
        message: '`deletion_protection` turned off (true → false)',
      },
      expect.objectContaining({ kind: 'iam-move', address: 'google_project_iam_member.grant_a' }),
      {
        kind: 'replace',
        address: 'google_sql_database_instance.instance',
        message:
          '`name` forces replacement: the resource is destroyed and recreated, losing the Cloud SQL instance with ALL its data, and its automated backups unless they are retained on delete.',
        note: '`deletion_protection` is on in state: the apply stops with an error before it destroys this. To go ahead on purpose, first apply `deletionProtection: false` alone, then this change.',
      },
      {
        kind: 'destroy',
        address: 'google_storage_bucket.bucket',
        message: 'the plan destroys it, losing the bucket and every uploaded file.',
      },
    ]);
  });

  test('an IAM member move is found by its grant, not by computed attributes (id, etag)', () => {
    const p = renamed(google);
    for (const c of p.resource_changes)
      if (c.name === 'grant_a')
        c.change.before = { ...c.change.before, id: 'acme/roles/logging.logWriter/x', etag: 'BwX1' };
    expect(
      reviewPlan('dev.json', p)
        .flags.filter((f) => f.kind === 'iam-move')
        .map((f) => f.address),
    ).toEqual(['google_project_iam_member.grant_a']);
    for (const c of p.resource_changes)
      if (c.name === 'grant_b') c.change.after = { ...c.change.after, role: 'roles/logging.viewer' };
    expect(reviewPlan('dev.json', p).flags.filter((f) => f.kind === 'iam-move')).toEqual([]);
  });

  test('a replacement of a type the catalogue does not know stays flagged', () => {
    const p = copy(plan);
    for (const c of p.resource_changes)
      if (c.name === 'instance') Object.assign(c, { type: 'acme_thing', address: 'acme_thing.instance' });
    expect(
      reviewPlan('x.json', p)
        .flags.filter((f) => f.kind === 'replace')
        .map((f) => f.address),
    ).toEqual(['acme_thing.instance']);
  });

  test('a plan of only safe changes exits 0 (negative control)', () => {
    const safe = copy(plan);
    safe.resource_changes = safe.resource_changes.filter((c: Json) => c.address === 'terraform_data.label');
    writeFileSync(join(tmp, 'safe.json'), JSON.stringify(safe));
    expect(run(['--plan', 'safe.json'], tmp)).toMatchObject({ code: EXIT_OK });
  });

  test('--synth lists the guardrail suppressions of the stack the plan was made from (a plan has none)', () => {
    // The bootstrap as the example app writes it: its cdk.tf.json records its built-in suppressions.
    const outdir = join(tmp, 'cdktf.out');
    const app = new App({ outdir, stackTraces: false });
    new TwentyBootstrapStack(app, 'twenty-bootstrap', bootstrapFor(ENVIRONMENTS));
    synthApp(app, { out: () => undefined, err: () => undefined });
    const synth = join('cdktf.out', 'stacks', 'twenty-bootstrap', 'cdk.tf.json');
    const recorded = readJsonFile(join(tmp, synth))['//'][SUPPRESSIONS_KEY].suppressions;
    expect(recorded.length).toBeGreaterThan(0);
    // The terraform_data plan, plus the no-op entry `terraform show -json` lists for one of the
    // bootstrap's resources: a plan of that stack as far as the review can tell.
    const [bucket] = Object.keys(readJsonFile(join(tmp, synth)).resource.google_storage_bucket);
    const ofBootstrap = copy(plan);
    ofBootstrap.resource_changes.push({
      address: `google_storage_bucket.${bucket}`,
      mode: 'managed',
      type: 'google_storage_bucket',
      name: bucket,
      change: { actions: ['no-op'], before: {}, after: {} },
    });
    writeFileSync(join(tmp, 'plan.json'), JSON.stringify(ofBootstrap));
    const r = run(['--plan', 'plan.json', '--synth', synth], tmp);
    expect(r.code).toBe(EXIT_FLAGGED);
    expect(r.stdout).toContain(
      [
        `#### Guardrail suppressions (${recorded.length})`,
        '',
        ...recorded.map((x: Json) => `- \`${x.ruleId}\` on \`${x.address}\`: ${x.reason}`),
      ].join('\n'),
    );
    // Listed, not flagged: whether the base had them is not in a plan.
    expect(reviewPlan('plan.json', ofBootstrap, readJsonFile(join(tmp, synth))).flags.map((f) => f.kind)).not.toContain(
      'suppression',
    );
    // Without --synth there is nothing to list (negative control).
    expect(run(['--plan', 'plan.json'], tmp).stdout).not.toContain('Guardrail suppressions');
    // Another stack's cdk.tf.json (no address in common with the plan) is refused, not listed.
    writeFileSync(join(tmp, 'other.json'), JSON.stringify(plan));
    const other = run(['--plan', 'other.json', '--synth', synth], tmp);
    expect(other.code).toBe(EXIT_ERROR);
    expect(other.stderr).toMatch(
      /^review: cdktf\.out\/stacks\/twenty-bootstrap\/cdk\.tf\.json is not the stack other\.json was made from: none of its \d+ addresses is in the plan; give the cdk\.tf\.json of the plan's stack \(cdktf\.out\/stacks\/<stack>\/cdk\.tf\.json\)\n$/,
    );
  });

  test('--synth: one per --plan, and a synthesized stack', () => {
    writeFileSync(join(tmp, 'plan.json'), JSON.stringify(plan));
    const r = run(['--plan', 'plan.json', '--synth', 'a.json', '--synth', 'b.json'], tmp);
    expect(r.code).toBe(EXIT_ERROR);
    expect(r.stderr).toMatch(
      /^review: --synth goes with --plan, one for each \(in the same order\): got 1 --plan and 2 --synth\n/,
    );
    const notSynth = run(['--plan', 'plan.json', '--synth', 'plan.json'], tmp);
    expect(notSynth.code).toBe(EXIT_ERROR);
    expect(notSynth.stderr).toBe(
      'review: plan.json is not a synthesized stack (no terraform block); give cdktf.out/stacks/<stack>/cdk.tf.json\n',
    );
  });

  test('a file that is not a plan is refused', () => {
    writeFileSync(join(tmp, 'not-plan.json'), JSON.stringify({ resource: {} }));
    expect(run(['--plan', 'not-plan.json'], tmp).stderr).toMatch(
      /^review: not-plan\.json is not the output of `terraform show -json` for a plan/,
    );
  });
});
