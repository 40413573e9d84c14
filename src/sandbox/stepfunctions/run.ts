/**
 * One execution: runs the ASL with the interpreter, answers its Task states (mocks, the HTTP
 * hook, scaled waits) and writes the history AWS would write, event ids and previousEventId
 * included.
 *
 * History threading (observed in recorded AWS histories): each run of states (the execution, a Map
 * iteration, a Parallel branch) is a thread whose events chain through previousEventId; the first
 * state of an execution follows event 0; a Map or Parallel state keeps a cursor on the last event
 * emitted inside it: MapIterationStarted follows it, MapStateFailed / ParallelStateSucceeded /
 * ParallelStateExited follow it, and MapStateSucceeded / MapStateExited follow the last
 * MapIterationSucceeded. A failed attempt of a retried Map/Parallel shows no *StateFailed event;
 * the next *StateStarted follows the cursor.
 */
import { resolveMockedResponse, type MockConfig } from '../../core/mocks/model';
import { StateMachine, TRACER_KEY, type LibraryEvent, type RunObserver, type Tracer } from './engine';
import { TaskFailure } from './errors';
import { jsonText, NOT_TRUNCATED, type ExecutionRecord, type ExecutionStatus, type HistoryEvent } from './history';
import { SANDBOX_NOT_EMULATED_RESOURCE, SANDBOX_PASS_RESOURCE, SANDBOX_WAIT_RESOURCE, type PreparedDefinition, type StateInfo } from './prepare';
import { readReferencePath } from './refpath';

export interface HttpInvokeContext {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  /** The mock test case of the execution, if any. */
  testCase?: string;
  /** 0 for the first attempt of this state entry, 1 for its first retry, … */
  attempt: number;
  /** Aborted when the execution stops. */
  signal: AbortSignal;
}

/**
 * Answers an HTTP Task (`arn:aws:states:::http:invoke`) with the task result
 * (`{StatusCode, StatusText, Headers, ResponseBody}`), or returns undefined to leave it to the mocks.
 * Throw `TaskFailure` to fail the attempt with a Step Functions error name (Retry/Catch apply).
 */
export type HttpInvoke = (stateName: string, parameters: unknown, ctx: HttpInvokeContext) => Promise<unknown>;

export interface PreparedMachine {
  arn: string;
  name: string;
  region: string;
  roleArn: string;
  prepared: PreparedDefinition;
  mocks?: { config: MockConfig; source: string };
}

export interface RunEnvironment {
  now(): number;
  waitScale: number;
  httpInvoke?: HttpInvoke;
  /** Called after each event is appended to the record. */
  onEvent(record: ExecutionRecord, event: HistoryEvent): void;
  /** Called once when the execution reaches a final status. */
  onFinished(record: ExecutionRecord): void;
}

/** An error that ends the execution (States.Runtime): neither Retry nor Catch handle it. */
class SandboxRuntimeError extends Error {
  constructor(message: string, name = 'States.Runtime') {
    super(message);
    this.name = name;
  }
  get isRetryable(): boolean {
    return false;
  }
  get isCatchable(): boolean {
    return false;
  }
}

/** The work of a thread that no longer counts (stopped execution, abandoned iteration). */
class Abandoned extends SandboxRuntimeError {
  constructor() {
    super('The execution or iteration this state belonged to has ended.');
  }
}

interface Failure {
  error: string;
  cause: string;
  retryable: boolean;
  catchable: boolean;
}

/** A state being executed by a thread. */
class StateEntry {
  failed = false;
  pendingFailure: { error: string; cause: string } | undefined;
  /** No more iterations/branches belong to it (it failed or ended). */
  closed = false;
  startedId = 0;
  cursor = 0;
  lastTerminalId: number | undefined;
  nextChild = 0;
  children: Thread[] = [];
  /** Map/Parallel retries already made, per retrier (as the interpreter counts them). */
  retryAttempts: number[] = [];
  retryDelayCache = new Map<number, number>();

