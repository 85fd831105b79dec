/**
 * synthApp: every problem of the whole app (config, constructs, guardrails) in one report, each
 * once, grouped by stack and construct, without a stack trace; warnings on every synth; no
 * stale output after a failed synth; a summary per environment after a good one.
 */
import { spawnSync } from 'child_process';
import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { App, TerraformStack, Testing } from 'cdktf';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { Guardrails } from '../constructs/guardrails';
import { synthApp, SynthAppOptions } from '../constructs/stack/synth-app';
import { TwentyStack, TwentyStackConfig } from '../constructs/stack/twenty-stack';
import { TwentyBootstrapStack } from '../constructs/bootstrap/twenty-bootstrap-stack';
import { MINIMAL } from './support/synth';

/** The library's own, built-in suppression (constructs/backend/file-storage.ts), listed in every summary. */
const HMAC_SUPPRESSION =
  "    - [SECRET-IN-STATE] google_storage_hmac_key.server_Files_HmacKey_64284D37: google_storage_hmac_key computes a secret (secret) that Terraform keeps in state in plain text; avoid it, or keep the state bucket as closely guarded as the secret (suppressed on twenty-prod/server/Files/HmacKey: built in: Twenty's S3 storage driver signs with an HMAC key, whose secret the provider returns into state; guard the state bucket like the secret)";

/** PROD-IMAGE-DIGEST on the job, the worker and the service (the minimal config pins by tag). */
function digestWarnings(tag: string): string[] {
  const image = `europe-west1-docker.pkg.dev/acme-crm-prod/twenty-prod-dockerhub/twentycrm/twenty:${tag}`;
  return [
    ['google_cloud_run_v2_job.server_MigrationJob_98993F35', 'template.template.containers.0.image'],
    ['google_cloud_run_v2_worker_pool.server_Worker_6AB9017F', 'template.containers.0.image'],
    ['google_cloud_run_v2_service.server_Service_EB7DAE56', 'template.containers.0.image'],
  ].map(
    ([address, path]) =>
      `    - [PROD-IMAGE-DIGEST] ${address}: ${path} is "${image}", pinned by tag only in production; add the digest of that tag (TwentyBackendService imageDigest, TwentyStack service.imageDigest). Why: a tag can be moved or deleted upstream; a digest names exactly the image that was tested.`,
  );
}

function run(app: App) {
  const err: string[] = [];
  const out: string[] = [];
  const options: SynthAppOptions = { err: (l) => err.push(l), out: (l) => out.push(l), setExitCode: false };
  const result = synthApp(app, options);
  return { result, err: err.join('\n').split('\n'), out: out.join('\n').split('\n') };
}

