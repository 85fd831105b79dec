/**
 * `npm run synth` (scripts/app.js) on a fresh clone: with no dist/ it transpiles the sources
 * itself (swc) and synthesizes. Run on a copy of the tracked sources, so the repository's own
 * dist/ (shared with other tests) is not touched.
 */
import { execFileSync, spawnSync } from 'child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

const ROOT = resolve(__dirname, '../..');

/** A temp dir with the tracked files as they are in the working tree (what a clone of this commit holds). */
function cloneTracked(): string {
  const copy = mkdtempSync(join(tmpdir(), 'twenty-app-'));
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) =>
      /^(constructs|examples|scripts)\/|^(main\.ts|tsconfig[^/]*\.json|package\.json|cdktf\.json)$/.test(f),
    );
  for (const f of tracked) {
    if (!existsSync(join(ROOT, f))) continue;
    mkdirSync(dirname(join(copy, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(copy, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

describe('scripts/app.js on a clone without dist/', () => {
  let copy: string;
  let run: ReturnType<typeof spawnSync>;
  const synth = (outdir: string, cacheSwitch?: string) =>
    spawnSync(process.execPath, ['scripts/app.js'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: join(copy, outdir), CDKTF_COMPILE_CACHE: cacheSwitch ?? 'report' },
    });

  beforeAll(() => {
    copy = cloneTracked();
    run = spawnSync(process.execPath, ['scripts/app.js'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: join(copy, 'cdktf.out') },
    });
  }, 60_000);

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  test('builds dist/ and synthesizes every example stack', () => {
    expect(run.status).toBe(0);
    expect(existsSync(join(copy, 'dist/.build-hash'))).toBe(true);
    for (const stack of ['twenty-dev', 'twenty-prod', 'twenty-bootstrap'])
      expect(existsSync(join(copy, `cdktf.out/stacks/${stack}/cdk.tf.json`))).toBe(true);
  });

  test('compiles with the code cache from the second run on, and the cache changes no byte of cdktf.out', () => {
    // The first run (beforeAll) built dist/ and wrote the cache after it.
    expect(existsSync(join(copy, 'dist/.compile-cache'))).toBe(true);
    const warm = synth('out-warm');
    expect(warm.status).toBe(0);
    expect(warm.stderr).toMatch(/compile cache: [1-9]\d+ modules from the cache, 0 compiled, 0 rejected/);
    const off = synth('out-off', '0');
    expect(off.status).toBe(0);
    expect(off.stderr).not.toContain('compile cache');
    const files = (outdir: string): Record<string, string> => {
      const out: Record<string, string> = {};
      const walk = (rel: string) => {
        for (const e of readdirSync(join(copy, outdir, rel), { withFileTypes: true }))
          if (e.isDirectory()) walk(join(rel, e.name));
          else out[join(rel, e.name)] = readFileSync(join(copy, outdir, rel, e.name), 'utf8');
      };
      walk('');
      return out;
    };
    const first = files('cdktf.out');
    expect(Object.keys(first)).toContain(join('stacks', 'twenty-prod', 'cdk.tf.json'));
    expect(files('out-warm')).toEqual(first);
    expect(files('out-off')).toEqual(first);
  });

  test('CDKTF_COMPILE_CACHE=off (or 0, false) turns the cache off; a value it does not know stops the synth, saying so', () => {
    rmSync(join(copy, 'dist/.compile-cache'), { recursive: true, force: true });
    for (const off of ['off', '0', 'false']) {
      expect(synth(`out-${off}`, off).status).toBe(0);
      expect(existsSync(join(copy, 'dist/.compile-cache'))).toBe(false);
    }
    expect(synth('out-on', '1').status).toBe(0);
    expect(existsSync(join(copy, 'dist/.compile-cache'))).toBe(true);
    const bad = synth('out-bad', 'sometimes');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'CDKTF_COMPILE_CACHE is "sometimes"; use 0 (or off) to turn the compile cache off, 1 (or on, the default), or report',
    );
    expect(existsSync(join(copy, 'out-bad'))).toBe(false);
  });

  test('leaves the review bin executable, as `npm run build` does (npx runs it from the clone)', () => {
    const cli = join(copy, 'dist/constructs/review/cli.js');
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(cli).mode & 0o111).toBe(0o111);
    // Only files that start with a shebang are made executable.
    expect(statSync(join(copy, 'dist/constructs/index.js')).mode & 0o111).toBe(0);
  });
});

describe('scripts/app.js skips reading the sources when no input changed since the last build', () => {
  let copy: string;
  /** Counts the `.ts` files the app reads (the source hash reads every input). */
  let counter: string;

  const synth = () => {
    const r = spawnSync(process.execPath, ['-r', counter, 'scripts/app.js'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: join(copy, 'cdktf.out'), CDKTF_COMPILE_CACHE: '0' },
    });
    expect(r.status).toBe(0);
    return {
      tsReads: Number(/ts-reads:(\d+)/.exec(r.stderr)?.[1]),
      stamp: readFileSync(join(copy, 'dist/.build-hash'), 'utf8'),
    };
  };
  const devJson = () => readFileSync(join(copy, 'cdktf.out/stacks/twenty-dev/cdk.tf.json'), 'utf8');
  const recorded = () => existsSync(join(copy, 'dist/.build-stats.json'));

  beforeAll(async () => {
    copy = cloneTracked();
    counter = join(copy, 'count-reads.js');
    writeFileSync(
      counter,
      `const fs = require('fs'); const read = fs.readFileSync; let n = 0;
fs.readFileSync = function (p, ...rest) { if (typeof p === 'string' && p.endsWith('.ts')) n++; return read.call(this, p, ...rest); };
process.on('exit', () => process.stderr.write('ts-reads:' + n + '\\n'));
`,
    );
    // Inputs changed in the last 2 s are not recorded (a coarse clock could hide a later edit).
    await new Promise((r) => setTimeout(r, 2100));
  }, 60_000);

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  test('the first run builds and records every input; the next reads no source', () => {
    const first = synth();
    expect(first.tsReads).toBeGreaterThan(50);
    expect(recorded()).toBe(true);
    const second = synth();
    expect(second.tsReads).toBe(0);
    expect(second.stamp).toBe(first.stamp);
  });

  test('a file added under an include is built', () => {
    expect(recorded()).toBe(true); // so the stat check, not the hash, has to see it
    writeFileSync(join(copy, 'constructs/added-later.ts'), 'export const ADDED = 1;\n');
    synth();
    expect(existsSync(join(copy, 'dist/constructs/added-later.js'))).toBe(true);
  });

  test('an edit that keeps the size and the modification time is still built (the change time moves)', async () => {
    // Recorded again once the file added above is 2 s old.
    await new Promise((r) => setTimeout(r, 2100));
    synth();
    expect(recorded()).toBe(true);
    const file = join(copy, 'examples/environments/environments.ts');
    const before = statSync(file);
    // Its times, to the nanosecond, kept on a copy outside the inputs (utimes takes milliseconds).
    execFileSync('cp', ['-p', file, join(copy, 'times-of-environments.ts')]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("labels: { env: 'dev', app: 'twenty' }");
    writeFileSync(file, text.replace("labels: { env: 'dev', app: 'twenty' }", "labels: { env: 'dev', app: 'tw3nty' }"));
    execFileSync('touch', ['-r', join(copy, 'times-of-environments.ts'), file]);
    expect(statSync(file).size).toBe(before.size);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
    const r = synth();
    expect(r.tsReads).toBeGreaterThan(50);
    expect(devJson()).toContain('"tw3nty"');
    // Just edited: not recorded, so the next run hashes again.
    expect(recorded()).toBe(false);
    expect(synth().tsReads).toBeGreaterThan(50);
  });
});
