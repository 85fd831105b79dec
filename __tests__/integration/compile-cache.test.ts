/**
 * scripts/compile-cache.js, the V8 code cache `scripts/app.js` (the cdktf.json app) compiles
 * modules with. Each case runs real Node processes on modules in a temp dir; a module's exports
 * are compared with what Node's own compile gives.
 */
import { spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Script } from 'vm';
import { crc32 } from 'zlib';

const CACHE_MODULE = resolve(__dirname, '../../scripts/compile-cache.js');

let dir: string;
/** The cache directory, and the file in it for a plain `node` (no options). */
let cacheDir: string;
let cache: string;

/** A module that reports what Node hands it: its file, `require` and its helpers, a child module. */
const A = (value: string) => `'use strict';
const b = require('./b');
module.exports = {
  value: '${value}',
  file: __filename,
  dir: __dirname,
  resolved: require.resolve('./b'),
  paths: require.resolve.paths('some-package'),
  cached: Object.keys(require.cache).includes(require.resolve('./b')),
  mainIsRunner: require.main && require.main.filename === ${JSON.stringify('RUNNER')},
  extensions: Object.keys(require.extensions),
  thisIsExports: this === module.exports,
  marker: 'compile-cache-marker-q8z',
  resolvePathsOfNumber: (() => { try { require.resolve.paths(5); return 'no error'; } catch (e) { return e.code; } })(),
  b,
};
`;

/** Requires `./a` with the cache on (unless OFF is set) and prints the counters and the exports. */
const RUNNER = `'use strict';
const { enableCompileCache } = require(${JSON.stringify(CACHE_MODULE)});
const counts = process.env.OFF ? null : enableCompileCache(process.argv[2]);
if (process.env.FAIL_RENAME) require('fs').renameSync = () => { throw new Error('rename failed'); };
const out = require('./a');
process.stdout.write(JSON.stringify({ counts, out }));
`;

/** The file for this Node and a set of its options, as compile-cache.js names it. */
function cacheFile(options: string): string {
  return `${crc32(`${process.version} ${process.arch} ${options}`.trim()).toString(16).padStart(8, '0')}.bin`;
}

function run(env: Record<string, string> = {}, nodeOptions: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeOptions, join(dir, 'run.js'), cacheDir], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  return { status: r.status, stderr: r.stderr, ...(r.status === 0 ? JSON.parse(r.stdout) : {}) };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'compile-cache-'));
  cacheDir = join(dir, 'cache');
  cache = join(cacheDir, cacheFile(''));
  writeFileSync(join(dir, 'run.js'), RUNNER);
  writeFileSync(join(dir, 'a.js'), A('aaaa').replace('RUNNER', join(dir, 'run.js')));
  writeFileSync(join(dir, 'b.js'), "module.exports = function b() { return 'from b'; }.toString();\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a second run takes every module from the cache, and each module gets what Node itself gives it', () => {
  const off = run({ OFF: '1' });
  expect(off.status).toBe(0);
  const cold = run();
  expect(cold.counts).toEqual({ fromCache: 0, compiled: 2, rejected: 0 });
  expect(existsSync(cache)).toBe(true);
  const warm = run();
  expect(warm.counts).toEqual({ fromCache: 2, compiled: 0, rejected: 0 });
  for (const r of [cold, warm]) expect(r.out).toEqual(off.out);
  expect(off.out).toMatchObject({
    value: 'aaaa',
    cached: true,
    mainIsRunner: true,
    thisIsExports: true,
    resolvePathsOfNumber: 'ERR_INVALID_ARG_TYPE',
  });
  expect(off.out.b).toContain('from b');
});

test('V8 alone runs the old code of a module edited to the same length (why the cache checks a CRC-32)', () => {
  const old = new Script("(function () { return 'aaaa'; })", { filename: '/x/a.js' });
  (old.runInThisContext() as () => string)();
  const edited = new Script("(function () { return 'bbbb'; })", {
    filename: '/x/a.js',
    cachedData: old.createCachedData(),
  });
  expect(edited.cachedDataRejected).toBe(false);
  expect((edited.runInThisContext() as () => string)()).toBe('aaaa');
});

test('a module edited to the same length is compiled again, never run from the cache', () => {
  run();
  expect(run().counts.fromCache).toBe(2);
  writeFileSync(join(dir, 'a.js'), A('bbbb').replace('RUNNER', join(dir, 'run.js')));
  const edited = run();
  expect(edited.out.value).toBe('bbbb');
  expect(edited.counts).toEqual({ fromCache: 1, compiled: 1, rejected: 0 });
  expect(run().counts).toEqual({ fromCache: 2, compiled: 0, rejected: 0 });
});

test('a corrupt or truncated cache is ignored and rewritten', () => {
  run();
  const good = readFileSync(cache);
  for (const bad of [Buffer.from('garbage\n'), good.subarray(0, good.length - 10), Buffer.alloc(0)]) {
    writeFileSync(cache, bad);
    const r = run();
    expect(r.out.value).toBe('aaaa');
    expect(r.counts).toEqual({ fromCache: 0, compiled: 2, rejected: 0 });
    expect(run().counts).toEqual({ fromCache: 2, compiled: 0, rejected: 0 });
  }
});