describe('a failed synth', () => {
  let app: App;
  let report: ReturnType<typeof run>;
  const stale = () => join(app.outdir, 'stacks/twenty-prod/cdk.tf.json');

  beforeAll(() => {
    app = Testing.app({ stackTraces: false });
    // The Twenty version is checked by the environment, the database and the server: one problem.
    new TwentyStack(app, {
      ...MINIMAL,
      twentyVersion: 'v2.44',
      service: { maxInstance: 20, cpu: '3' } as TwentyStackConfig['service'],
      database: { deletionProtection: false },
    });
    new TwentyStack(app, { ...MINIMAL, name: 'dev', production: false, labels: { Team: 'crm' } });
    // What an earlier, good synth left behind.
    mkdirSync(join(app.outdir, 'stacks/twenty-prod'), { recursive: true });
    writeFileSync(stale(), '{}');
    writeFileSync(join(app.outdir, 'manifest.json'), '{}');
    report = run(app);
  });

  test('reports every problem of every stack, config, constructs and guardrails together, each once', () => {
    const guardrail = (problem: string) =>
      `    - [PROD-DELETION-PROTECTION] google_sql_database_instance.database_Instance_1B6129A2: ${problem}. Why: in production one mistaken destroy or replacement must not delete data; both Terraform and the API should refuse. To accept it: Guardrails.suppress(construct, 'PROD-DELETION-PROTECTION', 'reason').`;
    expect(report.result.ok).toBe(false);
    const poolWarning =
      "    - dbPoolSize is not set: using 4, the largest pool that fits max_connections 100 (Twenty's default is 10); set dbPoolSize, or give the database more connections, to choose yourself";
    expect(report.err).toEqual([
      // Warnings print on a failed synth too.
      '4 warnings:',
      'twenty-prod:',
      '  TwentyBackendService twenty-prod/server',
      ...digestWarnings('v2.44'),
      'twenty-dev:',
      '  TwentyBackendService twenty-dev/server',
      poolWarning,
      'Synth failed: 6 problems in 2 stacks.',
      'twenty-prod:',
      '  environment "prod"',
      '    - unknown key "service.maxInstance"; did you mean "service.maxInstances"?',
      '    - Twenty version "v2.44" is not a release tag; expected "vMAJOR.MINOR.PATCH", e.g. "v2.45.0"',
      '  CloudSqlSocketDatabase twenty-prod/database',
      guardrail(
        'deletionProtection of CloudSqlSocketDatabase "database" is false (deletion_protection) in production, so Terraform may destroy it; set it to true (a literal: an expression is only as safe as its value at plan time)',
      ),
      guardrail(
        'deletionProtection of CloudSqlSocketDatabase "database" is false (settings.deletion_protection_enabled) in production, so the API (console, gcloud) can delete the instance; set it to true (a literal)',
      ),
      '  TwentyBackendService twenty-prod/server',
      '    - cpu "3" is not a Cloud Run CPU count; allowed: "1", "2", "4", "6" or "8" (below 1 CPU Cloud Run serves one request at a time)',
      'twenty-dev:',
      '  environment "dev"',
      '    - labels key "Team" is invalid; label keys are 1-63 lowercase letters, digits, "_" and "-", starting with a lowercase letter',
      `No stack was written to ${app.outdir} (earlier output of these stacks was removed); fix the above and synth again.`,
    ]);
    expect(report.out).toEqual(['']);
  });

  test('leaves no output that looks valid', () => {
    expect(existsSync(stale())).toBe(false);
    expect(existsSync(join(app.outdir, 'stacks/twenty-dev'))).toBe(false);
    expect(existsSync(join(app.outdir, 'manifest.json'))).toBe(false);
  });

  test('sets a failing exit code by default', () => {
    const before = process.exitCode;
    try {
      const bad = Testing.app({ stackTraces: false });
      new TwentyStack(bad, { ...MINIMAL, region: 'us-east-1' });
      expect(synthApp(bad, { err: () => undefined }).ok).toBe(false);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = before;
    }
  });
});

