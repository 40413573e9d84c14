/**
 * A logger that knows nothing of VS Code: the extension hands it a `LogOutputChannel` (which has
 * these methods and honours the user's chosen log level), tests can hand it an array.
 * Nothing here opens or reveals a panel: the user opens the log from an error message's button.
 */
export interface LogSink {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(error: string | Error, ...args: unknown[]): void;
}

export class Logger {
  constructor(private readonly sink: LogSink | undefined) {}

  trace(message: string): void {
    this.sink?.trace(message);
  }

  debug(message: string): void {
    this.sink?.debug(message);
  }

  info(message: string): void {
    this.sink?.info(message);
  }

  warn(message: string): void {
    this.sink?.warn(message);
  }

  /** Logs what failed and the whole cause chain, so the log answers "why" and not just "what". */
  error(what: string, cause?: unknown): void {
    this.sink?.error(cause === undefined ? what : `${what}: ${describeError(cause)}`);
  }
}

/** "message (caused by: inner message)" down the `cause` chain, with the innermost stack last. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  let stack: string | undefined;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.message || current.name);
      stack = current.stack;
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  const text = parts.join(' (caused by: ') + ')'.repeat(Math.max(0, parts.length - 1));
  return stack ? `${text}\n${stack}` : text;
}

/** First line of an error's message: what a notification shows (the log has the rest). */
export function shortError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
