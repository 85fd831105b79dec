#!/usr/bin/env node
/**
 * `twenty-gcp-review <base-ref>` or `twenty-gcp-review --from DIR --to DIR`:
 * a Markdown review of what a change does to each environment's Terraform.
 */
import { resolve } from 'path';
import { reviewApps } from './diff';
import type { StackReview, SynthesizedApp } from './types';
import { readJsonFile } from './files';
import { reviewPlan } from './plan';
import { countFlags, renderMarkdown } from './markdown';
import { loadOutdir, synthesizeProject, synthesizeRef, SynthOptions } from './synth';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_FLAGGED = 2;

export const USAGE = `Usage: twenty-gcp-review <base-ref> [options]
       twenty-gcp-review --from DIR [--to DIR] [options]
       twenty-gcp-review --plan PLAN.json [--synth cdk.tf.json] [--plan ... [--synth ...]] [options]

Compares the synthesized Terraform of <base-ref> (a git branch, tag or commit, synthesized
in a temporary worktree) or of the cdktf.out folder DIR with the working tree (or --to DIR),
and prints a Markdown report per environment. --plan reviews real plans instead: the output of
\`terraform show -json plan.out\` (one file per environment).

Options:
  --from DIR        cdktf.out folder to compare from (instead of <base-ref>)
  --to DIR          cdktf.out folder to compare to (default: synthesize the working tree)
  --app CMD         command that synthesizes into $CDKTF_OUTDIR (default: cdktf.json "app")
  --plan FILE       a \`terraform show -json\` plan to review (repeatable)
  --synth FILE      with --plan: the stack's cdktf.out/stacks/<stack>/cdk.tf.json, whose
                    guardrail suppressions the review lists (a plan has none); one per --plan
  --allow-destroy   exit 0 even when destroys, replacements or protection removals are flagged
  -h, --help        this text

Exit status: 0 nothing flagged (or --allow-destroy), 2 flagged changes, 1 usage or synth error.`;

export interface CliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

interface Args {
  ref?: string;
  from?: string;
  to?: string;
  app?: string;
  plans: string[];
  synths: string[];
  allowDestroy: boolean;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { allowDestroy: false, help: false, plans: [], synths: [] };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--allow-destroy') args.allowDestroy = true;
    else if (a === '-h' || a === '--help') args.help = true;
    else if (a === '--from') args.from = value();
    else if (a === '--to') args.to = value();
    else if (a === '--app') args.app = value();
    else if (a === '--plan') args.plans.push(value());
    else if (a === '--synth') args.synths.push(value());
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length > 1)
    throw new UsageError(`one base ref expected, got ${positional.length}: ${positional.join(' ')}`);
  args.ref = positional[0];
  if (!args.help && args.plans.length && (args.ref || args.from || args.to || args.app)) {
    throw new UsageError('--plan reviews plans on their own; leave out <base-ref>, --from, --to and --app');
  }
  if (!args.help && args.synths.length && args.synths.length !== args.plans.length)
    throw new UsageError(
      `--synth goes with --plan, one for each (in the same order): got ${args.plans.length} --plan and ${args.synths.length} --synth`,
    );
  if (!args.help && args.ref && args.from) throw new UsageError('give either <base-ref> or --from DIR, not both');
  if (!args.help && !args.ref && !args.from && !args.plans.length)
    throw new UsageError('give <base-ref> or --from DIR');
  return args;
}

class UsageError extends Error {}

export function main(argv: readonly string[], io: CliIo): number {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      io.stdout(`${USAGE}\n`);
      return EXIT_OK;
    }
    if (args.plans.length) {
      const stacks: StackReview[] = args.plans.map((p, i) => {
        const synth = args.synths[i];
        const json = synth === undefined ? undefined : readJsonFile(resolve(io.cwd, synth));
        return reviewPlan(p, readJsonFile(resolve(io.cwd, p)), json, synth);
      });
      io.stdout(
        renderMarkdown(stacks, {
          fromLabel: 'state',
          toLabel: args.plans.join(', '),
          allowDestroy: args.allowDestroy,
          title: 'Plan review',
        }),
      );
      return countFlags(stacks) > 0 && !args.allowDestroy ? EXIT_FLAGGED : EXIT_OK;
    }
    const options: SynthOptions = { appCommand: args.app, log: io.stderr };
    let from: SynthesizedApp;
    let fromLabel: string;
    if (args.ref) {
      io.stderr(`review: synthesizing ${args.ref}\n`);
      ({ app: from, label: fromLabel } = synthesizeRef(io.cwd, args.ref, options));
    } else {
      from = loadOutdir(resolve(io.cwd, args.from!));
      fromLabel = args.from!;
    }
    let to: SynthesizedApp;
    let toLabel: string;
    if (args.to) {
      to = loadOutdir(resolve(io.cwd, args.to));
      toLabel = args.to;
    } else {
      io.stderr('review: synthesizing the working tree\n');
      to = synthesizeProject(io.cwd, options);
      toLabel = 'working tree';
    }
    const stacks = reviewApps(from, to);
    io.stdout(renderMarkdown(stacks, { fromLabel, toLabel, allowDestroy: args.allowDestroy }));
    return countFlags(stacks) > 0 && !args.allowDestroy ? EXIT_FLAGGED : EXIT_OK;
  } catch (e) {
    io.stderr(`review: ${(e as Error).message}\n`);
    if (e instanceof UsageError) io.stderr(`\n${USAGE}\n`);
    return EXIT_ERROR;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  });
}
