import * as path from 'node:path';
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
    color: !!process.stdout.isTTY && !process.env.NO_COLOR,
    stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
    resolve: (p) => path.resolve(cwd, p),
    get stopSignal() {
      stopSignal ??= new Promise((resolve) => {
        // Once each: a second Ctrl-C while the command cleans up ends the process the default way.
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      return stopSignal;
    },
  };
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
