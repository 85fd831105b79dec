#!/usr/bin/env node
/**
 * `npm run bench [-- options]`: whole-process wall time and peak RSS of synthesis and of the test
 * suites, as median and spread (min-max) over several runs after warm-up, printed as Markdown
 * (issue 7). Targets are reported, not enforced: timings are not tests.
 *
 *   --runs N        runs of each synth measurement (default 7, after 2 warm-ups)
 *   --test-runs N   runs of each build, CLI and test-suite measurement (default 3, after 1 warm-up)
 *   --warmups N     warm-up runs of every measurement (default: 2 for synth, 1 for the others)
 *   --cli PATH      cdktf-cli binary for `cdktf synth` (default: $BENCH_CDKTF_CLI, else `cdktf` on PATH)
 *   --skip-tests    leave out `npm test` and the jest suites
 *   --write FILE    also put the result between <!-- bench:start --> and <!-- bench:end --> in FILE
 *
 * Wall time is taken around the child process; peak RSS is the largest of the Node processes the
 * command starts (scripts/bench-rss.cjs, preloaded through NODE_OPTIONS, reports each).
 * Synth commands write to a fresh CDKTF_OUTDIR per run, and the stacks in its manifest are
 * counted, so a broken synth fails the benchmark instead of being timed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const RSS_HOOK = path.join(root, 'scripts', 'bench-rss.cjs');
const BUILD_STAMP = path.join(root, 'dist', '.build-hash');
const ENV_COUNTS = [1, 2, 4, 8];
const TARGETS = { floorRatio: 2.2, peakMb: 150, perResourceMs: 0.6, unitSuiteS: 20 };

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    'test-runs': { type: 'string', default: '3' },
    warmups: { type: 'string' },
    cli: { type: 'string' },
    'skip-tests': { type: 'boolean', default: false },
    write: { type: 'string' },
  },
});
const runs = wholeNumber(opts.runs, '--runs', 1);
const testRuns = wholeNumber(opts['test-runs'], '--test-runs', 1);
const warmups = opts.warmups === undefined ? undefined : wholeNumber(opts.warmups, '--warmups', 0);
const synthWarmups = warmups ?? 2;
const otherWarmups = warmups ?? 1;

function wholeNumber(text, flag, min) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${flag} "${text}" is invalid; give a whole number, ${min} or more`);
  return n;
}

// ---------------------------------------------------------------- measuring

/**
 * A measured command. `argv` runs without a shell unless `shell` is set; `stacks` is the number
 * of stacks a synth must produce; `outArgs` passes the output directory on the command line.
 */
function spec(label, shown, argv, extra = {}) {
  return { label, shown, argv, env: {}, ...extra, samples: [], error: undefined };
}

