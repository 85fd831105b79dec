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
} from 'fs';
import { tmpdir } from 'os';
import { dirname, join, resolve } from 'path';

const ROOT = resolve(__dirname, '../..');

describe('scripts/app.js on a clone without dist/', () => {
  let copy: string;
  let run: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'twenty-app-'));
    // The tracked files as they are in the working tree (what a clone of this commit holds).
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
    const synth = (outdir: string, cacheSwitch?: string) =>
      spawnSync(process.execPath, ['scripts/app.js'], {
        cwd: copy,
        encoding: 'utf8',
        env: { ...process.env, CDKTF_OUTDIR: join(copy, outdir), CDKTF_COMPILE_CACHE: cacheSwitch ?? 'report' },
      });
    // The first run (beforeAll) built dist/ and wrote the cache after it.
    expect(existsSync(join(copy, 'dist/.compile-cache'))).toBe(true);
    const warm = synth('out-warm');
    expect(warm.status).toBe(0);
    expect(warm.stderr).toMatch(/compile cache: [1-9]\d+ modules from the cache, 0 compiled, 0 rejected by V8/);
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

  test('leaves the review bin executable, as `npm run build` does (npx runs it from the clone)', () => {
    const cli = join(copy, 'dist/constructs/review/cli.js');
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(cli).mode & 0o111).toBe(0o111);
    // Only files that start with a shebang are made executable.
    expect(statSync(join(copy, 'dist/constructs/index.js')).mode & 0o111).toBe(0);
  });
});
