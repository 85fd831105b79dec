/**
 * A sandbox shaped like the twentycrm/twenty image as its contract records it: a PATH
 * directory holding exactly the contract's programs, a `yarn` stand-in built from the
 * contract that accepts only that line's scripts and arguments, records every call and
 * makes the database effects Twenty's programs make (through the real psql), and an
 * entrypoint stand-in built from the contract's entrypoint steps.
 */
import { spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ImageContract } from '../../constructs/twenty/contract';

/** What each program line of the contract does to the database, as SQL for psql. */
const DB_EFFECTS: Readonly<Record<string, string | undefined>> = {
  // setup-db.ts: schemas (and extensions, left out: they change nothing the job looks at).
  'node dist/database/scripts/setup-db.js': 'CREATE SCHEMA IF NOT EXISTS public; CREATE SCHEMA IF NOT EXISTS core',
  // run-instance-commands: TypeORM migrations and instance commands; they create the history
  // table and the core tables, among them core.workspace (empty until someone signs up).
  'node dist/command/command run-instance-commands':
    'CREATE TABLE IF NOT EXISTS core."upgradeMigration" (id serial PRIMARY KEY, name varchar NOT NULL); ' +
    'CREATE TABLE IF NOT EXISTS core.workspace (id serial PRIMARY KEY, subdomain varchar)',
  // command:prod upgrade reads the upgrade history first; it fails where there is none.
  'node dist/command/command upgrade': 'SELECT count(*) FROM core."upgradeMigration"',
  'node dist/command/command cache:flush': undefined,
  'node dist/command/command cron:register:all': undefined,
  'node dist/queue-worker/queue-worker': undefined,
  'node dist/main': undefined,
};

const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The `yarn` stand-in's source, from the contract's `yarnScripts`. */
export function yarnStandIn(c: ImageContract): string {
  const lines = [
    '#!/bin/sh',
    `# yarn, as the Twenty ${c.line} image contract records it: only its scripts and arguments.`,
    'set -eu',
    'printf \'%s\\n\' "$*" >> "$YARN_LOG"',
    'fail() { echo "yarn stand-in: $1" >&2; exit 1; }',
    'q() { PGOPTIONS="-c client_min_messages=warning" psql "$PG_DATABASE_URL" -X -v ON_ERROR_STOP=1 -tAc "$1" > /dev/null; }',
    'script="${1:-}"; cmd=""; allowed=""',
    '[ $# -gt 0 ] && shift',
    'case "$script" in',
  ];
  const effects: string[] = [];
  const effectOf = (run: string, key: string) => {
    if (run.startsWith('yarn ')) return [run];
    if (!(run in DB_EFFECTS)) throw new Error(`the stand-in does not know what "${run}" (${key}) does`);
    const sql = DB_EFFECTS[run];
    return sql ? [`q ${shQuote(sql)}`] : [':'];
  };
  for (const [name, script] of Object.entries(c.yarnScripts)) {
    if (script.commands) {
      lines.push(`  ${name}) cmd="\${1:-}"; [ $# -gt 0 ] && shift; case "$cmd" in`);
      for (const [cmd, { args }] of Object.entries(script.commands)) {
        lines.push(`    ${cmd}) allowed=${shQuote(args.join(' '))} ;;`);
        effects.push(
          `  ${shQuote(`${name} ${cmd}`)}) ${script.runs.flatMap((r) => effectOf(`${r} ${cmd}`, name)).join('; ')} ;;`,
        );
      }
      lines.push(`    *) fail "${name} has no command \\"$cmd\\"" ;;`, '  esac ;;');
    } else {
      lines.push(`  ${name}) allowed=${shQuote((script.args ?? []).join(' '))} ;;`);
      effects.push(`  ${shQuote(name)}) ${script.runs.flatMap((r) => effectOf(r, name)).join('; ')} ;;`);
    }
  }
  lines.push(
    '  *) fail "Couldn\'t find a script named \\"$script\\"" ;;',
    'esac',
    'for a in "$@"; do case " $allowed " in *" $a "*) ;; *) fail "$script${cmd:+ $cmd} does not take $a" ;; esac; done',
    'call="$script${cmd:+ $cmd}"',
    'if [ "${YARN_FAIL:-}" = "$call" ]; then echo "yarn stand-in: $call fails (YARN_FAIL)" >&2; exit 1; fi',
    // What upgrade prints when workspaces fail: the contract's log line, and exit 0.
    ...(c.upgradeWorkspaceFailures
      ? [
          `if [ -n "\${YARN_WORKSPACE_FAILURES:-}" ] && [ "$call" = 'command:prod upgrade' ]; then echo "${c.upgradeWorkspaceFailures.logLine.replace('${n}', '$YARN_WORKSPACE_FAILURES')}"; fi`,
        ]
      : []),
    // A program whose last line lacks its newline.
    'if [ -n "${YARN_NO_FINAL_NEWLINE:-}" ] && [ "$call" = "command:prod upgrade" ]; then printf "Command completed!"; fi',
    'case "$call" in',
    ...effects,
    'esac',
  );
  return `${lines.join('\n')}\n`;
}

