#!/usr/bin/env node
'use strict';
/**
 * The published `bridge` executable: runs the bundled CLI (npm run build writes dist/cli.js).
 *
 * PERFORMANCE: this file is most of what a cold `bridge lint` pays for before the first config is
 * read, so it does three things `require` does not (figures: `npm run bench`, cold start):
 *
 * 1. V8 waits for more work before it compiles hot code to machine code. A `bridge lint` of a few
 *    files runs ~50 ms; by default V8 starts optimising jsonc-parser's scanner in the first 10 ms,
 *    on a background thread, for ~15 ms per function, and Node's exit then waits for those
 *    compiles to end: ~25 ms of wall clock and ~800 fresh memory pages (~18 µs each on the CI VM)
 *    for machine code that is thrown away. With 15 times the default interrupt budget (66 KB of
 *    bytecode) nothing in a short lint is optimised, and a long one still is, a little later: the
 *    200-link workspace (800 files) linted faster with it, the 8 MB config as fast. Likewise a
 *    regular expression is compiled to machine code after 100 runs, not after its first: a lint
 *    runs most of its ~80 patterns a few times each. `node:v8` is the one public way to set
 *    either; loading it costs ~4 ms.
 * 2. Each bundle is compiled with `vm.Script` and the `cachedData` V8 wrote after an earlier run
 *    (every function that run compiled), stored next to the bundle as `<bundle>.v8cache`. Node 20
 *    has no module compile cache: without it every `bridge lint` parsed and compiled ~450 KB of
 *    JavaScript, and lazily compiled each function on its first call.
 * 3. Bundles are loaded by path, skipping the module resolver's lookups and realpath walk, and
 *    compiled as written: the build writes them already wrapped in the CommonJS function
 *    (scripts/build.mjs, CLI_LOADED), so V8 is not handed a wrapped copy it must flatten.
 *
 * The cache is an optimisation only: a missing, stale (the bundle was rebuilt), foreign (another
 * Node or V8) or unwritable cache falls back to compiling from source, exactly as `require` would.
 * A cache file records the bundle's size and modification time and the Node version, and is used
 * only when all three match: V8's own check compares the source length, not its text. It holds
 * the functions the runs that wrote it compiled, so the first few runs of a build each write it
 * again (CACHE_REFRESH_RUNS): were it only the first (a `bridge --version`, a lint of one broken
 * file), every later lint would compile the rest anew. Writing costs ~5 ms a bundle, so it stops.
 */
require('node:v8').setFlagsFromString('--interrupt-budget=1048576 --regexp-tier-up-ticks=100');

const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
// The CommonJS Module class, without loading node:module (which brings the ES module loader).
const Module = module.constructor;

const HEADER_BYTES = 256;
/** Runs of a build that write the cache again, each adding what it compiled. */
const CACHE_REFRESH_RUNS = 3;

/** @type {Map<string, Module>} */
const loaded = new Map();
/** @type {{ script: vm.Script, cacheFile: string, stamp: string, run: number }[]} */
const toWrite = [];

function stampOf(stat) {
  return JSON.stringify({ size: stat.size, mtimeMs: stat.mtimeMs, node: process.version, arch: process.arch });
}

/**
 * PERFORMANCE: the bundles and their caches are read into this one buffer. A page touched for the
 * first time is dear (~18 µs on the CI VM): allocated once at a size no bundle of the lint path
 * reaches, only the pages the largest read fills are ever touched, where growing it file by file
 * touched fresh pages for each. Safe to reuse: the source is decoded into V8's heap at once, and V8
 * reads a code cache only while compiling, both before the next read.
 */
let shared = Buffer.allocUnsafeSlow(1 << 20);

