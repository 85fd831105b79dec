import { AnnotationMetadataEntryType, App, TerraformResource, TerraformStack } from 'cdktf';
// Not re-exported from the cdktf root; App.synth uses the same class.
import { StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';
import { IConstruct } from 'constructs';
import { rmSync } from 'fs';
import { join } from 'path';
import { Guardrails } from '../guardrails';
import { preparePassSkippable, UnpreparedCrossStackReference, withoutPreparePass } from '../core/prepare-pass';
import { setSynthWarningPrinter } from '../core/synth-warnings';
import { pauseTokenTraces } from '../core/token-traces';
import { registeredProblems } from '../core/validation';
import { TwentyStack } from './twenty-stack';

export type FindingLevel = 'error' | 'warning' | 'info';

/** One problem, warning or note of the app, from a construct's validation or an annotation. */
export interface Finding {
  readonly level: FindingLevel;
  /** The stack's id, or `(app)` outside any stack. */
  readonly stack: string;
  /** What the finding is about: `environment "prod"`, `TwentyBackendService twenty-prod/server` or a construct path. */
  readonly subject: string;
  readonly message: string;
}

const LEVELS: Record<string, FindingLevel> = {
  [AnnotationMetadataEntryType.ERROR]: 'error',
  [AnnotationMetadataEntryType.WARN]: 'warning',
  [AnnotationMetadataEntryType.INFO]: 'info',
};

function stackOf(node: IConstruct): string {
  const scope = node.node.scopes.find((s) => TerraformStack.isStack(s));
  return scope ? scope.node.id : '(app)';
}

/**
 * Every problem (construct validations, error annotations such as guardrail findings), warning
 * and note under `root`, in tree order. A message is kept once per stack and level: the
 * environment, the database and the server all check the same Twenty version, and it is one
 * problem to the user.
 */
export function collectFindings(root: IConstruct, options: { readonly validations?: boolean } = {}): Finding[] {
  const validations = options.validations ?? true;
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const push = (level: FindingLevel, stack: string, subject: string, message: string) => {
    const key = `${stack}\0${level}\0${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ level, stack, subject, message });
  };
  // This is the app-level report: the constructs' own stderr fallback for warnings stays quiet.
  const printer = setSynthWarningPrinter(undefined);
  try {
    for (const node of root.node.findAll()) collectNode(node, push, validations);
  } finally {
    setSynthWarningPrinter(printer);
  }
  return findings;
}

function collectNode(
  node: IConstruct,
  push: (level: FindingLevel, stack: string, subject: string, message: string) => void,
  validations: boolean,
): void {
  const stack = stackOf(node);
  const registered = registeredProblems(node);
  // Annotations (guardrail findings on a resource) go under the construct that made the node.
  const owner = [...node.node.scopes]
    .reverse()
    .map((s) => registeredProblems(s)[0]?.subject)
    .find((s) => s !== undefined);
  const own = new Set(registered.flatMap((r) => r.messages.map((m) => `${r.subject}: ${m}`)));
  if (validations) {
    for (const r of registered) for (const m of r.messages) push('error', stack, r.subject, m);
    for (const v of node.node.validate()) if (!own.has(v)) push('error', stack, node.node.path, v);
  }
  for (const entry of node.node.metadata) {
    const level = LEVELS[entry.type];
    // Under the construct's own name, e.g. `TwentyBackendService twenty-prod/server`, when it has one.
    if (level) push(level, stack, owner ?? node.node.path, String(entry.data));
  }
}

/** The findings of one level as lines, grouped by stack and subject. */
export function formatFindings(findings: readonly Finding[]): string[] {
  const lines: string[] = [];
  const byStack = groupBy(findings, (f) => f.stack);
  for (const [stack, ofStack] of byStack) {
    lines.push(`${stack}:`);
    for (const [subject, ofSubject] of groupBy(ofStack, (f) => f.subject)) {
      lines.push(`  ${subject}`);
      for (const f of ofSubject)
        lines.push(...f.message.split('\n').map((l, i) => `${i === 0 ? '    - ' : '      '}${l}`));
    }
  }
  return lines;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Resource families for the summary, by Terraform type prefix; the first match wins. */
const FAMILIES: readonly (readonly [RegExp, string])[] = [
  [/^google_project_service$/, 'APIs'],
  [/^google_cloud_run_/, 'Cloud Run'],
  [/^google_sql_/, 'Cloud SQL'],
  [/^google_secret_manager_/, 'Secret Manager'],
  [/^google_storage_/, 'Cloud Storage'],
  [/^google_(service_account|project_iam_)/, 'IAM'],
  [/^google_iam_workload_identity_pool/, 'workload identity federation'],
  [/^google_compute_/, 'load balancer'],
  [/^google_firebase_/, 'Firebase Hosting'],
  [/^google_(monitoring|logging)_/, 'monitoring'],
  [/^time_sleep$/, 'IAM propagation wait'],
  [/^google_artifact_registry_/, 'image mirror'],
  [/^terraform_data$/, 'terraform_data'],
];

/** Resource counts of a stack by kind (`Cloud Run`, `Cloud SQL`, ... or the Terraform type), most first. */
export function resourceCounts(stack: TerraformStack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of stack.node.findAll()) {
    if (!(node instanceof TerraformResource)) continue;
    const type = node.terraformResourceType;
    const kind = FAMILIES.find(([re]) => re.test(type))?.[1] ?? type;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  // Not localeCompare: its first call loads ICU's collator, ~6 ms of every synth. The kinds are
  // ASCII, where comparing lowercased strings gives the collator's order.
  const byName = (a: string, b: string) =>
    a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  return new Map([...counts].sort((a, b) => b[1] - a[1] || byName(a[0], b[0])));
}

/** The synth summary of one stack: what it made, where users go, what to do next. */
export function summaryLines(stack: TerraformStack): string[] {
  const counts = resourceCounts(stack);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const lines = [
    `${stack.node.id}: ${plural(total, 'resource')}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}`,
  ];
  if (stack instanceof TwentyStack) {
    const s = stack.summary();
    lines.push(`  ${s.publicUrl} through ${s.frontDoor}`);
    lines.push('  next:');
    s.nextSteps.forEach((step, i) => lines.push(`    ${i + 1}. ${step}`));
  }
  const suppressed = Guardrails.suppressionsOf(stack);
  if (suppressed.length) {
    lines.push('  guardrail suppressions (accepted findings):');
    for (const s of suppressed) lines.push(`    - ${s.finding} (suppressed on ${s.on}: ${s.reason})`);
  }
  return lines;
}

export interface SynthAppOptions {
  /**
   * Where the summary goes.
   * @default standard output
   */
  readonly out?: (line: string) => void;
  /**
   * Where problems and warnings go.
   * @default standard error
   */
  readonly err?: (line: string) => void;
  /**
   * Set `process.exitCode = 1` when the synth fails.
   * @default true
   */
  readonly setExitCode?: boolean;
  /**
   * Print the per-stack summary after a good synth.
   * @default true
   */
  readonly summary?: boolean;
}

export interface SynthResult {
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

/**
 * `app.synth()` for a whole app with one report: every problem of every stack (config,
 * constructs, guardrails) is printed once, grouped by stack and construct, without a stack
 * trace; warnings print on every run; a failed synth removes the app's stack folders and
 * manifest from the output, so nothing stale looks valid; a good one prints a summary per
 * stack. Use it as the last line of the app instead of `app.synth()`.
 */
export function synthApp(app: App, options: SynthAppOptions = {}): SynthResult {
  // The report prints every warning and the summary every suppression: the constructs' own
  // stderr fallback (core/synth-warnings.ts) stays quiet for the whole synth, not only while collecting.
  const printer = setSynthWarningPrinter(undefined);
  try {
    return synthReported(app, options);
  } finally {
    setSynthWarningPrinter(printer);
  }
}

function synthReported(app: App, options: SynthAppOptions): SynthResult {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  let crash: Error | undefined;
  let failed = false;
  // As App.synth does, but every stack is synthesized even when one fails, error annotations
  // (guardrails) do not throw, and the problems are collected afterwards from all stacks.
  const session = { outdir: app.outdir, skipValidation: false, manifest: app.manifest };
  const synthesizeAll = (prepare: boolean) => {
    crash = undefined;
    failed = false;
    try {
      for (const stack of stacks) {
        if (prepare) stack.prepareStack();
        else stack.ensureBackendExists(); // the rest of prepareStack is the preparing pass
      }
    } catch (e) {
      crash = e instanceof Error ? e : new Error(String(e));
    }
    for (const stack of crash ? [] : stacks) {
      try {
        new StackSynthesizer(stack, true, app.hclOutput).synthesize(session);
      } catch (e) {
        if (e instanceof UnpreparedCrossStackReference) throw e;
        // A failed validation, collected below; anything else is reported as it is.
        failed = true;
        crash ??= e instanceof Error ? e : new Error(String(e));
      }
    }
  };
  // Tokens made while synthesizing (aspects, provider references) get no trace (core/token-traces.ts).
  const resumeTraces = pauseTokenTraces();
  try {
    // Without cdktf's preparing pass when no stack references another (core/prepare-pass.ts).
    if (!preparePassSkippable() || !withoutPreparePass(() => synthesizeAll(false))) {
      // The manifest keeps each stack's entry, made before the cross-stack dependencies existed.
      for (const stack of stacks)
        delete (app.manifest as unknown as { stacks: Record<string, unknown> }).stacks[stack.node.id];
      synthesizeAll(true);
    }
  } finally {
    resumeTraces();
  }
  // After a synth whose validations all passed, only the annotations are left to read (running
  // the validations again would check every stack's guardrails a second time).
  const findings = collectFindings(app, { validations: failed || crash !== undefined });
  if (!failed && !crash)
    for (const v of app.node.validate())
      findings.push({ level: 'error', stack: '(app)', subject: '(app)', message: v });
  const errors = findings.filter((f) => f.level === 'error');
  const warnings = findings.filter((f) => f.level === 'warning');
  if (warnings.length) err([`${plural(warnings.length, 'warning')}:`, ...formatFindings(warnings)].join('\n'));
  if (errors.length || crash) {
    const lines = [
      `Synth failed: ${plural(errors.length, 'problem')} in ${plural(new Set(errors.map((e) => e.stack)).size, 'stack')}.`,
      ...formatFindings(errors),
    ];
    // A validation failure is the list above; anything else in its first line only (a stack
    // trace says nothing about the config).
    if (crash && errors.length === 0) lines.push(`Synth stopped: ${crash.message.split('\n')[0]}`);
    lines.push(
      `No stack was written to ${app.outdir} (earlier output of these stacks was removed); fix the above and synth again.`,
    );
    err(lines.join('\n'));
    for (const stack of stacks)
      rmSync(join(app.outdir, app.manifest.forStack(stack).workingDirectory), { recursive: true, force: true });
    rmSync(join(app.outdir, 'manifest.json'), { force: true });
    if (options.setExitCode ?? true) process.exitCode = 1;
    return { ok: false, findings };
  }
  // Printed above; the cdktf CLI would print the manifest's annotations a second time.
  for (const stack of stacks) (app.manifest.forStack(stack) as { annotations: unknown[] }).annotations = [];
  app.manifest.writeToFile();
  if (options.summary ?? true) for (const stack of stacks) out(summaryLines(stack).join('\n'));
  return { ok: true, findings };
}