test('each Node version and set of options has its own cache file, so running both ways rewrites neither', () => {
  run();
  const flagged = run({}, ['--no-opt']);
  expect(flagged.counts).toEqual({ fromCache: 0, compiled: 2, rejected: 0 });
  expect(readdirSync(cacheDir).sort()).toEqual([cacheFile(''), cacheFile('--no-opt')].sort());
  expect(run().counts).toEqual({ fromCache: 2, compiled: 0, rejected: 0 });
  expect(run({}, ['--no-opt']).counts).toEqual({ fromCache: 2, compiled: 0, rejected: 0 });
  expect(run({ NODE_OPTIONS: '--max-old-space-size=300' }).counts).toEqual({ fromCache: 0, compiled: 2, rejected: 0 });
  expect(readdirSync(cacheDir)).toContain(cacheFile('--max-old-space-size=300'));
});

test('an entry V8 refuses (made under other V8 flags) is compiled, counted as rejected, and replaced', () => {
  run({}, ['--no-opt']);
  copyFileSync(join(cacheDir, cacheFile('--no-opt')), cache);
  expect(run().counts).toEqual({ fromCache: 0, compiled: 0, rejected: 2 });
  expect(run().counts).toEqual({ fromCache: 2, compiled: 0, rejected: 0 });
});

test('a run that fails writes no cache: it compiled only part of what a whole run does', () => {
  writeFileSync(join(dir, 'b.js'), "throw new Error('b failed');\n");
  const r = run();
  expect(r.status).not.toBe(0);
  expect(existsSync(cache)).toBe(false);
});

test("errors name the module's file, line and column, with and without the cache", () => {
  writeFileSync(join(dir, 'b.js'), "'use strict';\n\nthrow new Error('b failed');\n");
  for (const env of [{ OFF: '1' }, {}] as Record<string, string>[])
    expect(run(env).stderr).toContain(`${join(dir, 'b.js')}:3:7`);
  // Line 1 starts inside the module wrapper: its columns are Node's too.
  writeFileSync(join(dir, 'b.js'), "throw new Error('b failed');\n");
  for (const env of [{ OFF: '1' }, {}] as Record<string, string>[])
    expect(run(env).stderr).toContain(`${join(dir, 'b.js')}:1:7`);
  writeFileSync(join(dir, 'b.js'), "'use strict';\nconst x = ;\n");
  for (const env of [{ OFF: '1' }, {}] as Record<string, string>[]) {
    const r = run(env);
    expect(r.stderr).toContain(`${join(dir, 'b.js')}:2`);
    expect(r.stderr).toContain('SyntaxError');
  }
});

test('a damaged byte in the stored code is caught by its CRC-32: the module is compiled, never run damaged', () => {
  run();
  const bytes = readFileSync(cache);
  const at = bytes.indexOf('compile-cache-marker-q8z');
  expect(at).toBeGreaterThan(64); // the string is in a.js's code cache, not only in the index
  bytes[at] = 'X'.charCodeAt(0);
  writeFileSync(cache, bytes);
  const r = run();
  expect(r.out.marker).toBe('compile-cache-marker-q8z');
  expect(r.counts).toEqual({ fromCache: 1, compiled: 0, rejected: 1 });
  expect(run().counts).toEqual({ fromCache: 2, compiled: 0, rejected: 0 });
});

test('a .js file with ES module syntax loads as Node loads it without the cache', () => {
  writeFileSync(join(dir, 'b.js'), "export const b = 'from an ES module';\n");
  const off = run({ OFF: '1' });
  run();
  const on = run();
  expect({ status: on.status, out: on.out }).toEqual({ status: off.status, out: off.out });
});

test('a write that fails leaves no temporary file behind', () => {
  const r = run({ FAIL_RENAME: '1' });
  expect(r.status).toBe(0);
  expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
});

test('with source maps on (--enable-source-maps) it stands aside: Node maps them in its own compile', () => {
  const r = run({}, ['--enable-source-maps']);
  expect(r.status).toBe(0);
  expect(r.counts).toBeUndefined();
  expect(r.out.value).toBe('aaaa');
  expect(existsSync(cacheDir)).toBe(false);
});

test("a module that starts with a shebang keeps Node's own compile", () => {
  writeFileSync(join(dir, 'b.js'), "#!/usr/bin/env node\nmodule.exports = 'from b';\n");
  run();
  const r = run();
  expect(r.out.b).toBe('from b');
  expect(r.counts).toEqual({ fromCache: 1, compiled: 0, rejected: 0 });
});

test('the cache file is written whole or not at all (through a temporary file)', () => {
  run();
  expect(readdirSync(cacheDir)).toEqual([cacheFile('')]);
  expect(statSync(cache).size).toBeGreaterThan(64);
});
