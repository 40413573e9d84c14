'use strict';
/**
 * PERFORMANCE: loads the CLI's bundles (dist/cli.js and the sibling bundles it requires lazily,
 * such as dist/asl.js) with V8's code cache. Node 20 has no module compile cache, so every
 * `bridge lint` used to parse and compile ~600 KB of JavaScript, and lazily compile each function
 * on its first call, before and while reading the first file. Here each bundle is compiled with
 * `vm.Script` and the `cachedData` V8 wrote after an earlier run (every function that run
 * compiled), stored next to the bundle as `<bundle>.v8cache`. The bundles are also loaded by
 * path, skipping the module resolver's lookups and realpath walk.
 *
 * The cache is an optimisation only: a missing, stale (the bundle was rebuilt), foreign (another
 * Node or V8) or unwritable cache falls back to compiling from source, exactly as `require` would.
 * A cache file records the bundle's size and modification time and the Node version, and is used
 * only when all three match: V8's own check compares the source length, not its text.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
// The CommonJS Module class, without loading node:module (which brings the ES module loader).
const Module = module.constructor;

const HEADER_BYTES = 256;

/** @type {Map<string, Module>} */
const loaded = new Map();
/** @type {{ script: vm.Script, cacheFile: string, stamp: string }[]} */
const toWrite = [];

function stampOf(stat) {
  return JSON.stringify({ size: stat.size, mtimeMs: stat.mtimeMs, node: process.version, arch: process.arch });
}

/**
 * PERFORMANCE: the bundles and their caches are read into this one buffer, grown as needed. A
 * page touched for the first time is dear (~18 µs on the CI VM) and a buffer per read touched new
 * pages each time. Safe to reuse: the source is decoded into V8's heap at once, and V8 reads a
 * code cache only while compiling, both before the next read.
 */
let shared = Buffer.allocUnsafeSlow(0);

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

function readCache(cacheFile, stamp) {
  const data = readShared(cacheFile);
  if (!data || data.length <= HEADER_BYTES) return undefined;
  const header = data.subarray(0, HEADER_BYTES).toString('utf8').replace(/\0+$/, '');
  return header === stamp ? data.subarray(HEADER_BYTES) : undefined;
}

function writeCaches() {
  for (const { script, cacheFile, stamp } of toWrite.splice(0)) {
    try {
      const header = Buffer.alloc(HEADER_BYTES);
      header.write(stamp, 'utf8');
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
  if (Buffer.byteLength(stamp) >= HEADER_BYTES) throw new Error('bridge: code cache header overflow');
  const cacheFile = `${file}.v8cache`;
  const cachedData = readCache(cacheFile, stamp);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    if (toWrite.length === 0) process.once('exit', writeCaches);
    toWrite.push({ script, cacheFile, stamp });
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
    script.runInThisContext({ displayErrors: true }).call(module.exports, module.exports, requireFromBundle, module, file, dir);
  } catch (e) {
    loaded.delete(file);
    throw e;
  }
  module.loaded = true;
  return module.exports;
}

module.exports = { loadBundle };
