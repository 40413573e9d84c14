import fs = require('node:fs');
import path = require('node:path');
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a command needs of the process, so tests can run commands in-process. */
export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  color: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  resolve(p: string): string;
  /**
   * Resolves when the user asks to stop (SIGINT/SIGTERM). Only commands that have something to
   * stop or clean up read it: reading it is what takes Ctrl-C over from Node's default, which ends
   * the process at once (`bridge lint` relies on that: it is busy in one synchronous stretch).
   */
  readonly stopSignal: Promise<string>;
}

/** A mistake in how the command was called: exit 2 with the message, never a stack trace. */
export class UsageError extends Error {}

export function processIo(): CliIo {
  const cwd = process.cwd();
  let stopSignal: Promise<string> | undefined;
  return {
    cwd,
    env: process.env,
    color: isTerminal(1) && !process.env.NO_COLOR,
    stdout: (text) => writeLine(1, text),
    stderr: (text) => writeLine(2, text),
    resolve: (p) => path.resolve(cwd, p),
    // Listening for a signal loads and starts Node's signal handling: only commands that ask
    // (sandbox, run) pay for it, and without a listener SIGINT ends a lint at once, as it should.
    get stopSignal() {
      return (stopSignal ??= new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      }));
    },
  };
}

let stopSignal: Promise<string> | undefined;

/**
 * PERFORMANCE: writes straight to the file descriptor. The first touch of process.stdout builds a
 * stream and loads node:stream, a sizeable part of a short `bridge lint`'s start-up; output here
 * is whole lines, written in order, so the stream buys nothing. A pipe or terminal opened
 * non-blocking may refuse part of a write (EAGAIN): the rest is written again.
 */
/**
 * Whether a descriptor is a terminal, without node:tty (which loads node:net and node:stream, a
 * large share of a short run's start-up): a terminal is a character device. So is /dev/null, where
 * colour codes are never seen.
 */
function isTerminal(fd: number): boolean {
  try {
    return fs.fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function writeLine(fd: number, text: string): void {
  const data = Buffer.from(text.endsWith('\n') ? text : text + '\n', 'utf8');
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += fs.writeSync(fd, data, offset);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(PAUSE, 0, 0, 1); // let the reader drain it for a millisecond
        continue;
      }
      if (code === 'EPIPE') return; // the reader went away (`bridge lint | head`): nothing to tell
      throw e;
    }
  }
}

/** Parses a command's flags; a mistake becomes a UsageError that shows the command's usage. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '')}.\n\n${usage}`);
  }
}

/**
 * The AWS SDK warns on stderr, mid-output, that its 2027 releases will need Node 22: nothing a
 * user of `bridge run` or `bridge sandbox` can act on. Called before the SDK loads; a value the
 * user set themselves is left alone.
 */
export function quietAwsSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}
