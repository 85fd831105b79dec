#!/usr/bin/env node
// The cdktf.json `app` and `npm run synth`: compile only when the sources changed since the
// last good build, then synthesize in this same process. Running tsc (about 2 s) and `npm run`
// on every `cdktf synth` cost 8x the synth itself; a content hash of the sources costs ~1 ms
// and, unlike mtimes, cannot be fooled by checkouts or copies that keep old timestamps.
'use strict';
const { createHash } = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

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
    if (p.endsWith('.ts')) out.push(path.relative(root, p));
    return;
  }
  for (const name of fs.readdirSync(p)) {
    if (name === 'node_modules' || name === 'dist' || name === 'cdktf.out' || name.startsWith('.')) continue;
    walk(path.join(p, name), out);
  }
}

function sourceHash() {
  const h = createHash('sha256');
  for (const f of buildInputs()) h.update(`${f}\0`).update(fs.readFileSync(path.join(root, f))).update('\0');
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
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const r = spawnSync(process.execPath, [tsc, '-p', BUILD_CONFIG], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    fs.rmSync(STAMP, { force: true });
    process.exit(r.status ?? 1);
  }
  fs.writeFileSync(STAMP, hash);
}

require(path.join(root, 'dist', 'main.js'));
