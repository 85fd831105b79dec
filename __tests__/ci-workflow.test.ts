/**
 * The example GitHub Actions workflow (examples/ci/github-actions/deploy.yml) is checked by a
 * real validator from npm, @action-validator/cli (GitHub's workflow JSON schema, run as
 * WebAssembly shipped inside the package: nothing is downloaded), and by what the README
 * promises of it. Negative controls: broken copies fail the same validator.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { ENVIRONMENTS } from '../examples/environments/environments';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..');
const WORKFLOW = join(ROOT, 'examples/ci/github-actions/deploy.yml');
const text = readFileSync(WORKFLOW, 'utf8');
interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string>;
}
interface Job {
  readonly steps: Step[];
  readonly permissions: Record<string, string>;
  readonly if?: string;
  readonly environment?: string;
  readonly strategy?: { readonly matrix: { readonly environment: string[] }; readonly 'max-parallel'?: number };
}
/** The parts of a GitHub Actions workflow the tests read. */
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, Job>;
}
const wf = parse(text) as Workflow;

function validate(file: string): { status: number | null; output: string } {
  const cli = require.resolve('@action-validator/cli/cli.mjs');
  const r = spawnSync(process.execPath, [cli, file], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

function validateText(content: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
  try {
    const file = join(dir, 'deploy.yml');
    writeFileSync(file, content);
    return validate(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the workflow passes action-validator', () => {
  expect(validate(WORKFLOW)).toEqual({ status: 0, output: '' });
});

test.each([
  [
    'a job without runs-on',
    (s: string) => s.replace('runs-on: ubuntu-24.04', 'runs_on: ubuntu-24.04'),
    /runs_on' is not allowed/,
  ],
  ['an unknown event', (s: string) => s.replace('pull_request:', 'pull_requests:'), /"path": "\/on"/],
  [
    'a step that neither runs nor uses',
    (s: string) => s.replace('      - run: npm ci', '      - runs: npm ci'),
    /"path": "\/jobs\/[a-z]+\/steps\/\d+\/uses"/,
  ],
])('negative control: %s fails validation', (_name, breakIt, expected) => {
  const broken = breakIt(text);
  expect(broken).not.toBe(text);
  const r = validateText(broken);
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(expected);
});

test('every action is pinned to a full commit SHA, with its tag in a comment', () => {
  const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)].map((m) => ({ ref: m[1], comment: m[2].trim() }));
  expect(uses.length).toBeGreaterThanOrEqual(8);
  for (const u of uses)
    expect(u).toEqual({
      ref: expect.stringMatching(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/),
      comment: expect.stringMatching(/^# v\d+\.\d+\.\d+$/),
    });
});

test('pull requests: synth, review and a plan per environment as comments; main: deploy each, prod behind its GitHub environment', () => {
  const names = ENVIRONMENTS.map((e) => e.name);
  expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push']);
  const { review, plan, deploy } = wf.jobs;
  const runs = (job: { steps: { run?: string; uses?: string }[] }) =>
    job.steps.map((s) => s.run ?? s.uses ?? '').join('\n');
  expect(review.if).toBe("github.event_name == 'pull_request'");
  expect(runs(review)).toMatch(
    /npx cdktf synth[\s\S]*npx twenty-gcp-review "origin\/\$\{GITHUB_BASE_REF\}"[\s\S]*actions\/github-script@/,
  );
  expect(plan.if).toBe("github.event_name == 'pull_request'");
  expect(plan.strategy?.matrix.environment).toEqual(names);
  expect(runs(plan)).toMatch(/google-github-actions\/auth@[\s\S]*terraform plan[\s\S]*actions\/github-script@/);
  expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
  expect(deploy.strategy?.matrix.environment).toEqual(names);
  expect(deploy.strategy?.['max-parallel']).toBe(1);
  expect(deploy.environment).toBe('${{ matrix.environment }}');
  expect(runs(deploy)).toMatch(/terraform apply -input=false -auto-approve/);
});

test('federation, not keys: auth takes the bootstrap outputs; id-token only where Google is called', () => {
  const auth = Object.entries(wf.jobs).flatMap(([job, j]) =>
    j.steps.filter((s) => s.uses?.startsWith('google-github-actions/auth@')).map((s) => [job, s.with] as const),
  );
  expect(auth.map(([job]) => job)).toEqual(['plan', 'deploy']);
  for (const [, w] of auth) {
    expect(w).toEqual({
      workload_identity_provider: '${{ vars.WORKLOAD_IDENTITY_PROVIDER }}',
      service_account: '${{ vars.DEPLOYER_SERVICE_ACCOUNT }}',
    });
  }
  expect(text).not.toMatch(/credentials_json/);
  expect(wf.permissions).toEqual({ contents: 'read' });
  expect(wf.jobs.review.permissions['id-token']).toBeUndefined();
  expect(wf.jobs.plan.permissions['id-token']).toBe('write');
  expect(wf.jobs.deploy.permissions['id-token']).toBe('write');
});

test('the Redis URL reaches deploys only, and never as an empty value', () => {
  const jobsUsing = Object.entries(wf.jobs)
    .filter(([, j]) => JSON.stringify(j).includes('UPSTASH_REDIS_URL'))
    .map(([name]) => name);
  expect(jobsUsing).toEqual(['deploy']);
  expect(text).toContain(
    'if [ -n "$UPSTASH_REDIS_URL" ]; then export TF_VAR_upstash_redis_url="$UPSTASH_REDIS_URL"; fi',
  );
});
