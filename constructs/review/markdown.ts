/** Renders a review as Markdown for a pull request. */
import { Json } from '../core/json';
import type { AttributeChange, FlagKind, StackReview } from './types';

export interface RenderOptions {
  /** What the review compares from, e.g. `main (a657553)`. */
  readonly fromLabel: string;
  /** What it compares to, e.g. `working tree`. */
  readonly toLabel: string;
  /** Flags were accepted with `--allow-destroy`. */
  readonly allowDestroy: boolean;
  /**
   * The report's heading.
   * @default 'Synth review'
   */
  readonly title?: string;
}

const LABEL: Record<FlagKind, string> = {
  destroy: 'DESTROY',
  rename: 'RENAME',
  replace: 'REPLACE',
  'protection-off': 'PROTECTION OFF',
  'iam-move': 'IAM MEMBER MOVES',
  suppression: 'GUARDRAIL SUPPRESSED',
  state: 'STATE MOVES',
};

export function countFlags(stacks: readonly StackReview[]): number {
  return stacks.reduce((n, s) => n + s.flags.length, 0);
}

export function renderMarkdown(stacks: readonly StackReview[], options: RenderOptions): string {
  const out: string[] = [
    `## ${options.title ?? 'Synth review'}: ${code(options.fromLabel)} → ${code(options.toLabel)}`,
    '',
  ];
  const flags = countFlags(stacks);
  if (flags === 0) {
    out.push('No destroyed, replaced or unprotected stateful resources.', '');
  } else {
    const what = `**${flags} dangerous change${flags === 1 ? '' : 's'}**: stateful resources destroyed, renamed or replaced, deletion protection turned off, IAM members moved, guardrails suppressed, or state moved.`;
    out.push(
      options.allowDestroy ? '> [!WARNING]' : '> [!CAUTION]',
      `> ${what}`,
      options.allowDestroy
        ? '> Accepted with `--allow-destroy`.'
        : '> Read each flag below. The review fails until they are fixed or it is re-run with `--allow-destroy`.',
      '',
    );
  }
  out.push('| environment | added | removed | changed | flags |', '|---|---:|---:|---:|---:|');
  for (const s of stacks) {
    out.push(
      `| ${code(s.stack)}${s.status === 'present' ? '' : ` (${s.status})`} | ${s.added.length} | ${s.removed.length} | ${s.changed.length} | ${s.flags.length} |`,
    );
  }
  for (const s of stacks) out.push('', ...renderStack(s));
  return `${out.join('\n')}\n`;
}

function renderStack(s: StackReview): string[] {
  const out = [`### ${code(s.stack)}`, ''];
  if (s.status === 'added') out.push('New environment.', '');
  if (s.status === 'removed') out.push('Environment removed from the app.', '');
  const empty =
    !s.added.length &&
    !s.removed.length &&
    !s.moved.length &&
    !s.changed.length &&
    !s.other.length &&
    !s.suppressions.length &&
    !s.replaced.length;
  if (empty && !s.flags.length) return [...out, 'No changes.'];
  if (s.flags.length) {
    out.push('#### Flags', '');
    for (const f of s.flags) {
      out.push(`- **${LABEL[f.kind]}** ${code(f.address)}: ${f.message}`);
      if (f.note) out.push(`  - **Will stop the apply:** ${f.note}`);
    }
    out.push('');
  }
  if (s.suppressions.length) {
    out.push(`#### Guardrail suppressions (${s.suppressions.length})`, '');
    for (const x of s.suppressions)
      out.push(`- ${x.isNew ? '**new** ' : ''}${code(x.ruleId)} on ${code(x.address)}: ${x.reason}`);
    out.push('');
  }
  const list = (title: string, items: string[]) => {
    if (items.length) out.push(`#### ${title} (${items.length})`, '', ...items.map((i) => `- ${i}`), '');
  };
  list(
    'Replaced, nothing lost',
    s.replaced.map((f) => `${code(f.address)}: ${f.message}`),
  );
  list('Added', s.added.map(code));
  list('Removed', s.removed.map(code));
  list(
    'Moved',
    s.moved.map((m) => `${code(m.from)} → ${code(m.to)}`),
  );
  if (s.changed.length) {
    out.push(`#### Changed (${s.changed.length})`, '');
    for (const r of s.changed) out.push(code(r.address), '', ...table('attribute', r.changes), '');
  }
  if (s.other.length) out.push('#### Other settings', '', ...table('setting', s.other), '');
  while (out[out.length - 1] === '') out.pop();
  return out;
}

function table(first: string, changes: readonly AttributeChange[]): string[] {
  return [
    `| ${first} | from | to |`,
    '|---|---|---|',
    ...changes.map((c) => `| ${code(c.path)} | ${value(c.from)} | ${value(c.to)} |`),
  ];
}

function value(v: Json): string {
  return v === undefined ? '*(absent)*' : code(JSON.stringify(v));
}

/** An inline code span that survives backticks and table pipes in the text. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}