function runOnce(s) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'twenty-bench-'));
  const rssFile = path.join(tmp, 'rss');
  const outdir = path.join(tmp, 'out');
  const env = {
    ...process.env,
    ...s.env,
    BENCH_RSS_FILE: rssFile,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${RSS_HOOK}"`.trim(),
  };
  if (s.stacks) env.CDKTF_OUTDIR = outdir;
  const argv = s.outArgs ? [...s.argv, ...s.outArgs(outdir)] : s.argv;
  try {
    s.before?.();
    const start = performance.now();
    const r = s.shell
      ? spawnSync('/bin/sh', ['-c', argv.join(' ')], { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 })
      : spawnSync(argv[0], argv.slice(1), { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
    const wallMs = performance.now() - start;
    if (r.error) throw r.error;
    if (r.status !== 0) {
      const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(`\`${s.shown}\` exited with ${r.status ?? r.signal}:\n${tail}`);
    }
    if (s.stacks) {
      const manifest = path.join(outdir, 'manifest.json');
      const found = existsSync(manifest) ? Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).stacks).length : 0;
      if (found !== s.stacks) throw new Error(`\`${s.shown}\` synthesized ${found} stacks, expected ${s.stacks}`);
      s.resources = resourcesIn(outdir, manifest);
    }
    const reports = existsSync(rssFile)
      ? readFileSync(rssFile, 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' ').map(Number))
      : [];
    return {
      wallMs,
      rssMb: reports.length ? Math.max(...reports.map(([kb]) => kb)) / 1024 : NaN,
      cpuMs: reports.length ? reports.reduce((sum, [, us]) => sum + us, 0) / 1000 : NaN,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Managed resources in every stack of a synthesized outdir. */
function resourcesIn(outdir, manifest) {
  let n = 0;
  for (const stack of Object.values(JSON.parse(readFileSync(manifest, 'utf8')).stacks)) {
    const json = JSON.parse(readFileSync(path.join(outdir, stack.synthesizedStackPath), 'utf8'));
    for (const byName of Object.values(json.resource ?? {})) n += Object.keys(byName).length;
  }
  return n;
}

/** Warm-ups, then runs interleaved across the group so that drift hits every command alike. */
function measure(group, count, warmups) {
  for (let round = -warmups; round < count; round++) {
    for (const s of group) {
      if (s.error) continue;
      try {
        const sample = runOnce(s);
        if (round >= 0) s.samples.push(sample);
      } catch (e) {
        s.error = e.message;
        process.stderr.write(`bench: ${e.message}\n`);
      }
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
}

function stats(values) {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = Math.floor(v.length / 2);
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1], n: v.length };
}

const wall = (s) => stats(s.samples.map((x) => x.wallMs));
const rss = (s) => stats(s.samples.map((x) => x.rssMb));
const cpu = (s) => stats(s.samples.map((x) => x.cpuMs));

/** Least-squares slope of y (median time) against x (environment count). */
function slopeMs(points) {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

// ---------------------------------------------------------------- what is measured

const node = process.execPath;
const tsc = require.resolve('typescript/bin/tsc');
const jest = require.resolve('jest/bin/jest');
const appCommand = JSON.parse(readFileSync(path.join(root, 'cdktf.json'), 'utf8')).app;

const loadAtStart = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(', ');
process.stderr.write('bench: building once\n');
const build = spawnSync(node, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The app synthesizes every example environment and the bootstrap stack.
// The app synthesizes every example environment and the bootstrap stack.
const exampleCount =
  require(path.join(root, 'dist', 'examples', 'environments', 'environments.js')).ENVIRONMENTS.length + 1;

const bare = spec('bare Node start', 'node -e 0', [node, '-e', '0']);
const floor = spec('(c) floor: load cdktf', `node -e "require('cdktf')"`, [node, '-e', "require('cdktf')"]);
const app = spec(`(a) all example environments (${exampleCount}), cdktf.json app`, appCommand, [appCommand], {
  shell: true,
  stacks: exampleCount,
});
// scripts/app.js compiles with a V8 code cache (scripts/compile-cache.js); the warm-ups fill it.
const appNoCache = spec('(a) the same, compile cache off', `CDKTF_COMPILE_CACHE=0 ${appCommand}`, [appCommand], {
  shell: true,
  stacks: exampleCount,
  env: { CDKTF_COMPILE_CACHE: '0' },
});
// Without V8's optimizing compiler: less CPU, about the same wall time (docs/performance.md).
const appNoOpt = spec(
  '(a) the same, under node --no-opt',
  'node --no-opt scripts/app.js',
  [node, '--no-opt', 'scripts/app.js'],
  {
    stacks: exampleCount,
  },
);
const synthOnly = spec(
  '(a) the same, synth process only (no compile cache)',
  'node dist/main.js',
  [node, 'dist/main.js'],
  {
    stacks: exampleCount,
  },
);
const perEnv = ENV_COUNTS.map((n) =>
  spec(
    `(b) ${n} generated environment${n > 1 ? 's' : ''}`,
    `BENCH_ENVS=${n} node dist/scripts/bench-app.js`,
    [node, 'dist/scripts/bench-app.js'],
    {
      env: { BENCH_ENVS: String(n) },
      stacks: n,
      envs: n,
    },
  ),
);
// A consumer's app: TwentyStacks built from the package entry point (dist/constructs), as after `npm install`.
const consumer = ENV_COUNTS.map((n) =>
  spec(
    `(b) consumer app, ${n} environment${n > 1 ? 's' : ''} from the package`,
    `BENCH_ENVS=${n} node scripts/bench-consumer.cjs`,
    [node, 'scripts/bench-consumer.cjs'],
    {
      env: { BENCH_ENVS: String(n) },
      stacks: n,
      envs: n,
    },
  ),
);
const buildOnly = spec('package build only (tsc, type-checked)', 'tsc -p tsconfig.build.json', [
  node,
  tsc,
  '-p',
  'tsconfig.build.json',
]);
const staleApp = spec('cdktf.json app after a source edit (swc transpile + synth)', appCommand, [appCommand], {
  shell: true,
  stacks: exampleCount,
  before: () => rmSync(BUILD_STAMP, { force: true }),
});

const cli = findCli();
const cliVersion =
  cli && spec('cdktf CLI start-up', 'cdktf --version', [cli, '--version'], { env: { CHECKPOINT_DISABLE: '1' } });
const cliSynth =
  cli &&
  spec('cdktf CLI: `cdktf synth`, all example environments', 'cdktf synth', [cli, 'synth'], {
    env: { CHECKPOINT_DISABLE: '1' },
    stacks: exampleCount,
    outArgs: (dir) => ['--output', dir],
  });

const unit = spec('(d) unit + snapshot suite', 'jest --ci --testPathIgnorePatterns integration', [
  node,
  jest,
  '--ci',
  '--testPathIgnorePatterns',
  'integration',
]);
const unitCold = spec(
  '(d) the same, cold transform cache',
  'jest --ci --no-cache --testPathIgnorePatterns integration',
  [node, jest, '--ci', '--no-cache', '--testPathIgnorePatterns', 'integration'],
);
const npmTest = spec('(d) full `npm test` (tsc --noEmit + all jest suites)', 'npm test', ['npm', 'test']);

function findCli() {
  const given = opts.cli ?? process.env.BENCH_CDKTF_CLI;
  if (given) {
    if (!existsSync(given)) throw new Error(`--cli "${given}" does not exist`);
    return path.resolve(given);
  }
  const onPath = spawnSync('cdktf', ['--version'], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  return onPath.status === 0 ? 'cdktf' : undefined;
}

process.stderr.write(`bench: synth, ${runs} runs after ${synthWarmups} warm-ups\n`);
measure([bare, floor, app, appNoCache, appNoOpt, synthOnly, ...perEnv, ...consumer], runs, synthWarmups);
process.stderr.write(`bench: builds and CLI, ${testRuns} runs after ${otherWarmups} warm-ups\n`);
measure([buildOnly, staleApp, ...(cli ? [cliVersion, cliSynth] : [])], testRuns, otherWarmups);
if (!opts['skip-tests']) {
  process.stderr.write(`bench: test suites, ${testRuns} runs after ${otherWarmups} warm-ups\n`);
  measure([unit, unitCold, npmTest], testRuns, otherWarmups);
}

// ---------------------------------------------------------------- report

const sec = (ms) => (ms / 1000).toFixed(2);
const mb = (x) => x.toFixed(0);

function row(s) {
  if (s.error) return `| ${s.label} | \`${s.shown}\` | failed: ${s.error.split('\n').filter(Boolean).pop()} | | | | |`;
  const w = wall(s);
  const m = rss(s);
  const c = cpu(s);
  const ratio = floorWall && s.stacks ? ` (${(w.median / floorWall.median).toFixed(2)}x)` : '';
  return `| ${s.label} | \`${s.shown}\` | ${sec(w.median)} s${ratio} | ${sec(w.min)}-${sec(w.max)} | ${c ? `${sec(c.median)} s` : 'n/a'} | ${m ? `${mb(m.median)} MB` : 'n/a'} | ${m ? `${mb(m.min)}-${mb(m.max)}` : ''} |`;
}

function machine() {
  const free = spawnSync('free', ['-h'], { encoding: 'utf8' });
  const mem =
    free.status === 0
      ? free.stdout
          .split('\n')
          .find((l) => l.startsWith('Mem:'))
          ?.split(/\s+/)[1]
      : undefined;
  const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const cdktf = require('cdktf/package.json').version;
  return `${os.availableParallelism()} CPUs (\`nproc\`; ${cpu}), ${mem ?? `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`} memory (\`free -h\`), ${os.type()} ${os.release()}, Node ${process.version}, cdktf ${cdktf}`;
}

function verdict(ok) {
  return ok === undefined ? 'not measured' : ok ? 'met' : '**missed**';
}

const floorWall = floor.error ? undefined : wall(floor);
const appWall = app.error ? undefined : wall(app);
const appRss = app.error ? undefined : rss(app);
const envPoints = perEnv.filter((s) => !s.error).map((s) => ({ x: s.envs, y: wall(s).median }));
const perEnvMs = envPoints.length >= 2 ? slopeMs(envPoints) : undefined;
/** Least-squares ms per managed resource over the generated environments (x = resources synthesized). */
const perResource = (group, measure) => {
  const points = group.filter((s) => !s.error && s.resources).map((s) => ({ x: s.resources, y: measure(s).median }));
  return points.length >= 2 ? slopeMs(points) : undefined;
};
const perResourceMs = perResource(perEnv, wall);
const perResourceCpuMs = perResource(perEnv, cpu);
const consumerPerResourceMs = perResource(consumer, wall);
const consumerPerResourceCpuMs = perResource(consumer, cpu);
// The generated environments alternate between the examples (48 and 78 resources today): the
// average over the largest run is what one extra environment adds.
const largest = [...perEnv].reverse().find((s) => s.resources);
const resourcesPerEnv = largest ? Math.round(largest.resources / largest.envs) : undefined;
const unitWall = opts['skip-tests'] || unit.error ? undefined : wall(unit);
const ratio = floorWall && appWall ? appWall.median / floorWall.median : undefined;
const cpuRatio = floorWall && appWall ? cpu(app).median / cpu(floor).median : undefined;

const steps = envPoints.slice(1).map((p, i) => {
  const prev = envPoints[i];
  return `${prev.x}->${p.x}: ${((p.y - prev.y) / (p.x - prev.x)).toFixed(0)} ms per environment`;
});

const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on ${machine()}.`,
  `Median of ${runs} runs after ${synthWarmups} warm-ups (builds, CLI and test suites: ${testRuns} runs after ${otherWarmups}), run interleaved;`,
  'spread is min-max. Wall time is the whole process; CPU is user + system time summed over its Node processes',
  '(less disturbed than wall time by other load); peak RSS is the largest single Node process.',
  `Load average when the benchmark started: ${loadAtStart} (above ${os.availableParallelism()} means other work competed for the CPUs).`,
  'Ratios in brackets are to the floor (c).',
  '',
  '| measure | command | wall, median | wall spread (s) | CPU, median | peak RSS, median | RSS spread (MB) |',
  '|---|---|---|---|---|---|---|',
  ...[bare, floor, app, appNoCache, appNoOpt, synthOnly, staleApp, buildOnly, ...perEnv, ...consumer].map(row),
  ...(cli ? [cliVersion, cliSynth].map(row) : []),
  ...(opts['skip-tests'] ? [] : [unit, unitCold, npmTest].map(row)),
  '',
  '| target | measured | limit | |',
  '|---|---|---|---|',
  `| (a) wall time of all example environments vs the floor | ${ratio ? `${ratio.toFixed(2)}x (CPU ${cpuRatio.toFixed(2)}x)` : 'n/a'} | ${TARGETS.floorRatio}x | ${verdict(ratio && ratio <= TARGETS.floorRatio)} |`,
  `| (a) peak RSS | ${appRss ? `${mb(appRss.median)} MB` : 'n/a'} | < ${TARGETS.peakMb} MB | ${verdict(appRss && appRss.median < TARGETS.peakMb)} |`,
  `| (b) each extra environment, per resource it contains (slope over ${ENV_COUNTS.join(', ')} environments; ${perEnvMs !== undefined ? `${perEnvMs.toFixed(1)} ms per environment of ${resourcesPerEnv ?? '?'} resources on average` : 'n/a'}) | ${perResourceMs !== undefined ? `${perResourceMs.toFixed(2)} ms (CPU ${perResourceCpuMs.toFixed(2)} ms)` : 'n/a'} | < ${TARGETS.perResourceMs} ms | ${verdict(perResourceMs !== undefined ? perResourceMs < TARGETS.perResourceMs : undefined)} |`,
  `| (b) the same for a consumer app building TwentyStacks from the package | ${consumerPerResourceMs !== undefined ? `${consumerPerResourceMs.toFixed(2)} ms (CPU ${consumerPerResourceCpuMs.toFixed(2)} ms)` : `n/a${consumer[0].error ? `: ${consumer[0].error.split('\n').filter(Boolean).pop()}` : ''}`} | < ${TARGETS.perResourceMs} ms | ${verdict(consumerPerResourceMs !== undefined ? consumerPerResourceMs < TARGETS.perResourceMs : undefined)} |`,
  `| (d) unit + snapshot suite | ${unitWall ? `${sec(unitWall.median)} s` : 'n/a'} | < ${TARGETS.unitSuiteS} s | ${verdict(unitWall && unitWall.median < TARGETS.unitSuiteS * 1000)} |`,
  '',
  steps.length ? `Growth, (b): ${steps.join('; ')}.` : '',
  cli && !cliSynth.error && appWall
    ? `The cdktf CLI adds ${sec(wall(cliSynth).median - appWall.median)} s to the app's own synth (its start-up alone: ${sec(wall(cliVersion).median)} s); that part is outside this project.`
    : 'The cdktf CLI was not measured: install it apart from the project (`npm install --prefix /tmp/cdktf-cli cdktf-cli@0.21.0`) and pass `--cli /tmp/cdktf-cli/node_modules/.bin/cdktf`.',
].filter((l, i, all) => l !== '' || all[i - 1] !== '');

const report = lines.join('\n');
process.stdout.write(`${report}\n`);

if (opts.write) {
  const file = path.resolve(opts.write);
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${opts.write} has no "${start}" ... "${end}" block to replace`);
  writeFileSync(file, `${text.slice(0, a + start.length)}\n${report}\n${text.slice(b)}`);
  process.stderr.write(`bench: wrote ${opts.write}\n`);
}

const failed = [
  bare,
  floor,
  app,
  appNoCache,
  appNoOpt,
  synthOnly,
  staleApp,
  buildOnly,
  ...perEnv,
  unit,
  unitCold,
  npmTest,
  cliVersion,
  cliSynth,
].filter((s) => s?.error);
process.exit(failed.length ? 1 : 0);
