#!/usr/bin/env node
// The cdktf.json `app` and `npm run synth`: transpile (swc, no type-check) only when the
// sources changed since the last good build, then synthesize in this same process. Running
// tsc (about 2 s) on every `cdktf synth` cost 8x the synth itself; types are checked by
// `npm test` and `npm run build` instead. A content hash of the sources costs ~1 ms and,
// unlike mtimes, cannot be fooled by checkouts or copies that keep old timestamps.
'use strict';
const { createHash } = require('crypto');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const BUILD_CONFIG = 'tsconfig.build.json';
const STAMP = path.join(root, 'dist', '.build-hash');

/** The files the build reads: its tsconfig chain and every `.ts` under its `include`. */
function buildInputs() {
  const files = [];
  let config = BUILD_CONFIG;
  let include;
  let listed;
  while (config) {
    files.push(config);
    const json = JSON.parse(fs.readFileSync(path.join(root, config), 'utf8'));
    include = include ?? json.include;
    listed = listed ?? json.files;
    config = json.extends ? path.relative(root, path.resolve(root, path.dirname(config), json.extends)) : undefined;
  }
  for (const pattern of [...(include ?? []), ...(listed ?? [])]) {
    // `dir/**/*.ts` walks dir (hashing a little more than tsc reads is harmless); a path is one file.
    const base = pattern.includes('*') ? pattern.slice(0, pattern.indexOf('*')) : pattern;
    const start = path.join(root, base || '.');
    if (fs.existsSync(start)) walk(start, files);
  }
  return [...new Set(files)].sort();
}

function walk(p, out) {
  const stat = fs.statSync(p);
  if (stat.isFile()) {
    // JSON beside the sources (the image contract) is read at synth: hash it and copy it.
    if (p.endsWith('.ts') || p.endsWith('.json')) out.push(path.relative(root, p));
    return;
  }
  for (const name of fs.readdirSync(p)) {
    if (name === 'node_modules' || name === 'dist' || name === 'cdktf.out' || name.startsWith('.')) continue;
    walk(path.join(p, name), out);
  }
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

function sourceHash() {
  const h = createHash('sha256');
  for (const f of buildInputs())
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

const hash = sourceHash();
if (readStamp() !== hash || !fs.existsSync(path.join(root, 'dist', 'main.js'))) {
  try {
    const inputs = buildInputs();
    transpile(inputs.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')));
    for (const f of inputs.filter((i) => i.endsWith('.json') && !i.startsWith('tsconfig'))) {
      fs.mkdirSync(path.dirname(path.join(root, 'dist', f)), { recursive: true });
      fs.copyFileSync(path.join(root, f), path.join(root, 'dist', f));
    }
  } catch (e) {
    fs.rmSync(STAMP, { force: true });
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
  fs.writeFileSync(STAMP, hash);
}

// After the build step, so that swc is not cached. CDKTF_COMPILE_CACHE=0 turns it off; =report
// prints what it did (docs/performance.md).
if (process.env.CDKTF_COMPILE_CACHE !== '0') {
  const counts = require('./compile-cache').enableCompileCache(path.join(root, 'dist', '.compile-cache'));
  if (process.env.CDKTF_COMPILE_CACHE === 'report')
    process.on('exit', () =>
      console.error(
        counts
          ? `compile cache: ${counts.fromCache} modules from the cache, ${counts.compiled} compiled, ${counts.rejected} rejected by V8`
          : 'compile cache: not available on this Node (or source maps / an inspector are on)',
      ),
    );
}

require(path.join(root, 'dist', 'main.js'));