  constructor(
    readonly name: string,
    readonly type: string,
    readonly input: unknown,
  ) {}
}

class Thread implements RunObserver {
  lastId = 0;
  current: StateEntry | undefined;
  finished = false;

  constructor(
    readonly run: ExecutionRun,
    readonly kind: 'root' | 'iteration' | 'branch' | 'detached',
    /** The Map/Parallel state (in the owner thread) this thread runs for. */
    readonly container?: StateEntry,
    readonly owner?: Thread,
    readonly index = 0,
  ) {}

  onEvent(event: LibraryEvent): void {
    this.run.onThreadEvent(this, event);
  }
}

/** How a Task resource appears in history events. */
interface ResourceKind {
  family: 'Task' | 'LambdaFunction' | 'Activity';
  resourceType: string;
  resource: string;
}

function classifyResource(resource: string): ResourceKind {
  const integration = /^arn:[^:]+:states:::([^:]+):(.+)$/.exec(resource);
  if (integration) return { family: 'Task', resourceType: integration[1], resource: integration[2] };
  if (/^arn:[^:]+:lambda:/.test(resource)) return { family: 'LambdaFunction', resourceType: 'lambda', resource };
  if (/^arn:[^:]+:states:[^:]*:\d*:activity:/.test(resource)) return { family: 'Activity', resourceType: 'activity', resource };
  return { family: 'Task', resourceType: 'unknown', resource };
}

const ABORTABLE_TYPES = new Set(['Task', 'Wait', 'Map', 'Parallel']);

function errorMatches(names: unknown, error: string): boolean {
  if (!Array.isArray(names)) return false;
  return names.some((n) => n === error || n === 'States.ALL' || (n === 'States.TaskFailed' && error !== 'States.Timeout'));
}

