/**
 * Runs the real `terraform` binary on provider-less configurations (locals, outputs,
 * variables): no provider download is needed, so it works offline.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Json } from './synth';

export const TERRAFORM_INSTALL =
  'install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install); `npm run test:deps` checks for it';

const ENV = { CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };

function run(dir: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const r = spawnSync('terraform', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...ENV, ...env } });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `terraform is not on the PATH: ${TERRAFORM_INSTALL}` : r.error.message);
  }
  return r;
}

/** Fails with the install command unless Terraform >= 1.11 (write-only arguments, ephemeral variables) runs. */
export function requireTerraform(): string {
  const r = run(tmpdir(), ['version', '-json']);
  const version: string = JSON.parse(r.stdout).terraform_version;
  const [major, minor] = version.split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 11))
    throw new Error(`terraform ${version} is too old: ${TERRAFORM_INSTALL}`);
  return version;
}

function inConfig<T>(config: Json, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tf-eval-'));
  try {
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JSON-syntax string is a template: `${` and `%{` must be doubled to stay literal. */
export function templateLiteral(value: string): string {
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, '%%{');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface EvaluationCase {
  /** A string value exactly as it appears in the synthesized JSON. */
  readonly template: string;
  /** Terraform references in it (e.g. `google_sql_database_instance.x.connection_name`) and the values to use. */
  readonly samples: Record<string, string>;
}

/**
 * Evaluates JSON-syntax template strings with `terraform apply` in an empty configuration:
 * each reference is replaced by a local holding its sample value, so the functions around
 * it (`urlencode`, `replace`, ...) are Terraform's own.
 */
export function evaluate(cases: readonly EvaluationCase[]): string[] {
  const locals: Record<string, string> = {};
  const output: Record<string, { value: string }> = {};
  cases.forEach((c, i) => {
    let expr = c.template;
    Object.entries(c.samples).forEach(([ref, value], j) => {
      const pattern = new RegExp(`(?<![\\w.])${escapeRegExp(ref)}(?![\\w])`, 'g');
      if (!expr.match(pattern)) throw new Error(`reference ${ref} does not occur in ${c.template}`);
      expr = expr.replace(pattern, `local.c${i}_s${j}`);
      locals[`c${i}_s${j}`] = templateLiteral(value);
    });
    locals[`c${i}`] = expr;
    output[`c${i}`] = { value: `\${local.c${i}}` };
  });
  return inConfig({ locals, output }, (dir) => {
    const apply = run(dir, ['apply', '-auto-approve', '-input=false', '-lock=false', '-no-color']);
    if (apply.status !== 0) throw new Error(`terraform apply failed:\n${apply.stdout}\n${apply.stderr}`);
    const out = run(dir, ['output', '-json', '-no-color']);
    if (out.status !== 0) throw new Error(`terraform output failed:\n${out.stderr}`);
    const values = JSON.parse(out.stdout);
    return cases.map((_, i) => values[`c${i}`].value as string);
  });
}

export interface PlanResult {
  readonly ok: boolean;
  /** stdout and stderr of `terraform plan`. */
  readonly output: string;
}

/** Runs `terraform plan` on the given `variable` blocks (verbatim from the JSON) with `TF_VAR_*` values. */
export function planVariables(variables: Record<string, Json>, values: Record<string, string>): PlanResult {
  const env = Object.fromEntries(Object.entries(values).map(([k, v]) => [`TF_VAR_${k}`, v]));
  return inConfig({ variable: variables }, (dir) => {
    const r = run(dir, ['plan', '-input=false', '-lock=false', '-no-color'], env);
    return { ok: r.status === 0, output: `${r.stdout}\n${r.stderr}` };
  });
}

/** One working directory whose state lives across several `terraform` runs (apply, then plans). */
export interface TerraformWorkdir {
  /** Replaces the configuration (`main.tf.json`); the state stays. */
  write(config: Json): void;
  /** Runs terraform (plan and apply without input or locking) with `TF_VAR_*` values; returns the exit status and all output. */
  run(args: string[], values?: Record<string, string>): { status: number | null; output: string };
}

export function withWorkdir<T>(fn: (tf: TerraformWorkdir) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tf-work-'));
  try {
    return fn({
      write: (config) => writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2)),
      run: (args, values = {}) => {
        const env = Object.fromEntries(Object.entries(values).map(([k, v]) => [`TF_VAR_${k}`, v]));
        const flags = ['plan', 'apply'].includes(args[0])
          ? ['-input=false', '-lock=false', '-no-color']
          : ['-no-color'];
        const r = run(dir, [...args, ...flags], env);
        return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
