#!/usr/bin/env node
// The cdktf.json `app` and `npm run synth`: transpile (swc, no type-check) only when the
// sources changed since the last good build, then synthesize in this same process. Running
// tsc (about 2 s) on every `cdktf synth` cost 8x the synth itself; types are checked by
// `npm test` and `npm run build` instead. A content hash of the sources, unlike mtimes, cannot
// be fooled by checkouts or copies that keep old timestamps; it costs 10-20 ms, so it is skipped
// when every input still has the stat recorded with it (unchangedSinceStamp).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const BUILD_CONFIG = 'tsconfig.build.json';
const STAMP = path.join(root, 'dist', '.build-hash');
const STATS = path.join(root, 'dist', '.build-stats.json');
const RACY_MS = 2000;

/**
 * The files the build reads: its tsconfig chain and every `.ts` under its `include`; with the
 * stat of each, and of each directory walked (adding or removing a file changes its
 * directory), taken before anything is read, and the include paths that do not exist.
 */
function buildInputs() {
  const files = [];
  const stats = {};
  const absent = [];
  let config = BUILD_CONFIG;
  let include;
  let listed;
  while (config) {
    files.push(config);
    stats[config] = statKey(fs.statSync(path.join(root, config)));
    const json = JSON.parse(fs.readFileSync(path.join(root, config), 'utf8'));
    include = include ?? json.include;
    listed = listed ?? json.files;
    config = json.extends ? path.relative(root, path.resolve(root, path.dirname(config), json.extends)) : undefined;
  }
  for (const pattern of [...(include ?? []), ...(listed ?? [])]) {
    // `dir/**/*.ts` walks dir (hashing a little more than tsc reads is harmless); a path is one file.
    const base = pattern.includes('*') ? pattern.slice(0, pattern.indexOf('*')) : pattern;
    const start = path.join(root, base || '.');
    if (fs.existsSync(start)) walk(start, files, stats);
    else absent.push(path.relative(root, start));
  }
  return { files: [...new Set(files)].sort(), stats, absent };
}

function walk(p, out, stats) {
  const stat = fs.statSync(p);
  const rel = path.relative(root, p);
  if (stat.isFile()) {
    // JSON beside the sources (the image contract) is read at synth: hash it and copy it.
    if (p.endsWith('.ts') || p.endsWith('.json')) {
      out.push(rel);
      stats[rel] = statKey(stat);
    }
    return;
  }
  stats[rel || '.'] = statKey(stat);
  for (const name of fs.readdirSync(p)) {
    if (name === 'node_modules' || name === 'dist' || name === 'cdktf.out' || name.startsWith('.')) continue;
    walk(path.join(p, name), out, stats);
  }
}

/**
 * What changes whenever a file's content, or a directory's entries, change: as git's index, the
 * inode's change time (which no copy or checkout can set back) with the size, modification
 * time and inode number.
 */
function statKey(s) {
  return `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;
}

/** TypeScript to CommonJS in dist/, as tsc would lay it out, without type-checking. */
function transpile(files) {
  const swc = require(require.resolve('@swc/core', { paths: [root] }));
  for (const f of files) {
    const { code } = swc.transformFileSync(path.join(root, f), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: false,
      swcrc: false,
    });
    const out = path.join(root, 'dist', f.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, code);
    // A bin (the review CLI) stays runnable through npx, as after `npm run build`.
    if (code.startsWith('#!')) fs.chmodSync(out, 0o755);
  }
}

function sourceHash(files) {
  const h = require('crypto').createHash('sha256');
  for (const f of files)
    h.update(`${f}\0`)
      .update(fs.readFileSync(path.join(root, f)))
      .update('\0');
  return h.digest('hex');
}

function readStamp() {
  try {
    return fs.readFileSync(STAMP, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether every input has the stat it had when the stamp's hash was last computed, so reading
 * and hashing the sources again (10-20 ms) can be skipped. An input changed within RACY_MS of
 * being recorded is never recorded (a coarse clock could give a later edit the same times);
 * the next run hashes it.
 */
function unchangedSinceStamp(stamp) {
  let record;
  try {
    record = JSON.parse(fs.readFileSync(STATS, 'utf8'));
  } catch {
    return false;
  }
  if (!stamp || record.hash !== stamp) return false;
  for (const [rel, key] of Object.entries(record.stats)) {
    try {
      if (statKey(fs.statSync(path.join(root, rel))) !== key) return false;
    } catch {
      return false;
    }
  }
  return record.absent.every((rel) => !fs.existsSync(path.join(root, rel)));
}

function recordStats(inputs, hash) {
  const recent = Date.now() - RACY_MS;
  const racy = Object.values(inputs.stats).some((key) => {
    const [, mtime, ctime] = key.split(':').map(Number);
    return mtime > recent || ctime > recent;
  });
  if (racy) fs.rmSync(STATS, { force: true });
  else fs.writeFileSync(STATS, JSON.stringify({ hash, stats: inputs.stats, absent: inputs.absent }));
}

/** CDKTF_COMPILE_CACHE: unset, 1 or on (the default); 0, off or false; report (on, and say what it did). */
function compileCacheSwitch(value) {
  if (value === undefined || value === '' || value === '1' || value === 'on') return 'on';
  if (value === '0' || value === 'off' || value === 'false') return 'off';
  if (value === 'report') return 'report';
  console.error(
    `CDKTF_COMPILE_CACHE is ${JSON.stringify(value)}; use 0 (or off) to turn the compile cache off, 1 (or on, the default), or report`,
  );
  process.exit(1);
}
// Checked first: a mistyped switch stops the synth before anything is built.
const cacheSwitch = compileCacheSwitch(process.env.CDKTF_COMPILE_CACHE);

const stamp = readStamp();
const main = path.join(root, 'dist', 'main.js');
if (!(unchangedSinceStamp(stamp) && fs.existsSync(main))) {
  const inputs = buildInputs();
  const hash = sourceHash(inputs.files);
  if (stamp !== hash || !fs.existsSync(main)) {
    try {
      transpile(inputs.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')));
      for (const f of inputs.files.filter((i) => i.endsWith('.json') && !i.startsWith('tsconfig'))) {
        fs.mkdirSync(path.dirname(path.join(root, 'dist', f)), { recursive: true });
        fs.copyFileSync(path.join(root, f), path.join(root, 'dist', f));
      }
    } catch (e) {
      fs.rmSync(STAMP, { force: true });
      fs.rmSync(STATS, { force: true });
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    }
    fs.writeFileSync(STAMP, hash);
  }
  recordStats(inputs, hash);
}

// After the build step, so that swc is not cached (docs/performance.md).
if (cacheSwitch !== 'off') {
  const counts = require('./compile-cache').enableCompileCache(path.join(root, 'dist', '.compile-cache'));
  if (cacheSwitch === 'report')
    process.on('exit', () =>
      console.error(
        counts
          ? `compile cache: ${counts.fromCache} modules from the cache, ${counts.compiled} compiled, ${counts.rejected} rejected (refused by V8, or damaged)`
          : 'compile cache: not available on this Node (before 20.15) or with source maps on',
      ),
    );
}

require(main);
