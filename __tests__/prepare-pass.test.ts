/**
 * synthApp skips cdktf's preparing pass when no stack references another
 * (constructs/core/prepare-pass.ts): the output is byte-identical to a synth with the pass,
 * and an app whose stacks do reference each other still gets its outputs and remote state.
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { App, GcsBackend, TerraformStack, Testing } from 'cdktf';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { preparePassSkippable, withoutPreparePass } from '../constructs/core/prepare-pass';
import { synthApp } from '../constructs/stack/synth-app';
import { TwentyBootstrapStack } from '../constructs';
import { bootstrapFor } from '../examples/environments/bootstrap';
import { ENVIRONMENTS } from '../examples/environments/environments';
import { TwentyStack } from '../constructs/stack/twenty-stack';

/** Every file under `dir`, by relative path, with its exact content. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return files;
}

/** synthApp on a fresh app built by `build`, with or without the preparing pass; what it wrote and how often the pass ran. */
function synth(build: (app: App) => void, preparePass: boolean) {
  const saved = process.env.CDKTF_PREPARE_PASS;
  if (preparePass) process.env.CDKTF_PREPARE_PASS = '1';
  else delete process.env.CDKTF_PREPARE_PASS;
  const prepare = jest.spyOn(TerraformStack.prototype, 'prepareStack');
  try {
    const app = Testing.app({ stackTraces: false });
    build(app);
    const lines: string[] = [];
    const result = synthApp(app, { out: (l) => lines.push(l), err: (l) => lines.push(l), setExitCode: false });
    return { ok: result.ok, files: tree(app.outdir), lines, prepared: prepare.mock.calls.length };
  } finally {
    prepare.mockRestore();
    if (saved === undefined) delete process.env.CDKTF_PREPARE_PASS;
    else process.env.CDKTF_PREPARE_PASS = saved;
  }
}

function examples(app: App): void {
  for (const env of ENVIRONMENTS) new TwentyStack(app, env);
  new TwentyBootstrapStack(app, 'twenty-bootstrap', bootstrapFor(ENVIRONMENTS));
}

/** Two stacks; the second names a bucket after the first's bucket: a real cross-stack reference. */
function crossStack(app: App): void {
  const make = (id: string) => {
    const stack = new TerraformStack(app, id);
    new GcsBackend(stack, { bucket: 'acme-tfstate', prefix: id });
    new GoogleProvider(stack, 'google', { project: 'acme', region: 'europe-west1' });
    return stack;
  };
  const first = new StorageBucket(make('first'), 'bucket', { name: 'acme-first', location: 'EU' });
  new StorageBucket(make('second'), 'bucket', { name: `${first.name}-copy`, location: 'EU' });
}

test('cdktf is the version whose preparing pass this was checked against, and CDKTF_PREPARE_PASS=1 turns the skip off', () => {
  const saved = process.env.CDKTF_PREPARE_PASS;
  try {
    delete process.env.CDKTF_PREPARE_PASS;
    expect(preparePassSkippable()).toBe(true);
    process.env.CDKTF_PREPARE_PASS = '1';
    expect(preparePassSkippable()).toBe(false);
  } finally {
    if (saved === undefined) delete process.env.CDKTF_PREPARE_PASS;
    else process.env.CDKTF_PREPARE_PASS = saved;
  }
});

test('the example app writes the same files, byte for byte, and the same report without the preparing pass', () => {
  const fast = synth(examples, false);
  const full = synth(examples, true);
  expect(fast.prepared).toBe(0);
  expect(full.prepared).toBe(ENVIRONMENTS.length + 1);
  expect(fast.ok).toBe(true);
  expect(Object.keys(fast.files).length).toBeGreaterThan(ENVIRONMENTS.length + 1);
  expect(fast.files).toEqual(full.files);
  expect(fast.lines).toEqual(full.lines);
});

test('a real cross-stack reference is seen, and the synth starts over with the preparing pass: same files as cdktf makes', () => {
  const fast = synth(crossStack, false);
  const full = synth(crossStack, true);
  expect(fast.ok).toBe(true);
  expect(fast.prepared).toBe(2); // the skip was tried, met the reference and ran the pass
  expect(fast.files).toEqual(full.files);
  const second = JSON.parse(fast.files['stacks/second/cdk.tf.json']);
  expect(Object.keys(second.data.terraform_remote_state)).toHaveLength(1);
  expect(second.resource.google_storage_bucket.bucket.name).toMatch(
    /^\$\{data\.terraform_remote_state\.[^.}]+\.outputs\.[^}]+\}-copy$/,
  );
  expect(Object.keys(JSON.parse(fast.files['stacks/first/cdk.tf.json']).output)).toHaveLength(1);
  const manifest = JSON.parse(fast.files['manifest.json']);
  expect(manifest.stacks.second.dependencies).toEqual(['first']);
});

test('negative control: without the preparing pass, the cross-stack app is caught, the example app is not', () => {
  const attempt = (build: (app: App) => void) => {
    const app = Testing.app({ stackTraces: false });
    build(app);
    const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
    for (const s of stacks) s.ensureBackendExists();
    return withoutPreparePass(() => stacks.forEach((s) => s.toTerraform()));
  };
  expect(attempt(crossStack)).toBe(false);
  expect(attempt(examples)).toBe(true);
});
