'use strict';
// A V8 code cache for the CommonJS modules the synth loads (cdktf, the provider bindings, dist/).
// Measured on 2 cores: parsing and lazily compiling them is about 60 ms of a 0.43 s synth, most
// of it the bindings' 12 MB. Node 22 has this built in (module.enableCompileCache); Node 20,
// which this project supports, does not. The cache is made after the synth ran, so it holds the
// functions the synth called, not only each module's top level (v8-compile-cache, made before,
// measured no faster). An entry is used only when the module's path, length and CRC-32 all match:
// V8 checks only its version, its flags and the source's length, and runs the cached code of an
// edited module of the same length (a test shows it). A rejected entry costs only a compile.
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');
const zlib = require('zlib');

const MAGIC = 'twenty-compile-cache/2';

/**
 * Compiles every CommonJS module loaded after this call with the code cache in `dir`, and
 * rewrites it at exit when any module was compiled afresh. V8 refuses a cache made by another
 * V8 or under other flags, so each Node version and set of options (`node --no-opt`,
 * NODE_OPTIONS) has its own file: running the app both ways does not rewrite one file each run. Returns the counters, or
 * undefined when it cannot run here (no zlib.crc32 before Node 20.15, no main-context
 * `import()` loader before 20.12, or source maps on: Node maps them in its own compile).
 */
function enableCompileCache(dir) {
  if (typeof zlib.crc32 !== 'function' || !vm.constants || !vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER)
    return undefined;
  if (process.sourceMapsEnabled) return undefined;
  const options = [process.version, process.arch, ...process.execArgv, process.env.NODE_OPTIONS || ''].join(' ').trim();
  const file = path.join(dir, `${zlib.crc32(options).toString(16).padStart(8, '0')}.bin`);
  const stored = open(file);
  const scripts = new Map(); // filename -> { crc, length, script }, every module compiled here
  // rejected: entries refused by V8 (another V8 or flags) or whose stored bytes fail their CRC-32.
  const counts = { fromCache: 0, compiled: 0, rejected: 0 };
  const compile = Module.prototype._compile;

  Module.prototype._compile = function cachedCompile(content, filename, format) {
    // A shebang is legal only at a script's start, not inside the module wrapper. Newer Nodes
    // also pass ES modules and TypeScript through here (`format`): those keep Node's compile.
    if (content.startsWith('#!') || scripts.has(filename) || (format !== undefined && format !== 'commonjs'))
      return compile.apply(this, arguments);
    const crc = zlib.crc32(content);
    const entry = stored.index.get(filename);
    const matches = entry && entry.crc === crc && entry.length === content.length;
    // V8 does not check the cache data itself: a damaged byte would run as damaged code.
    const cachedData = matches ? stored.data(entry) : undefined;
    let script;
    try {
      script = new vm.Script(Module.wrap(content), {
        filename,
        columnOffset: -WRAPPER_PREFIX, // columns on line 1 as Node reports them
        cachedData,
        importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch (e) {
      // Node's compile may still load it (Node 20.19+ detects ES module syntax in a .js file),
      // or throws the same SyntaxError it would without the cache.
      if (e instanceof SyntaxError) return compile.apply(this, arguments);
      throw e;
    }
    if (!matches) counts.compiled++;
    else counts[!cachedData || script.cachedDataRejected ? 'rejected' : 'fromCache']++;
    scripts.set(filename, { crc, length: content.length, script });
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };

  // Only a synth that succeeded is kept: one that stopped early compiled only part of what a
  // synth runs, and a cache that matches in full is never rewritten.
  process.on('exit', (code) => {
    stored.close();
    if (code !== 0 || (counts.compiled + counts.rejected === 0 && scripts.size === stored.index.size)) return;
    try {
      write(file, scripts);
    } catch {
      // A cache that cannot be written costs the next run its compile, nothing else.
    }
  });
  return counts;
}

/** The module wrapper's text before the module's first character. */
const WRAPPER_PREFIX = Module.wrap('\0').indexOf('\0');

/** `require` as Node gives it to a module (lib/internal/modules/helpers.js, makeRequireFunction). */
function requireFor(mod) {
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(validRequest(request), mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(validRequest(request), mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function validRequest(request) {
  if (typeof request === 'string') return request;
  const e = new TypeError(`The "request" argument must be of type string. Received ${typeof request}`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  throw e;
}

/**
 * The file: a first line of HEAD bytes, `MAGIC <offset> <bytes>` padded with spaces; the
 * entries' cache data back to back; at `offset`, the index `[filename, crc, length, bytes,
 * crc of the bytes][]` as JSON of that many bytes. Each entry is read only when its module is compiled, and written
 * as soon as it is made, so no copy of the whole cache (13 MB here) is ever in memory. Anything
 * unreadable is an empty cache.
 */
function open(file) {
  const empty = { index: new Map(), data: () => undefined, close: () => undefined };
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return empty;
  }
  const close = () => fs.closeSync(fd);
  try {
    const head = Buffer.alloc(HEAD);
    if (fs.readSync(fd, head, 0, HEAD, 0) !== HEAD) throw new Error('truncated');
    const [magic, at, size] = head.toString('latin1').trim().split(' ');
    const json = Buffer.alloc(Number(size));
    if (magic !== MAGIC || Number(at) + json.length !== fs.fstatSync(fd).size) throw new Error('not this cache');
    if (fs.readSync(fd, json, 0, json.length, Number(at)) !== json.length) throw new Error('truncated');
    const index = new Map();
    let offset = HEAD;
    for (const [filename, crc, length, bytes, dataCrc] of JSON.parse(json.toString('utf8'))) {
      index.set(filename, { crc, length, offset, bytes, dataCrc });
      offset += bytes;
    }
    if (offset !== Number(at)) throw new Error('index does not match the data');
    const data = (entry) => {
      const buf = Buffer.allocUnsafe(entry.bytes);
      const read = fs.readSync(fd, buf, 0, entry.bytes, entry.offset) === entry.bytes;
      return read && zlib.crc32(buf) === entry.dataCrc ? buf : undefined;
    };
    return { index, data, close };
  } catch {
    close();
    return empty;
  }
}

const HEAD = 64;

/** The cache of every module compiled in this process, through a temporary file (two synths may write at once). */
function write(file, scripts) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    try {
      const index = [];
      let offset = HEAD;
      for (const [filename, e] of scripts) {
        const data = e.script.createCachedData();
        fs.writeSync(fd, data, 0, data.length, offset);
        index.push([filename, e.crc, e.length, data.length, zlib.crc32(data)]);
        offset += data.length;
      }
      const json = Buffer.from(JSON.stringify(index));
      fs.writeSync(fd, json, 0, json.length, offset);
      fs.writeSync(fd, `${MAGIC} ${offset} ${json.length}`.padEnd(HEAD - 1) + '\n', 0, 'latin1');
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true }); // a full disk or a failed rename leaves no 13 MB behind
    throw e;
  }
}

module.exports = { enableCompileCache };
