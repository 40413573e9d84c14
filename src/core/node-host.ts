import fs = require('node:fs');
import path = require('node:path');
import { MAX_READ_BYTES, megabytes, type FileHost, type FileRead, type UnreadableKind } from './host';
import { withoutByteOrderMark } from './text';

// A FIFO opened for reading blocks until a writer comes (the whole process, for a synchronous
// open); O_NONBLOCK makes the open return at once so fstat can refuse it. Windows has no flag.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** What is at `stat` when it is not a regular file, in words. */
function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function failure(kind: UnreadableKind, reason: string): FileRead {
  return { ok: false, kind, reason };
}

function errnoFailure(e: unknown): FileRead {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ENAMETOOLONG':
    case 'ERR_INVALID_ARG_VALUE': // a NUL byte in the path
    case 'ERR_INVALID_ARG_TYPE':
      return failure('missing', 'does not exist');
    case 'EACCES':
    case 'EPERM':
      return failure('denied', 'cannot be read: permission denied');
    case 'EISDIR':
      return failure('directory', 'is a folder, not a file');
    case 'ELOOP':
      return failure('unreadable', 'cannot be read: its symbolic links loop');
    default:
      return failure('unreadable', `cannot be read (${code ?? (e as Error)?.message ?? String(e)})`);
  }
}

/**
 * The one way bridge reads a file from disk (lint, the editor, the sandbox, the CLI): a regular
 * file of at most `limit` bytes, as UTF-8 text without a leading byte order mark. Kind and size
 * are checked on the open descriptor before a byte is read, so a FIFO never blocks and /dev/zero
 * never fills memory; what is wrong comes back as words that follow the path ("is a FIFO (named
 * pipe), not a regular file"). Synchronous on purpose: see nodeFileHost.
 */
export function readTextFileSync(p: string, limit = MAX_READ_BYTES): FileRead {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, OPEN_FLAGS);
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return failure('directory', 'is a folder, not a file');
    if (!stat.isFile()) return failure('not-regular', `is ${kindOf(stat)}, not a regular file`);
    if (stat.size > limit) return failure('too-large', `is larger than the ${megabytes(limit)} limit`);
    // Read to the end, not to stat.size: /proc files say 0 and a file may grow; never past the limit.
    let buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(stat.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length > limit) return failure('too-large', `is larger than the ${megabytes(limit)} limit`);
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) return failure('too-large', `is larger than the ${megabytes(limit)} limit`);
    return { ok: true, text: withoutByteOrderMark(buffer.toString('utf8', 0, length)) };
  } catch (e) {
    return errnoFailure(e);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The disk. PERFORMANCE: the reads are synchronous behind the async interface. A lint reads
 * hundreds of small files, and a round trip through libuv's thread pool (stat, open, read, close)
 * costs ten times the read itself: 800 files took ~600 ms async and ~40 ms sync.
 */
export const nodeFileHost: FileHost = {
  async readFile(p) {
    const read = readTextFileSync(p);
    return read.ok ? read.text : undefined;
  },
  async stat(p) {
    try {
      const stat = fs.statSync(p, { throwIfNoEntry: false });
      return stat?.isDirectory() ? 'directory' : stat?.isFile() ? 'file' : undefined;
    } catch {
      return undefined; // a file used as a folder, a NUL byte, a name too long: nothing there
    }
  },
  async readDirectory(p) {
    try {
      return fs.readdirSync(p);
    } catch {
      return [];
    }
  },
  // PERFORMANCE: the workspace walk at start-up: one listing per folder, not a stat per file
  // (800 files: ~5 ms against ~50 ms, far more on a busy machine).
  async readDirectoryTyped(p) {
    try {
      return fs.readdirSync(p, { withFileTypes: true }).map((e) => ({
        name: e.name,
        kind: e.isDirectory() ? 'directory' : e.isFile() ? 'file' : e.isSymbolicLink() ? undefined : 'other',
      }));
    } catch {
      return [];
    }
  },
  async unreadableReason(p) {
    const read = readTextFileSync(p);
    return read.ok || read.kind === 'missing' ? undefined : read.reason;
  },
};

/**
 * A host that answers from `overlay` (absolute path → text: the editor's unsaved buffers) before
 * asking `base`.
 */
export function overlayHost(base: FileHost, overlay: ReadonlyMap<string, string>): FileHost {
  return {
    async readFile(p) {
      const text = overlay.get(absolutePath(p));
      return text !== undefined ? text : base.readFile(p);
    },
    async stat(p) {
      return overlay.has(absolutePath(p)) ? 'file' : base.stat(p);
    },
    async unreadableReason(p) {
      return overlay.has(absolutePath(p)) ? undefined : base.unreadableReason?.(p);
    },
    async readDirectory(p) {
      const names = new Set(await base.readDirectory(p));
      const dir = path.resolve(p);
      for (const file of overlay.keys()) if (path.dirname(file) === dir) names.add(path.basename(file));
      return [...names];
    },
  };
}

/** An in-memory tree (absolute path → text), for tests and benches. */
export function memoryHost(files: ReadonlyMap<string, string>): FileHost {
  const dirs = new Set<string>();
  for (const file of files.keys()) {
    for (let d = path.dirname(file); ; d = path.dirname(d)) {
      dirs.add(d);
      if (path.dirname(d) === d) break;
    }
  }
  return {
    async readFile(p) {
      return files.get(path.resolve(p));
    },
    async stat(p) {
      const r = path.resolve(p);
      return files.has(r) ? 'file' : dirs.has(r) ? 'directory' : undefined;
    },
    async readDirectory(p) {
      const r = path.resolve(p);
      const names = new Set<string>();
      for (const f of [...files.keys(), ...dirs]) if (f !== r && path.dirname(f) === r) names.add(path.basename(f));
      return [...names];
    },
  };
}

/**
 * `path.resolve(p)`, skipped when `p` is already absolute and normalized: the engine passes such
 * paths, and the editor looks each one up several times per keystroke.
 */
export function absolutePath(p: string): string {
  return path.isAbsolute(p) && !NOT_NORMALIZED.test(p) ? p : path.resolve(p);
}

/** A `.` or `..` segment, a doubled separator, or a trailing separator. */
const NOT_NORMALIZED = process.platform === 'win32' ? /[\\/]\.{1,2}(?:[\\/]|$)|.[\\/]{2}|\/|[\\/]$/ : /\/\.{1,2}(?:\/|$)|\/\/|.\/$/;
