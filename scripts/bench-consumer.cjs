#!/usr/bin/env node
// Benchmark-only: a consumer's app. It builds BENCH_ENVS TwentyStacks from the package entry
// point (dist/constructs, what `npm install cdktf-twenty-gcp` resolves), with the environments
// of scripts/bench-app.ts, exactly as a consumer would (no repository helper).
'use strict';
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'dist', 'constructs'));
if (typeof pkg.TwentyStack !== 'function') {
  console.error('the package does not export TwentyStack (issue 11 item 1 exports it)');
  process.exit(3);
}
const { benchEnvironments } = require(path.join(root, 'dist', 'scripts', 'bench-app.js'));
const { App } = require('cdktf');
const app = new App();
for (const env of benchEnvironments(Number(process.env.BENCH_ENVS ?? '1'))) new pkg.TwentyStack(app, env);
pkg.synthApp(app); // as the README's first example does