/** The image entrypoint's steps and switches, from the contract (the migrate step stands for itself by its yarn calls). */
export function entrypointStandIn(c: ImageContract): string {
  const lines = [
    '#!/bin/sh',
    `# The Twenty ${c.line} image entrypoint's steps, as its contract records them.`,
    'set -e',
  ];
  for (const step of c.entrypoint.steps) {
    if (step.name === 'exec') {
      lines.push('exec "$@"');
      continue;
    }
    const soft = /warn/.test(step.onFailure ?? '');
    const body = step.runs
      .filter((r) => r.startsWith('yarn '))
      .map((r) => (soft ? `  ${r} || echo "Warning: ${step.name} failed, continuing"` : `  ${r}`));
    const guards = Object.entries(step.skipWhen ?? {}).map(([k, v]) => `[ "\${${k}:-}" != ${shQuote(v)} ]`);
    lines.push(guards.length ? `if ${guards.join(' && ')}; then` : 'if true; then', ...body, 'fi');
  }
  return `${lines.join('\n')}\n`;
}

export interface Sandbox {
  readonly dir: string;
  readonly path: string;
  readonly log: string;
  readonly entrypoint: string;
  calls(): string[];
  reset(): void;
  /** Runs `argv` with only the sandbox's PATH and `env`. */
  run(argv: readonly string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  remove(): void;
}

/**
 * `programs`: the real program behind each name the contract says the image has, other
 * than yarn (the stand-in). Anything the contract lists as lacking must not be given.
 */
export function makeSandbox(c: ImageContract, programs: Readonly<Record<string, string>>): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'twenty-image-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const name of c.programs.has) {
    const target = join(bin, name);
    if (name === 'yarn') {
      writeFileSync(target, yarnStandIn(c));
      chmodSync(target, 0o755);
    } else {
      if (!programs[name]) throw new Error(`no program given for "${name}", which the ${c.line} image has`);
      symlinkSync(programs[name], target);
    }
  }
  for (const name of Object.keys(programs)) {
    if (!c.programs.has.includes(name)) throw new Error(`"${name}" is not in the ${c.line} image`);
  }
  const entrypoint = join(dir, 'entrypoint.sh');
  writeFileSync(entrypoint, entrypointStandIn(c));
  chmodSync(entrypoint, 0o755);
  const log = join(dir, 'yarn.log');
  const reset = () => writeFileSync(log, '');
  reset();
  return {
    dir,
    path: bin,
    log,
    entrypoint,
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    reset,
    run: (argv, env) => {
      const r = spawnSync(argv[0], argv.slice(1), {
        cwd: dir,
        encoding: 'utf8',
        env: { ...env, PATH: bin, HOME: dir, PSQLRC: '/dev/null', YARN_LOG: log },
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