/** Retry delay in seconds before retry number `retriesSoFar + 1` (ASL: interval × backoff^n, capped, jittered). */
function retryDelaySeconds(retrier: Record<string, unknown>, retriesSoFar: number): number {
  const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
  const backoff = typeof retrier.BackoffRate === 'number' ? retrier.BackoffRate : 2;
  let delay = interval * Math.pow(backoff, retriesSoFar);
  if (typeof retrier.MaxDelaySeconds === 'number') delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') delay = Math.random() * delay;
  return delay;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class ExecutionRun implements Tracer {
  private root: Thread | undefined;
  private done = false;
  private stopDetails: { error?: string; cause?: string } | undefined;
  private readonly abortController = new AbortController();
  /** The Task state the interpreter is about to call back for (set on its StateEntered, synchronously). */
  private pendingTask: { name: string; thread: Thread; entry: StateEntry } | undefined;
  private readonly invocations = new Map<string, number>();
  /** The Map/Parallel entry that failed last, per state name (for the interpreter's retry delays). */
  private readonly failedContainers = new Map<string, StateEntry>();
  private readonly context: Record<string, unknown>;
  private abortInterpreter: (() => void) | undefined;
  readonly settled: Promise<void>;
  private resolveSettled!: () => void;

  constructor(
    private readonly machine: PreparedMachine,
    readonly record: ExecutionRecord,
    private readonly env: RunEnvironment,
  ) {
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
    this.context = {
      Execution: { Id: record.executionArn, Name: record.name, RoleArn: machine.roleArn, StartTime: new Date(record.startDate).toISOString() },
      StateMachine: { Id: machine.arn, Name: machine.name },
    };
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  start(input: unknown): void {
    (this.context.Execution as Record<string, unknown>).Input = input;
    const problems = this.machine.prepared.problems;
    if (problems.length > 0) {
      this.failBeforeRun(input, `The definition of state machine "${this.machine.name}" is not valid, so the sandbox cannot run it: ${problems.join('; ')}`);
      return;
    }
    let execution: ReturnType<InstanceType<typeof StateMachine>['run']>;
    try {
      const interpreter = new StateMachine(this.machine.prepared.interpreterDefinition as never, { validationOptions: { noValidate: true } });
      const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
      for (const name of this.machine.prepared.handledStates) handlers[name] = (stateInput) => this.handleTask(name, stateInput);
      const options = {
        overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: this.retryIntervalOverrides() },
        noThrowOnAbort: true,
        context: this.context,
        [TRACER_KEY]: this as Tracer,
      };
      execution = interpreter.run(input as never, options as never);
    } catch (e) {
      this.failBeforeRun(input, `The sandbox could not start the interpreter: ${(e as Error).message}`);
      return;
    }
    this.abortInterpreter = execution.abort;
    execution.result.then(
      () => this.ensureFinished(undefined),
      (e: unknown) => this.ensureFinished(e),
    );
  }

  stop(error?: string, cause?: string): void {
    if (this.done) return;
    this.stopDetails = {};
    if (error !== undefined) this.stopDetails.error = error;
    if (cause !== undefined) this.stopDetails.cause = cause;
    if (this.abortInterpreter) this.abortInterpreter();
    // The interpreter reports the abort synchronously; if it could not, end the record here.
    if (!this.done) this.abortAll();
  }

  private failBeforeRun(input: unknown, cause: string): void {
    this.emit(undefined, 'ExecutionStarted', 0, { executionStartedEventDetails: this.startedDetails(input) });
    this.emit(undefined, 'ExecutionFailed', 0, { executionFailedEventDetails: { error: 'States.Runtime', cause } });
    this.finish('FAILED', { error: 'States.Runtime', cause });
  }

  private ensureFinished(e: unknown): void {
    if (this.done) return;
    // Every ending is reported through events; reaching this point is a sandbox bug. Say so.
    const cause = `The sandbox lost track of this execution (${e instanceof Error ? e.message : 'no final event'}).`;
    this.emit(this.root, 'ExecutionFailed', this.root?.lastId ?? 0, { executionFailedEventDetails: { error: 'States.Runtime', cause } });
    this.finish('FAILED', { error: 'States.Runtime', cause });
  }

  private finish(status: ExecutionStatus, result: { output?: string; error?: string; cause?: string }): void {
    if (this.done) return;
    this.done = true;
    this.record.status = status;
    this.record.stopDate = this.env.now();
    if (result.output !== undefined) this.record.output = result.output;
    if (result.error !== undefined) this.record.error = result.error;
    if (result.cause !== undefined) this.record.cause = result.cause;
    this.abortController.abort();
    this.env.onFinished(this.record);
    this.resolveSettled();
  }

  // ---- events ----------------------------------------------------------------------------------

  private emit(thread: Thread | undefined, type: string, previousEventId: number, details?: Record<string, unknown>, iterationTerminal = false): number {
    const id = this.record.events.length + 1;
    const event: HistoryEvent = { timestamp: this.env.now() / 1000, type, id, previousEventId, ...details };
    this.record.events.push(event);
    if (thread) {
      thread.lastId = id;
      // Every enclosing Map/Parallel state sees this event as the latest inside it, except that
      // an iteration's own end does not move its Map's cursor.
      for (let t: Thread | undefined = iterationTerminal ? thread.owner : thread; t?.container; t = t.owner) t.container.cursor = id;
    }
    this.env.onEvent(this.record, event);
    return id;
  }

  private startedDetails(input: unknown): Record<string, unknown> {
    return { input: jsonText(input), inputDetails: NOT_TRUNCATED, roleArn: this.machine.roleArn };
  }

  openRun(parent: RunObserver | undefined): RunObserver {
    if (parent === undefined) {
      if (this.root) return new Thread(this, 'detached');
      this.root = new Thread(this, 'root');
      return this.root;
    }
    const owner = parent as Thread;
    const entry = owner.current;
    if (owner.kind === 'detached' || owner.finished || !entry || entry.closed || (entry.type !== 'Map' && entry.type !== 'Parallel')) {
      return new Thread(this, 'detached');
    }
    const thread = new Thread(this, entry.type === 'Map' ? 'iteration' : 'branch', entry, owner, entry.nextChild++);
    entry.children.push(thread);
    return thread;
  }

  onThreadEvent(t: Thread, e: LibraryEvent): void {
    if (this.done || t.kind === 'detached' || t.finished) return;
    switch (e.type) {
      case 'ExecutionStarted':
        return this.onRunStarted(t, e);
      case 'StateEntered':
        return this.onStateEntered(t, e);
      case 'StateExited':
        return this.onStateExited(t, e);
      case 'StateFailed':
        return this.onStateFailed(t, e);
      case 'StateRetried':
        return this.onStateRetried(t, e);
      case 'StateCaught':
        return this.onStateCaught(t);
      case 'ExecutionSucceeded':
        return this.onRunSucceeded(t, e);
      case 'ExecutionFailed':
        return this.onRunFailed(t, e);
      case 'ExecutionAborted':
        return t.kind === 'root' ? this.onRootAborted() : this.abortThread(t);
      case 'ExecutionTimeout':
        return this.onRootTimedOut(t);
    }
  }

  private onRunStarted(t: Thread, e: LibraryEvent): void {
    const entry = t.container;
    if (t.kind === 'root') {
      this.emit(t, 'ExecutionStarted', 0, { executionStartedEventDetails: this.startedDetails(e.input) });
      t.lastId = 0; // AWS: the first state follows event 0, not ExecutionStarted.
    } else if (t.kind === 'iteration' && entry) {
      this.emit(t, 'MapIterationStarted', entry.cursor, { mapIterationStartedEventDetails: { name: entry.name, index: t.index } });
    } else if (t.kind === 'branch' && entry) {
      t.lastId = entry.startedId;
    }
  }

  private stateType(name: string, fallback: string): string {
    return this.machine.prepared.states.get(name)?.type ?? fallback;
  }

  private onStateEntered(t: Thread, e: LibraryEvent): void {
    const name = e.state?.name ?? '';
    const type = this.stateType(name, e.state?.type ?? 'Task');
    const entry = new StateEntry(name, type, e.state?.input);
    const id = this.emit(t, `${type}StateEntered`, t.lastId, { stateEnteredEventDetails: { name, input: jsonText(e.state?.input), inputDetails: NOT_TRUNCATED } });
    t.current = entry;
    const info = this.machine.prepared.states.get(name);
    if (info?.notEmulated === undefined && (type === 'Map' || type === 'Parallel')) this.containerStarted(t, entry, id);
    if (e.state?.type === 'Task') this.pendingTask = { name, thread: t, entry };
  }

  private containerStarted(t: Thread, entry: StateEntry, previousEventId: number): void {
    const id =
      entry.type === 'Map'
        ? this.emit(t, 'MapStateStarted', previousEventId, { mapStateStartedEventDetails: { length: this.mapLength(entry) } })
        : this.emit(t, 'ParallelStateStarted', previousEventId);
    entry.startedId = id;
    entry.cursor = id;
  }

  /** The number of items a Map state will iterate over (0 when the interpreter will reject them). */
  private mapLength(entry: StateEntry): number {
    const def = this.machine.prepared.states.get(entry.name)?.definition ?? {};
    try {
      let input = entry.input;
      if (def.InputPath === null) input = {};
      else if (typeof def.InputPath === 'string') input = readReferencePath(def.InputPath, input, this.context);
      const items = typeof def.ItemsPath === 'string' ? readReferencePath(def.ItemsPath, input, this.context) : input;
      return Array.isArray(items) ? items.length : 0;
    } catch {
      return 0;
    }
  }

  private onStateExited(t: Thread, e: LibraryEvent): void {
    const entry = t.current;
    if (!entry) return;
    const exited = { stateExitedEventDetails: { name: entry.name, output: jsonText(e.state?.output), outputDetails: NOT_TRUNCATED } };
    if (entry.type === 'Map' && !entry.failed) {
      const previous = entry.lastTerminalId ?? entry.startedId;
      this.emit(t, 'MapStateSucceeded', previous);
      this.emit(t, 'MapStateExited', previous, exited);
    } else if (entry.type === 'Parallel' && !entry.failed) {
      const previous = entry.cursor;
      this.emit(t, 'ParallelStateSucceeded', previous);
      this.emit(t, 'ParallelStateExited', previous, exited);
    } else {
      this.emit(t, `${entry.type}StateExited`, t.lastId, exited);
    }
    entry.closed = true;
    t.current = undefined;
  }

  private isContainer(entry: StateEntry | undefined): entry is StateEntry {
    return !!entry && (entry.type === 'Map' || entry.type === 'Parallel') && this.machine.prepared.states.get(entry.name)?.notEmulated === undefined;
  }

  private onStateFailed(t: Thread, e: LibraryEvent): void {
    const entry = t.current;
    if (!this.isContainer(entry)) return; // Task failures were written by the task handler.
    entry.pendingFailure = { error: e.Error ?? 'States.Runtime', cause: typeof e.Cause === 'string' ? e.Cause : jsonText(e.Cause) };
    entry.closed = true;
    this.failedContainers.set(entry.name, entry);
  }

  private flushContainerFailure(t: Thread, entry: StateEntry | undefined): void {
    if (!this.isContainer(entry) || !entry.pendingFailure) return;
    entry.pendingFailure = undefined;
    entry.failed = true;
    this.emit(t, `${entry.type}StateFailed`, entry.cursor);
  }

  private onStateRetried(t: Thread, e: LibraryEvent): void {
    const entry = t.current;
    if (!this.isContainer(entry)) return;
    const retriers = this.machine.prepared.states.get(entry.name)?.definition.Retry;
    const index = Array.isArray(retriers) ? retriers.indexOf(e.retry?.retrier) : -1;
    if (index >= 0 && typeof e.retry?.attempt === 'number') entry.retryAttempts[index] = e.retry.attempt;
    entry.retryDelayCache.clear();
    entry.pendingFailure = undefined;
    entry.closed = false;
    entry.nextChild = 0;
    entry.lastTerminalId = undefined;
    for (const child of entry.children) child.finished = true;
    entry.children = [];
    this.containerStarted(t, entry, entry.cursor);
  }

  private onStateCaught(t: Thread): void {
    const entry = t.current;
    if (!entry) return;
    this.flushContainerFailure(t, entry);
    entry.failed = true;
  }

  private onRunSucceeded(t: Thread, e: LibraryEvent): void {
    t.finished = true;
    if (t.kind === 'root') {
      this.emit(t, 'ExecutionSucceeded', t.lastId, { executionSucceededEventDetails: { output: jsonText(e.output), outputDetails: NOT_TRUNCATED } });
      this.finish('SUCCEEDED', { output: jsonText(e.output) });
    } else if (t.kind === 'iteration' && t.container) {
      t.container.lastTerminalId = this.emit(t, 'MapIterationSucceeded', t.lastId, { mapIterationSucceededEventDetails: { name: t.container.name, index: t.index } }, true);
    }
  }

  private onRunFailed(t: Thread, e: LibraryEvent): void {
    this.flushContainerFailure(t, t.current);
    t.finished = true;
    const error = e.Error ?? 'States.Runtime';
    const cause = typeof e.Cause === 'string' ? e.Cause : e.Cause === undefined ? '' : jsonText(e.Cause);
    if (t.kind === 'root') {
      this.emit(t, 'ExecutionFailed', t.lastId, { executionFailedEventDetails: { error, cause } });
      this.finish('FAILED', { error, cause });
    } else if (t.kind === 'iteration' && t.container) {
      this.emit(t, 'MapIterationFailed', t.lastId, { mapIterationFailedEventDetails: { name: t.container.name, index: t.index } }, true);
    }
  }

  /** Writes the aborted events of a thread's running state (and of everything running inside it). */
  private abortThread(t: Thread): void {
    if (t.finished || t.kind === 'detached') return;
    const entry = t.current;
    if (entry) {
      for (const child of entry.children) this.abortThread(child);
      if (ABORTABLE_TYPES.has(entry.type)) this.emit(t, `${entry.type}StateAborted`, t.lastId);
      entry.closed = true;
    }
    if (t.kind === 'iteration' && t.container) {
      this.emit(t, 'MapIterationAborted', t.lastId, { mapIterationAbortedEventDetails: { name: t.container.name, index: t.index } }, true);
    }
    t.finished = true;
  }

  private onRootAborted(): void {
    this.abortAll();
  }

  private abortAll(): void {
    const root = this.root;
    if (root) this.abortThread(root);
    const details: Record<string, string> = {};
    if (this.stopDetails?.error !== undefined) details.error = this.stopDetails.error;
    if (this.stopDetails?.cause !== undefined) details.cause = this.stopDetails.cause;
    this.emit(root, 'ExecutionAborted', root?.lastId ?? 0, { executionAbortedEventDetails: details });
    this.finish('ABORTED', details);
  }

  private onRootTimedOut(t: Thread): void {
    this.abortThread(t);
    const seconds = this.machine.prepared.interpreterDefinition.TimeoutSeconds;
    const details = { error: 'States.Timeout', cause: `The execution ran longer than its TimeoutSeconds (${String(seconds)}).` };
    this.emit(t, 'ExecutionTimedOut', t.lastId, { executionTimedOutEventDetails: details });
    this.finish('TIMED_OUT', details);
  }

  // ---- retry delays of Map and Parallel states (retried by the interpreter) --------------------

  private retryIntervalOverrides(): Record<string, unknown> {
    return new Proxy(
      {},
      {
        get: (_target, stateName) => {
          if (typeof stateName !== 'string') return undefined;
          const entry = this.failedContainers.get(stateName);
          const retriers = this.machine.prepared.states.get(stateName)?.definition.Retry;
          if (!entry || !Array.isArray(retriers)) return undefined;
          return new Proxy([], {
            get: (target, key) => {
              if (typeof key !== 'string' || !/^\d+$/.test(key)) return Reflect.get(target, key);
              const i = Number(key);
              const retrier = retriers[i];
              if (!isObject(retrier)) return undefined;
              let ms = entry.retryDelayCache.get(i);
              if (ms === undefined) {
                ms = this.scaledMs(retryDelaySeconds(retrier, entry.retryAttempts[i] ?? 0));
                entry.retryDelayCache.set(i, ms);
              }
              return ms;
            },
          });
        },
      },
    );
  }

  // ---- tasks and waits -------------------------------------------------------------------------

  private scaledMs(seconds: number): number {
    if (!(seconds > 0)) return 0;
    // Shortened by waitScale, never skipped: at least one millisecond.
    return Math.max(1, Math.round(seconds * 1000 * this.env.waitScale));
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.abortController.signal;
    if (ms <= 0 || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async handleTask(name: string, input: unknown): Promise<unknown> {
    const bound = this.pendingTask;
    this.pendingTask = undefined;
    if (!bound || bound.name !== name) {
      throw new SandboxRuntimeError(`The sandbox could not tell which thread called state "${name}" (an emulator bug; please report it).`);
    }
    const { thread, entry } = bound;
    if (this.done || thread.finished || thread.kind === 'detached') throw new Abandoned();
    const info = this.machine.prepared.states.get(name);
    const resource = info?.definition.Resource;
    if (info?.notEmulated !== undefined) throw new SandboxRuntimeError(info.notEmulated);
    if (!info) throw new SandboxRuntimeError(`State "${name}" is not in the definition the sandbox prepared (an emulator bug; please report it).`);
    if (info.type === 'Wait') {
      await this.sleep(this.scaledMs(this.waitSeconds(info, input)));
      if (this.done || thread.finished) throw new Abandoned();
      return input;
    }
    if (info.type === 'Pass') return info.definition.Result;
    if (resource === SANDBOX_WAIT_RESOURCE || resource === SANDBOX_NOT_EMULATED_RESOURCE || resource === SANDBOX_PASS_RESOURCE) throw new SandboxRuntimeError(`State "${name}" uses a resource reserved by the sandbox.`);
    return this.runTask(thread, entry, info, input);
  }

  private waitSeconds(info: StateInfo, input: unknown): number {
    const def = info.definition;
    const untilTimestamp = (value: unknown, field: string): number => {
      const t = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(t)) throw new SandboxRuntimeError(`Wait state "${info.name}": ${field} is not an RFC 3339 timestamp (${jsonText(value)}).`);
      return (t - this.env.now()) / 1000;
    };
    try {
      if (typeof def.Seconds === 'number') return def.Seconds;
      if (typeof def.Timestamp === 'string') return untilTimestamp(def.Timestamp, 'Timestamp');
      if (typeof def.SecondsPath === 'string') {
        const s = readReferencePath(def.SecondsPath, input, this.context);
        if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw new SandboxRuntimeError(`Wait state "${info.name}": SecondsPath ${def.SecondsPath} is ${jsonText(s)}, not a non-negative integer.`);
        return s;
      }
      if (typeof def.TimestampPath === 'string') return untilTimestamp(readReferencePath(def.TimestampPath, input, this.context), `TimestampPath ${def.TimestampPath}`);
    } catch (e) {
      if (e instanceof SandboxRuntimeError) throw e;
      throw new SandboxRuntimeError(`Wait state "${info.name}": ${(e as Error).message}.`);
    }
    return 0;
  }

  private async runTask(thread: Thread, entry: StateEntry, info: StateInfo, input: unknown): Promise<unknown> {
    const def = info.definition;
    const resourceArn = String(def.Resource);
    const kind = classifyResource(resourceArn);
    const retriers = Array.isArray(def.Retry) ? def.Retry.filter(isObject) : [];
    const retries = retriers.map(() => 0);
    const timeoutSeconds = typeof def.TimeoutSeconds === 'number' ? def.TimeoutSeconds : undefined;
    const heartbeatSeconds = typeof def.HeartbeatSeconds === 'number' ? def.HeartbeatSeconds : undefined;
    const lower = kind.family.charAt(0).toLowerCase() + kind.family.slice(1);
    const id = kind.family === 'Task' ? { resourceType: kind.resourceType, resource: kind.resource } : {};
    for (let attempt = 0; ; attempt++) {
      if (this.done || thread.finished) throw new Abandoned();
      const scheduled: Record<string, unknown> =
        kind.family === 'Task'
          ? { ...id, region: this.machine.region, parameters: jsonText(input) }
          : { resource: kind.resource, input: jsonText(input), inputDetails: NOT_TRUNCATED };
      if (timeoutSeconds !== undefined) scheduled.timeoutInSeconds = timeoutSeconds;
      if (heartbeatSeconds !== undefined && kind.family !== 'LambdaFunction') scheduled.heartbeatInSeconds = heartbeatSeconds;
      this.emit(thread, `${kind.family}Scheduled`, thread.lastId, { [`${lower}ScheduledEventDetails`]: scheduled });
      const started = kind.family === 'Task' ? { taskStartedEventDetails: id } : kind.family === 'Activity' ? { activityStartedEventDetails: { workerName: 'bridge-sandbox' } } : {};
      this.emit(thread, `${kind.family}Started`, thread.lastId, started);
      let failure: Failure;
      try {
        const value = await this.withTimeout(this.invokeOnce(info.name, resourceArn, input, attempt), timeoutSeconds);
        if (this.done || thread.finished) throw new Abandoned();
        this.emit(thread, `${kind.family}Succeeded`, thread.lastId, { [`${lower}SucceededEventDetails`]: { ...id, output: jsonText(value), outputDetails: NOT_TRUNCATED } });
        return value;
      } catch (e) {
        if (e instanceof Abandoned) throw e;
        failure = this.normalizeFailure(e);
      }
      if (this.done || thread.finished) throw new Abandoned();
      const failedType = failure.error === 'States.Timeout' ? 'TimedOut' : 'Failed';
      this.emit(thread, `${kind.family}${failedType}`, thread.lastId, { [`${lower}${failedType}EventDetails`]: { ...id, error: failure.error, cause: failure.cause } });
      const i = failure.retryable ? retriers.findIndex((r) => errorMatches(r.ErrorEquals, failure.error)) : -1;
      const maxAttempts = i >= 0 && typeof retriers[i].MaxAttempts === 'number' ? (retriers[i].MaxAttempts as number) : 3;
      if (i < 0 || retries[i] >= maxAttempts) throw this.interpreterError(failure);
      const delay = retryDelaySeconds(retriers[i], retries[i]);
      retries[i]++;
      await this.sleep(this.scaledMs(delay));
    }
  }

  private withTimeout<T>(work: Promise<T>, seconds: number | undefined): Promise<T> {
    if (seconds === undefined) return work;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TaskFailure('States.Timeout', `The task did not finish within its TimeoutSeconds (${seconds}).`)), seconds * 1000);
      work.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  private async invokeOnce(stateName: string, resource: string, parameters: unknown, attempt: number): Promise<unknown> {
    const invocation = this.invocations.get(stateName) ?? 0;
    this.invocations.set(stateName, invocation + 1);
    if (/^arn:[^:]+:states:::http:invoke$/.test(resource) && this.env.httpInvoke) {
      const ctx: HttpInvokeContext = {
        executionArn: this.record.executionArn,
        stateMachineArn: this.machine.arn,
        stateMachineName: this.machine.name,
        attempt,
        signal: this.abortController.signal,
      };
      if (this.record.testCase !== undefined) ctx.testCase = this.record.testCase;
      const answer = await this.env.httpInvoke(stateName, parameters, ctx);
      if (answer !== undefined) return answer;
    }
    const mocks = this.machine.mocks;
    const testCase = this.record.testCase;
    if (!mocks) {
      throw new SandboxRuntimeError(`State "${stateName}" has no mocked response: state machine "${this.machine.name}" has no mocks file; link a Step Functions Local MockConfigFile ("mocks") with a test case for it.`);
    }
    if (testCase === undefined) {
      throw new SandboxRuntimeError(`State "${stateName}" has no mocked response: ${mocks.source} has no test case for state machine "${this.machine.name}"; add StateMachines."${this.machine.name}".TestCases to it.`);
    }
    const answer = resolveMockedResponse(mocks.config, this.machine.name, testCase, stateName, invocation);
    switch (answer.kind) {
      case 'return':
        return answer.value;
      case 'throw':
        throw new TaskFailure(answer.error, answer.cause ?? '');
      case 'not-mocked':
        throw new SandboxRuntimeError(`State "${stateName}" has no mocked response in test case "${testCase}": add one to ${mocks.source} (StateMachines."${this.machine.name}".TestCases."${testCase}"."${stateName}" naming a MockedResponses entry).`);
      default:
        throw new SandboxRuntimeError(`${answer.message} Fix it in ${mocks.source}.`);
    }
  }

  private normalizeFailure(e: unknown): Failure {
    if (e instanceof SandboxRuntimeError) return { error: e.name, cause: e.message, retryable: false, catchable: false };
    if (e instanceof TaskFailure) return { error: e.error, cause: e.cause, retryable: true, catchable: true };
    const message = e instanceof Error ? e.message : String(e);
    return { error: 'States.TaskFailed', cause: message, retryable: true, catchable: true };
  }

  /** The error the interpreter's Catch handling sees: name = Step Functions error, message = cause. */
  private interpreterError(failure: Failure): Error {
    if (!failure.catchable) return new SandboxRuntimeError(failure.cause, failure.error);
    // Retryable as far as the interpreter is concerned: the Task's own Retry was stripped (the
    // sandbox ran it), but an enclosing Map or Parallel may retry on this error.
    const error = new Error(failure.cause);
    error.name = failure.error;
    return error;
  }
}
