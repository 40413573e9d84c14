/**
 * Loads aws-local-stepfunctions (the ASL interpreter) so that it runs on Node 20 as well as 22+,
 * and lets the sandbox observe every execution it runs, nested Map iterations and Parallel
 * branches included, synchronously and in order.
 *
 * Node 20: the library calls `Promise.withResolvers` (ES2024, Node 22) in every Task state and
 * would fail each Task with "Promise.withResolvers is not a function". We install a spec-conformant
 * polyfill before the library is first required. (`AbortSignal.any`, used for Map/Parallel, exists
 * since Node 20.3, so nothing else is needed.)
 *
 * Observation: the library's public event stream (`eventLogs`) forwards nested events
 * asynchronously, so a Task handler would run before its own "state entered" event arrives, and a
 * handler is only given its input, not which Map iteration or branch called it. We wrap two
 * prototype methods of the library's `StateMachine` at run time (never editing node_modules):
 * `run` (to learn which execution thread started a nested run) and `execute` (to receive each
 * thread's event logger and intercept its `dispatch` synchronously). The wrappers only act on runs
 * started with a sandbox tracer in their run options; other users of the class are untouched.
 */

type AnyFn = (...args: any[]) => any;

if (typeof (Promise as unknown as { withResolvers?: AnyFn }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

export const { StateMachine, ExecutionAbortedError, ExecutionError, ExecutionTimeoutError } = lib;

/** An event as the library dispatches it (see its EventLog type); only the fields we read. */
export interface LibraryEvent {
  type: string;
  timestamp: number;
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  retry?: { retrier: unknown; attempt: number };
  catch?: { catcher: unknown };
}

/** What the sandbox learns about one run of the library's StateMachine (root or nested). */
export interface RunObserver {
  /** Called for every event this run dispatches itself, synchronously, before the library continues. */
  onEvent(event: LibraryEvent): void;
}

/** Connects library runs to sandbox threads. One tracer per sandbox execution. */
export interface Tracer {
  /** A run started: `parent` is the observer of the run that started it (undefined for the root). */
  openRun(parent: RunObserver | undefined): RunObserver;
}

/** Key under which a tracer travels in the library's run options (copied into nested runs). */
export const TRACER_KEY = '__bridgeSandboxTracer';

interface LibraryLogger {
  dispatch(event: LibraryEvent): void;
  forwardNestedMapEvent: AnyFn;
  forwardNestedParallelEvent: AnyFn;
}

const observerByRunOptions = new WeakMap<object, RunObserver>();
const pendingRuns: { tracer: Tracer; parent: RunObserver | undefined }[] = [];

const proto = StateMachine.prototype as unknown as { run: AnyFn; execute: AnyFn };
if (typeof proto.run !== 'function' || typeof proto.execute !== 'function') {
  throw new Error('aws-local-stepfunctions changed its internals (StateMachine.run/execute); the sandbox supports version 3.x');
}
const originalRun = proto.run;
const originalExecute = proto.execute;

proto.run = function patchedRun(this: unknown, input: unknown, options?: Record<string, unknown>) {
  const tracer = options?.[TRACER_KEY] as Tracer | undefined;
  if (!tracer) return originalRun.call(this, input, options);
  // For a nested run (Map iteration, Parallel branch) `options` is the parent run's own options object.
  pendingRuns.push({ tracer, parent: observerByRunOptions.get(options as object) });
  try {
    return originalRun.call(this, input, options);
  } finally {
    pendingRuns.pop();
  }
};

proto.execute = function patchedExecute(this: unknown, input: unknown, options: { runOptions?: object; eventLogger?: LibraryLogger }, cleanup: AnyFn) {
  const pending = pendingRuns[pendingRuns.length - 1];
  const runOptions = options?.runOptions as Record<string, unknown> | undefined;
  if (pending && runOptions && runOptions[TRACER_KEY] === pending.tracer && options.eventLogger) {
    const observer = pending.tracer.openRun(pending.parent);
    observerByRunOptions.set(runOptions, observer);
    const logger = options.eventLogger;
    const dispatch = logger.dispatch.bind(logger);
    logger.dispatch = (event: LibraryEvent) => {
      observer.onEvent(event);
      dispatch(event);
    };
    // Nested runs report to us directly; the library's asynchronous re-dispatch of their events
    // into this logger would only duplicate them.
    logger.forwardNestedMapEvent = () => undefined;
    logger.forwardNestedParallelEvent = () => undefined;
  }
  return originalExecute.call(this, input, options, cleanup);
};