/** The file's bytes, in the shared buffer (valid until the next read), or undefined. */
function readShared(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    if (shared.length < size) shared = Buffer.allocUnsafeSlow(size);
    let length = 0;
    while (length < size) {
      const n = fs.readSync(fd, shared, length, size - length, length);
      if (n === 0) break;
      length += n;
    }
    return shared.subarray(0, length);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The cache written for this bundle (stamp) and the number of runs that wrote it, or undefined. */
function readCache(cacheFile, stamp) {
  const data = readShared(cacheFile);
  if (!data || data.length <= HEADER_BYTES) return undefined;
  const [header, runs] = data.subarray(0, HEADER_BYTES).toString('utf8').replace(/\0+$/, '').split('\n');
  return header === stamp ? { data: data.subarray(HEADER_BYTES), runs: Number(runs) || 1 } : undefined;
}

function writeCaches() {
  for (const { script, cacheFile, stamp, run } of toWrite.splice(0)) {
    try {
      // A read-only install: not worth serialising a cache (~5 ms) that cannot be written.
      fs.accessSync(path.dirname(cacheFile), fs.constants.W_OK);
      const header = Buffer.alloc(HEADER_BYTES);
      header.write(`${stamp}\n${run}`, 'utf8');
      // Written whole, then renamed: a concurrent run reads either the old file or the new one.
      const temp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(temp, Buffer.concat([header, script.createCachedData()]));
      fs.renameSync(temp, cacheFile);
    } catch {
      // A read-only install keeps working, without the cache.
    }
  }
}

/**
 * Loads a bundle of the `dist` folder as CommonJS, like `require(file)`. Its `require` of a sibling
 * bundle (`./asl.js`) goes through here as well; anything else goes to Node's `require`.
 * @param {string} file absolute path of the bundle
 */
function loadBundle(file) {
  const existing = loaded.get(file);
  if (existing) return existing.exports;
  const bytes = readShared(file);
  if (!bytes) throw new Error(`${file} is missing or cannot be read: build it (npm run build) or reinstall bridge.`);
  const source = bytes.toString('utf8');
  const stamp = stampOf(fs.statSync(file));
  if (Buffer.byteLength(stamp) + 8 >= HEADER_BYTES) throw new Error('bridge: code cache header overflow');
  const cacheFile = `${file}.v8cache`;
  const cache = readCache(cacheFile, stamp);
  const script = new vm.Script(source, { filename: file, cachedData: cache?.data });
  const run = !cache || script.cachedDataRejected ? 1 : cache.runs + 1;
  if (run <= CACHE_REFRESH_RUNS) {
    if (toWrite.length === 0) process.once('exit', writeCaches);
    toWrite.push({ script, cacheFile, stamp, run });
  }

  const dir = path.dirname(file);
  const module = new Module(file, require.main);
  module.filename = file;
  module.paths = Module._nodeModulePaths(dir);
  loaded.set(file, module);
  const requireFromBundle = (id) => {
    if (id.startsWith('./') && id.endsWith('.js') && !id.includes('/', 2)) {
      const sibling = path.join(dir, id);
      if (fs.existsSync(sibling)) return loadBundle(sibling);
    }
    return module.require(id);
  };
  requireFromBundle.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  requireFromBundle.main = require.main;
  requireFromBundle.cache = Module._cache;
  try {
    const wrapper = script.runInThisContext({ displayErrors: true });
    if (typeof wrapper !== 'function') throw new Error(`${file} was not built for bridge's loader: rebuild it (npm run build) or reinstall bridge.`);
    wrapper.call(module.exports, module.exports, requireFromBundle, module, file, dir);
  } catch (e) {
    loaded.delete(file);
    throw e;
  }
  module.loaded = true;
  return module.exports;
}

let cli;
try {
  cli = loadBundle(path.join(__dirname, '..', 'dist', 'cli.js'));
} catch (e) {
  // A missing or broken install: one line that says what to do, not a stack trace.
  process.stderr.write(`bridge: ${e && e.message ? e.message : String(e)}\n`);
  process.exit(2);
}
const { main, processIo } = cli;
main(process.argv.slice(2), processIo()).then((code) => {
  // PERFORMANCE: exit as soon as the command has finished. Left to itself Node waits, once the
  // event loop is empty, for V8's background tasks (optimising compiles, GC helpers) to end.
  // Nothing is lost: every command awaits its own work (the sandbox's shutdown, a run's last
  // lines) before it resolves, and the CLI writes its output synchronously (src/cli/io.ts).
  process.exit(code);
});
