/** Produces the two synthesized apps a review compares: from a folder, the working tree or a git ref. */
import { spawnSync } from 'child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { SynthesizedApp } from './types';
import { readJsonFile } from './files';

export interface SynthOptions {
  /**
   * Shell command that synthesizes the app into `$CDKTF_OUTDIR`.
   * @default the `app` of the project's `cdktf.json`
   */
  readonly appCommand?: string;
  /** Where the app's own output goes (never stdout, which carries the report). */
  readonly log: (text: string) => void;
}

/** Reads a `cdktf.out` folder: every stack listed in `manifest.json` (or found under `stacks/`). */
export function loadOutdir(dir: string): SynthesizedApp {
  const manifestPath = join(dir, 'manifest.json');
  const stacks: Record<string, unknown> = {};
  if (existsSync(manifestPath)) {
    const manifest = readJsonFile(manifestPath);
    for (const [name, s] of Object.entries(manifest.stacks ?? {}) as [string, { synthesizedStackPath: string }][]) {
      stacks[name] = readJsonFile(join(dir, s.synthesizedStackPath));
    }
    return stacks;
  }
  const stacksDir = join(dir, 'stacks');
  const found = existsSync(stacksDir)
    ? readdirSync(stacksDir).filter((n) => existsSync(join(stacksDir, n, 'cdk.tf.json')))
    : [];
  if (!found.length)
    throw new Error(`${dir} holds no manifest.json and no stacks/*/cdk.tf.json; give a cdktf.out folder`);
  for (const name of found) stacks[name] = readJsonFile(join(stacksDir, name, 'cdk.tf.json'));
  return stacks;
}

/** Runs the project's app with `CDKTF_OUTDIR` pointing at a fresh folder and reads the result. */
export function synthesizeProject(projectDir: string, options: SynthOptions): SynthesizedApp {
  const cdktfJson = join(projectDir, 'cdktf.json');
  const config = existsSync(cdktfJson) ? readJsonFile(cdktfJson) : {};
  const command: string | undefined = options.appCommand ?? config.app;
  if (!command) throw new Error(`no app command: ${cdktfJson} has no "app"; pass --app`);
  const tmp = mkdtempSync(join(tmpdir(), 'twenty-review-out-'));
  try {
    const outdir = join(tmp, 'cdktf.out');
    const run = spawnSync('sh', ['-c', command], {
      cwd: projectDir,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: JSON.stringify(config.context ?? {}) },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (run.status !== 0) {
      throw new Error(
        `synth failed in ${projectDir} (\`${command}\` exited with ${run.status ?? run.signal}):\n${output}`,
      );
    }
    if (output.trim()) options.log(output);
    return loadOutdir(outdir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export interface RefSynth {
  readonly app: SynthesizedApp;
  /** `ref (short sha)`. */
  readonly label: string;
}

/**
 * Checks `ref` out into a temporary git worktree, links the project's `node_modules`
 * into it, synthesizes it with its own `cdktf.json` app and removes the worktree.
 */
export function synthesizeRef(projectDir: string, ref: string, options: SynthOptions): RefSynth {
  const git = (args: string[], cwd = projectDir) => {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout.trim();
  };
  const top = git(['rev-parse', '--show-toplevel']);
  const prefix = git(['rev-parse', '--show-prefix']);
  let sha: string;
  try {
    sha = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`"${ref}" is not a commit in ${top}; give a branch, tag or commit`);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'twenty-review-ref-'));
  const tree = join(tmp, 'tree');
  git(['worktree', 'add', '--detach', '--quiet', tree, sha], top);
  const modules = join(tree, prefix, 'node_modules');
  try {
    const ours = join(projectDir, 'node_modules');
    if (existsSync(ours) && !existsSync(modules)) symlinkSync(realpathSync(ours), modules, 'dir');
    const app = synthesizeProject(join(tree, prefix), options);
    const short = git(['rev-parse', '--short', sha]);
    return { app, label: sha.startsWith(ref) ? short : `${ref} (${short})` };
  } finally {
    // Unlink first so that nothing below can ever follow the link into the real node_modules.
    if (lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(modules);
    spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: top });
    rmSync(tmp, { recursive: true, force: true });
  }
}