describe('a good synth', () => {
  test('prints warnings, writes the stack and the manifest, and a summary with the next steps', () => {
    const app = Testing.app({ stackTraces: false });
    new TwentyStack(app, {
      ...MINIMAL,
      twentyVersion: 'v2.99.0',
      service: { extraSecrets: { EMAIL_SMTP_PASSWORD: { secretId: 'smtp-password' } } },
    });
    const { result, err, out } = run(app);
    expect(result.ok).toBe(true);
    expect(err).toEqual([
      '5 warnings:',
      'twenty-prod:',
      '  TwentyBackendService twenty-prod/server',
      "    - dbPoolSize is not set: using 4, the largest pool that fits max_connections 100 (Twenty's default is 10); set dbPoolSize, or give the database more connections, to choose yourself",
      "    - Twenty v2.99.0 is newer than v2.45.0, the newest release whose image contract this library recorded; the migration job follows v2.45's contract. Read the release's upgrade guide",
      ...digestWarnings('v2.99.0'),
    ]);
    expect(out).toEqual([
      // The minimal config's monitoring: 1 email channel, 1 uptime check, 14 policies, 4 log-based
      // metrics, 1 dashboard; the Logging and Monitoring APIs; the log metrics' propagation wait.
      'twenty-prod: 80 resources: 21 monitoring, 16 Secret Manager, 12 load balancer, 11 APIs, 5 IAM, 4 Cloud Storage, 3 Cloud Run, 3 Cloud SQL, 2 IAM propagation wait, 2 terraform_data, 1 image mirror',
      '  https://crm.acme.example through HTTPS load balancer for crm.acme.example',
      '  next:',
      "    1. set TF_VAR_upstash_redis_url to the Upstash database's rediss:// URL for the deploy (read -rs TF_VAR_upstash_redis_url && export TF_VAR_upstash_redis_url)",
      '    2. create these Secret Manager secrets in acme-crm-prod first: smtp-password (EMAIL_SMTP_PASSWORD)',
      '    3. cdktf deploy twenty-prod (state in gs://acme-crm-tfstate/twenty/prod)',
      '    4. create a DNS A record crm.acme.example -> the front_door_ip output; the managed certificate is issued once it resolves',
      '    5. open https://crm.acme.example and sign up: the first user becomes the workspace admin, and later sign-ups are closed',
      '  guardrail suppressions (accepted findings):',
      HMAC_SUPPRESSION,
    ]);
    expect(existsSync(join(app.outdir, 'stacks/twenty-prod/cdk.tf.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(app.outdir, 'manifest.json'), 'utf8'));
    // Printed once by synthApp; the cdktf CLI would print the manifest's copy again.
    expect(manifest.stacks['twenty-prod'].annotations).toEqual([]);
  });
});

test('the summary lists guardrail suppressions', () => {
  const app = Testing.app({ stackTraces: false });
  const stack = new TwentyStack(app, { ...MINIMAL, database: { deletionProtection: false } });
  Guardrails.suppress(stack.database, 'PROD-DELETION-PROTECTION', 'a rehearsal environment, destroyed after the test');
  const { result, out } = run(app);
  expect(result.ok).toBe(true);
  const at = out.indexOf('  guardrail suppressions (accepted findings):');
  const reason = '(suppressed on twenty-prod/database: a rehearsal environment, destroyed after the test)';
  expect(out.slice(at)).toEqual([
    '  guardrail suppressions (accepted findings):',
    `    - [PROD-DELETION-PROTECTION] google_sql_database_instance.database_Instance_1B6129A2: deletionProtection of CloudSqlSocketDatabase "database" is false (deletion_protection) in production, so Terraform may destroy it; set it to true (a literal: an expression is only as safe as its value at plan time) ${reason}`,
    `    - [PROD-DELETION-PROTECTION] google_sql_database_instance.database_Instance_1B6129A2: deletionProtection of CloudSqlSocketDatabase "database" is false (settings.deletion_protection_enabled) in production, so the API (console, gcloud) can delete the instance; set it to true (a literal) ${reason}`,
    HMAC_SUPPRESSION,
  ]);
});

test('the repository app synthesizes through synthApp: `npm run synth` (scripts/app.js) prints warnings and the summary', () => {
  const root = resolve(__dirname, '..');
  const outdir = join(Testing.app().outdir, 'app');
  const run = spawnSync(process.execPath, [join(root, 'scripts/app.js')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CDKTF_OUTDIR: outdir },
  });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^twenty-dev: \d+ resources: /m);
  // The bootstrap's pool and its provider are one kind, not two raw Terraform types.
  expect(run.stdout).toMatch(/^twenty-bootstrap: .*, 2 workload identity federation(,|$)/m);
  expect(run.stdout).not.toMatch(/^twenty-bootstrap: .*google_iam_/m);
  expect(run.stdout).toContain('  https://crm.example.com through HTTPS load balancer for crm.example.com');
  // prod pins its image by tag only: the guardrail's warnings, once each, without the CLI.
  expect(run.stderr.split('\n').filter((l) => l.startsWith('    - [PROD-IMAGE-DIGEST]'))).toHaveLength(3);
  expect(existsSync(join(outdir, 'stacks/twenty-prod/cdk.tf.json'))).toBe(true);
}, 60_000);

test('MINIMAL is the config examples/minimal passes, read from the file: the minimal keys plus a channel', () => {
  expect(Object.keys(MINIMAL).sort()).toEqual(
    ['frontDoor', 'monitoring', 'name', 'production', 'projectId', 'region', 'stateBucket', 'twentyVersion'].sort(),
  );
  expect(MINIMAL).toMatchObject({ production: true, monitoring: { notificationEmails: [expect.any(String)] } });
});

test('kinds with equal counts are listed in the order localeCompare gives, case-insensitive', () => {
  const app = Testing.app({ stackTraces: false });
  const stack = new TerraformStack(app, 'plain');
  new GoogleProvider(stack, 'google', { project: 'acme-crm-dev', region: 'europe-west1' });
  // One each: "IAM", "image mirror" and "Secret Manager". A plain `<` would put "image mirror" last.
  new ServiceAccount(stack, 'sa', { accountId: 'plain-sa' });
  new ArtifactRegistryRepository(stack, 'repo', { repositoryId: 'mirror', format: 'DOCKER', location: 'europe-west1' });
  new SecretManagerSecret(stack, 'secret', { secretId: 'plain', replication: { auto: {} } });
  const { out } = run(app);
  const kinds = ['IAM', 'image mirror', 'Secret Manager'];
  expect(kinds.slice().sort((a, b) => a.localeCompare(b))).toEqual(kinds);
  expect(out[0]).toBe(`plain: 3 resources: ${kinds.map((k) => `1 ${k}`).join(', ')}`);
});

describe('each guardrail line and synth warning prints once', () => {
  /** What reaches stderr directly (outside synthApp's `err`), line by line. */
  function stderrOf(act: () => void): string[] {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      act();
    } finally {
      spy.mockRestore();
    }
    return written.join('').split('\n').filter(Boolean);
  }
  const BOOTSTRAP = { projectId: 'acme-crm-prod', region: 'europe-west1', stateBucket: 'acme-crm-tfstate' };
  const REASON =
    'the deployer creates the secrets and grants access to each (setIamPolicy), which would let it grant itself access under any narrower role too; values stay out of its plans (write-only)';
  const NEWER =
    "Twenty v9.0.0 is newer than v2.45.0, the newest release whose image contract this library recorded; the migration job follows v2.45's contract. Read the release's upgrade guide";

  // synthApp first: the plain app.synth() below marks its lines as printed for this process.
  test("under synthApp the bootstrap's suppression is in the summary only", () => {
    const app = Testing.app({ stackTraces: false });
    const stack = new TwentyBootstrapStack(app, 'twenty-bootstrap', BOOTSTRAP);
    let report: ReturnType<typeof run> | undefined;
    expect(stderrOf(() => (report = run(app)))).toEqual([]);
    const [s] = Guardrails.suppressionsOf(stack);
    expect(Guardrails.suppressionsOf(stack)).toHaveLength(1);
    expect(s.reason).toBe(REASON);
    expect(report!.out.filter((l) => l.includes('IAM-PROJECT-SECRET-ACCESSOR'))).toEqual([
      `    - ${s.finding} (suppressed on ${s.on}: ${REASON})`,
    ]);
  });

  test('under synthApp a newer Twenty version warns in the report only', () => {
    const app = Testing.app({ stackTraces: false });
    new TwentyStack(app, { ...MINIMAL, twentyVersion: 'v9.0.0' });
    let report: ReturnType<typeof run> | undefined;
    expect(stderrOf(() => (report = run(app)))).toEqual([]);
    expect(report!.result.ok).toBe(true);
    expect(report!.err.filter((l) => l.includes('is newer'))).toEqual([`    - ${NEWER}`]);
  });

  test('a plain app.synth() prints each once on stderr', () => {
    const app = Testing.app({ stackTraces: false });
    const bootstrap = new TwentyBootstrapStack(app, 'twenty-bootstrap', BOOTSTRAP);
    new TwentyStack(app, { ...MINIMAL, twentyVersion: 'v9.0.0' });
    const lines = stderrOf(() => app.synth());
    const [s] = Guardrails.suppressionsOf(bootstrap);
    expect(lines.filter((l) => l.includes('IAM-PROJECT-SECRET-ACCESSOR'))).toEqual([
      `guardrails twenty-bootstrap: suppressed ${s.finding} — reason: ${REASON}`,
    ]);
    expect(lines.filter((l) => l.includes('is newer'))).toEqual([`Warning: twenty-prod/server: ${NEWER}`]);
  });
});
