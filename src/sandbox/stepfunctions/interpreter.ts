/**
 * The sandbox's own Amazon States Language interpreter: runs one execution (and its redrives),
 * state by state, in JSONPath and JSONata, with workflow variables, and writes the history AWS
 * would write, event ids and previousEventId included.
 *
 * Why our own (it replaced aws-local-stepfunctions): that library has no JSONata and no variables,
 * declares Node 22 (Node 20 needed a Promise.withResolvers polyfill on a global) and had to be
 * monkey-patched (StateMachine.run/execute) so the sandbox could see which Map iteration or
 * Parallel branch an event belonged to; the sandbox already wrote AWS's history threading itself.
 * This file uses only Node 20 APIs.
 *
 * History threading (observed in recorded AWS histories): each run of states (the execution, a Map
 * iteration, a Parallel branch) is a thread whose events chain through previousEventId; the first
 * state of an execution follows event 0; a Map or Parallel state keeps a cursor on the last event
 * emitted inside it: MapIterationStarted follows it, MapStateFailed / ParallelStateSucceeded /
 * ParallelStateExited follow it, and MapStateSucceeded / MapStateExited follow the last
 * MapIterationSucceeded. A failed attempt of a retried Map/Parallel shows no *StateFailed event;
 * the next *StateStarted follows the cursor.
 */
import { sleep } from '../../core/sleep';
import { jsonText, NOT_TRUNCATED, type ExecutionRecord, type ExecutionStatus, type HistoryEvent } from './history';
import { QueryEvaluationFailure, runtimeFailure, StatesFailure } from './failure';
import { evaluateField, evaluateTyped } from './jsonata';
import { applyFilterPath, applyResultPath, applyTemplate, readPath } from './jsonpath';
import type { PreparedDefinition } from './prepare';
import {
  assignments,
  choiceState,
  effectiveInput,
  failStateError,
  finishWithResult,
  isObject,
  jsonataData,
  mapItemInputs,
  mapNumber,
  nextOf,
  passState,
  pathData,
  secondsField,
  type Json,
  type StateData,
  type StateOutcome,
} from './state-data';
import { classifyResource, TaskAnswerer, type HttpInvoke, type TaskMachine } from './tasks';
import { VariableScope } from './variables';

export interface PreparedMachine extends TaskMachine {
  region: string;
  roleArn: string;
  prepared: PreparedDefinition;
}

export interface RunEnvironment {
  now(): number;
  waitScale: number;
  httpInvoke?: HttpInvoke;
  /** Called after each event is appended to the record. */
  onEvent(record: ExecutionRecord, event: HistoryEvent): void;
  /** Called each time the execution reaches a final status (again after a redrive). */
  onFinished(record: ExecutionRecord): void;
}


/** Work of a thread that no longer counts (stopped execution, abandoned iteration or branch). */
class Abandoned extends Error {}

/** Where a thread was when it stopped: what a redrive restarts from. */
interface ResumePoint {
  stateName: string;
  input: unknown;
  variables: Map<string, unknown>;
  /** The branches/iterations of the Map or Parallel state it stopped in, by index. */
  children?: Thread[];
}

/** A state being executed by a thread. */
class StateEntry {
  enteredPrevious = 0;
  enteredId = 0;
  startedId = 0;
  cursor = 0;
  lastTerminalId: number | undefined;
  children: Thread[] = [];
  retryCount = 0;

  constructor(
    readonly name: string,
    readonly type: string,
    readonly input: unknown,
  ) {}
}

class Thread {
  lastId = 0;
  current: StateEntry | undefined;
  finished = false;
  succeeded = false;
  output: unknown;
  resume: ResumePoint | undefined;

  constructor(
    readonly kind: 'root' | 'iteration' | 'branch',
    readonly scope: VariableScope,
    /** The Map/Parallel state (in the owner thread) this thread runs for. */
    readonly container?: StateEntry,
    readonly owner?: Thread,
    readonly index = 0,
    /** The thread of the previous attempt this one redrives. */
    readonly redriveOf?: Thread,
  ) {}

  alive(): boolean {
    for (let t: Thread | undefined = this; t; t = t.owner) if (t.finished) return false;
    return true;
  }
}

/** A run of states: the top level, a Parallel branch, a Map's ItemProcessor/Iterator. */
interface StatesScope {
  StartAt: string;
  States: Record<string, Json>;
}

function asScope(value: unknown): StatesScope {
  const v = isObject(value) ? value : {};
  return { StartAt: String(v.StartAt), States: (isObject(v.States) ? v.States : {}) as Record<string, Json> };
}

const ABORTABLE_TYPES = new Set(['Task', 'Wait', 'Map', 'Parallel']);

function errorMatches(names: unknown, error: string): boolean {
  if (!Array.isArray(names)) return false;
  return names.some((n) => n === error || n === 'States.ALL' || (n === 'States.TaskFailed' && error !== 'States.Timeout'));
}

/** Retry delay in seconds before retry number `retriesSoFar + 1` (ASL: interval × backoff^n, capped, jittered). */
function retryDelaySeconds(retrier: Json, retriesSoFar: number): number {
  const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
  const backoff = typeof retrier.BackoffRate === 'number' ? retrier.BackoffRate : 2;
  let delay = interval * Math.pow(backoff, retriesSoFar);
  if (typeof retrier.MaxDelaySeconds === 'number') delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') delay = Math.random() * delay;
  return delay;
}



export class ExecutionRun {
  private root: Thread | undefined;
  private done = false;
  private abortController = new AbortController();
  private readonly tasks: TaskAnswerer;
  private executionTimer: NodeJS.Timeout | undefined;
  private readonly machineDefinition: Json;
  private readonly queryLanguage: string;
  private redriveCount = 0;
  private redriveDate: number | undefined;
  private executionInput: unknown;
  settled: Promise<void>;
  private resolveSettled!: () => void;

  constructor(
    private readonly machine: PreparedMachine,
    readonly record: ExecutionRecord,
    private readonly env: RunEnvironment,
  ) {
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
    this.tasks = new TaskAnswerer(machine, record, env.httpInvoke, () => this.abortController.signal);
    this.machineDefinition = machine.prepared.definition;
    this.queryLanguage = this.machineDefinition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  }

  private executionContext(): Json {
    const execution: Json = {
      Id: this.record.executionArn,
      Input: this.executionInput,
      Name: this.record.name,
      RoleArn: this.machine.roleArn,
      StartTime: new Date(this.record.startDate).toISOString(),
      RedriveCount: this.redriveCount,
    };
    if (this.redriveDate !== undefined) execution.RedriveTime = new Date(this.redriveDate).toISOString();
    return { Execution: execution, StateMachine: { Id: this.machine.arn, Name: this.machine.name } };
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  start(input: unknown): void {
    this.executionInput = input;
    this.emit(undefined, 'ExecutionStarted', 0, { executionStartedEventDetails: { input: jsonText(input), inputDetails: NOT_TRUNCATED, roleArn: this.machine.roleArn } });
    const problems = this.machine.prepared.problems;
    if (problems.length > 0) {
      const cause = `The definition of state machine "${this.machine.name}" is not valid, so the sandbox cannot run it: ${problems.join('; ')}`;
      this.emit(undefined, 'ExecutionFailed', 0, { executionFailedEventDetails: { error: 'States.Runtime', cause } });
      this.finish('FAILED', { error: 'States.Runtime', cause });
      return;
    }
    this.root = new Thread('root', new VariableScope());
    this.launch(this.root, input);
  }

  /** Whether RedriveExecution may restart this execution, and why not when it may not. */
  redriveProblem(): string | undefined {
    if (this.record.status === 'RUNNING') return 'Execution is RUNNING and cannot be redriven';
    if (this.record.status === 'SUCCEEDED') return 'Execution is SUCCEEDED and cannot be redriven';
    if (!this.root?.resume) return 'Execution failed before its first state and cannot be redriven';
    return undefined;
  }

  get redrives(): { count: number; date?: number } {
    return this.redriveDate === undefined ? { count: this.redriveCount } : { count: this.redriveCount, date: this.redriveDate };
  }

  /** RedriveExecution: restarts from the state that failed, reusing what succeeded. */
  redrive(): void {
    const previous = this.root;
    if (!previous || this.redriveProblem()) return;
    this.redriveCount++;
    this.redriveDate = this.env.now();
    this.done = false;
    this.abortController = new AbortController();
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
    this.record.status = 'RUNNING';
    delete this.record.stopDate;
    delete this.record.error;
    delete this.record.cause;
    delete this.record.output;
    const redrivenId = this.emit(undefined, 'ExecutionRedriven', this.record.events.length, { executionRedrivenEventDetails: { redriveCount: this.redriveCount } });
    this.root = new Thread('root', new VariableScope(), undefined, undefined, 0, previous);
    this.root.lastId = redrivenId;
    this.launch(this.root, this.executionInput);
  }

  private launch(root: Thread, input: unknown): void {
    const timeout = this.machineDefinition.TimeoutSeconds;
    if (typeof timeout === 'number' && timeout > 0) {
      // An execution timeout is real time, not scaled: it bounds how long the user waits.
      this.executionTimer = setTimeout(() => this.timeOut(), timeout * 1000);
    }
    this.runThread(root, asScope(this.machineDefinition), input).then(
      (output) => {
        if (this.done || !root.alive()) return;
        root.finished = true;
        this.emit(root, 'ExecutionSucceeded', root.lastId, { executionSucceededEventDetails: { output: jsonText(output), outputDetails: NOT_TRUNCATED } });
        this.finish('SUCCEEDED', { output: jsonText(output) });
      },
      (e: unknown) => {
        if (this.done || e instanceof Abandoned) return;
        const failure = this.toFailure(e);
        root.finished = true;
        this.emit(root, 'ExecutionFailed', root.lastId, { executionFailedEventDetails: { error: failure.error, cause: failure.causeText } });
        this.finish('FAILED', { error: failure.error, cause: failure.causeText });
      },
    );
  }

  stop(error?: string, cause?: string): void {
    if (this.done) return;
    const details: Record<string, string> = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    if (this.root) this.abortThread(this.root);
    this.emit(this.root, 'ExecutionAborted', this.root?.lastId ?? 0, { executionAbortedEventDetails: details });
    this.finish('ABORTED', details);
  }

  private timeOut(): void {
    if (this.done) return;
    if (this.root) this.abortThread(this.root);
    // As AWS records it: States.Timeout only in the event (which follows event 0); DescribeExecution
    // shows TIMED_OUT with neither error nor cause.
    this.emit(this.root, 'ExecutionTimedOut', 0, { executionTimedOutEventDetails: { error: 'States.Timeout' } });
    this.finish('TIMED_OUT', {});
  }

  private finish(status: ExecutionStatus, result: { output?: string; error?: string; cause?: string }): void {
    if (this.done) return;
    this.done = true;
    if (this.executionTimer) clearTimeout(this.executionTimer);
    this.record.status = status;
    this.record.stopDate = this.env.now();
    if (result.output !== undefined) this.record.output = result.output;
    if (result.error !== undefined) this.record.error = result.error;
    if (result.cause !== undefined) this.record.cause = result.cause;
    this.abortController.abort();
    this.env.onFinished(this.record);
    this.resolveSettled();
  }

  private toFailure(e: unknown): StatesFailure {
    if (e instanceof StatesFailure) return e;
    // An interpreter bug must still end the execution with a message, never hang it.
    return runtimeFailure(`The sandbox failed while running this execution (${e instanceof Error ? e.message : String(e)}); please report it.`);
  }

  // ---- events ----------------------------------------------------------------------------------

  private emit(thread: Thread | undefined, type: string, previousEventId: number, details?: Json, iterationTerminal = false): number {
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

  /** Throws Abandoned when the thread's work no longer counts. */
  private check(thread: Thread): void {
    if (this.done || !thread.alive()) throw new Abandoned();
  }

  /** Writes the aborted events of a thread's running state (and of everything running inside it). */
  private abortThread(t: Thread): void {
    if (t.finished) return;
    const entry = t.current;
    if (entry) {
      for (const child of entry.children) this.abortThread(child);
      if (ABORTABLE_TYPES.has(entry.type)) this.emit(t, `${entry.type}StateAborted`, t.lastId);
    }
    if (t.kind === 'iteration' && t.container) {
      this.emit(t, 'MapIterationAborted', t.lastId, { mapIterationAbortedEventDetails: { name: t.container.name, index: t.index } }, true);
    }
    t.finished = true;
  }

  // ---- waits -----------------------------------------------------------------------------------

  private scaledMs(seconds: number): number {
    if (!(seconds > 0)) return 0;
    // Shortened by waitScale, never skipped: at least one millisecond.
    return Math.max(1, Math.round(seconds * 1000 * this.env.waitScale));
  }

  /** Scaled waits and retry delays end early when the execution stops (the one abortable sleep). */
  private sleep(ms: number): Promise<void> {
    return sleep(ms, this.abortController.signal);
  }

  // ---- threads and states ----------------------------------------------------------------------

  /** Runs a thread's states from StartAt (or, when redriving, from where its previous attempt stopped). */
  private async runThread(thread: Thread, scope: StatesScope, input: unknown): Promise<unknown> {
    let stateName = scope.StartAt;
    let previousChildren: Thread[] | undefined;
    const resume = thread.redriveOf?.resume;
    if (resume) {
      stateName = resume.stateName;
      input = resume.input;
      thread.scope.restore(resume.variables);
      previousChildren = resume.children;
    }
    for (;;) {
      this.check(thread);
      const def = scope.States[stateName];
      if (!isObject(def)) throw runtimeFailure(`State "${stateName}" is not defined in its States.`);
      const outcome = await this.runState(thread, stateName, def, input, previousChildren);
      previousChildren = undefined;
      if (outcome.next === undefined) return outcome.output;
      stateName = outcome.next;
      input = outcome.output;
    }
  }

  private async runState(thread: Thread, name: string, def: Json, input: unknown, previousChildren: Thread[] | undefined): Promise<StateOutcome> {
    const type = String(def.Type);
    const entry = new StateEntry(name, type, input);
    thread.current = entry;
    thread.resume = { stateName: name, input, variables: thread.scope.snapshot() };
    entry.enteredPrevious = thread.lastId;
    entry.enteredId = this.emit(thread, `${type}StateEntered`, thread.lastId, { stateEnteredEventDetails: { name, input: jsonText(input), inputDetails: NOT_TRUNCATED } });
    // Exactly "JSONPath" selects JSONPath; absent inherits the machine's; anything else is JSONata.
    const jsonataState = def.QueryLanguage === undefined ? this.queryLanguage === 'JSONata' : def.QueryLanguage !== 'JSONPath';
    const retryable = type === 'Task' || type === 'Map' || type === 'Parallel';
    const stateContext: Json = { EnteredTime: new Date(this.env.now()).toISOString(), Name: name };
    if (retryable) stateContext.RetryCount = 0;
    const context = { ...this.executionContext(), State: stateContext };
    const data: StateData = { jsonata: jsonataState, raw: input, context, variables: thread.scope.visible(), scope: thread.scope };
    let outcome: StateOutcome;
    let caught = false;
    try {
      outcome = await this.stateBody(thread, entry, def, data, previousChildren);
    } catch (e) {
      if (e instanceof Abandoned) throw e;
      this.check(thread);
      const failure = this.withStatePrefix(this.toFailure(e), entry);
      if (failure instanceof QueryEvaluationFailure) {
        // AWS chains EvaluationFailed to what the state's entered event followed, not to that event.
        this.emit(thread, 'EvaluationFailed', entry.enteredPrevious, { evaluationFailedEventDetails: { error: failure.error, cause: failure.causeText, location: failure.location, state: name } });
      }
      const handled = failure.handleable ? await this.tryCatch(def, data, failure) : undefined;
      if (!handled) {
        if (type === 'Map' || type === 'Parallel') entry.children.forEach((c) => this.abortThread(c));
        throw failure;
      }
      outcome = handled;
      caught = true;
    }
    this.check(thread);
    if (outcome.assigned) thread.scope.assign(outcome.assigned);
    if (type !== 'Fail') {
      const exited: Json = { name, output: jsonText(outcome.output), outputDetails: NOT_TRUNCATED };
      if (outcome.assigned) {
        exited.assignedVariables = Object.fromEntries(Object.entries(outcome.assigned).map(([k, v]) => [k, jsonText(v)]));
        exited.assignedVariablesDetails = NOT_TRUNCATED;
      }
      const succeededContainer = (type === 'Map' || type === 'Parallel') && entry.startedId > 0 && !caught;
      if (succeededContainer && type === 'Map') {
        const previous = entry.lastTerminalId ?? entry.startedId;
        this.emit(thread, 'MapStateSucceeded', previous);
        this.emit(thread, 'MapStateExited', previous, { stateExitedEventDetails: exited });
      } else if (succeededContainer && type === 'Parallel') {
        const previous = entry.cursor;
        this.emit(thread, 'ParallelStateSucceeded', previous);
        this.emit(thread, 'ParallelStateExited', previous, { stateExitedEventDetails: exited });
      } else {
        this.emit(thread, `${type}StateExited`, thread.lastId, { stateExitedEventDetails: exited });
      }
    }
    thread.current = undefined;
    return outcome;
  }

  /** AWS prefixes the causes of runtime and evaluation errors with the state and the event it entered at. */
  private withStatePrefix(failure: StatesFailure, entry: StateEntry): StatesFailure {
    if (failure.error !== 'States.Runtime' && failure.error !== 'States.QueryEvaluationError') return failure;
    if (failure.causeText.startsWith('An error occurred while executing the state')) return failure;
    const cause = `An error occurred while executing the state '${entry.name}' (entered at the event id #${entry.enteredId}). ${failure.causeText}`;
    return failure instanceof QueryEvaluationFailure ? new QueryEvaluationFailure(cause, failure.location) : new StatesFailure(failure.error, cause, failure.handleable);
  }

  // ---- data processing shared by the state types ------------------------------------------------

  /** Catch: the first catcher whose ErrorEquals matches decides the output (error output) and Next. */
  private async tryCatch(def: Json, data: StateData, failure: StatesFailure): Promise<StateOutcome | undefined> {
    if (!Array.isArray(def.Catch)) return undefined;
    const index = def.Catch.findIndex((c) => isObject(c) && errorMatches(c.ErrorEquals, failure.error));
    if (index < 0) return undefined;
    const catcher = def.Catch[index] as Json;
    const errorOutput = { Error: failure.error, Cause: failure.causeText };
    let output: unknown;
    let assigned: Record<string, unknown> | undefined;
    if (data.jsonata) {
      const jd = jsonataData(data, { errorOutput });
      output = 'Output' in catcher ? await evaluateField(catcher.Output, jd, `Catch[${index}]/Output`) : errorOutput;
      assigned = await assignments(catcher.Assign, data, undefined, { errorOutput }, `Catch[${index}]/Assign`);
    } else {
      assigned = await assignments(catcher.Assign, data, errorOutput, { errorOutput });
      output = applyResultPath(catcher.ResultPath, data.raw, errorOutput);
    }
    const outcome: StateOutcome = { output, next: String(catcher.Next) };
    if (assigned) outcome.assigned = assigned;
    return outcome;
  }

  /** Retry: runs `attempt` until it succeeds or no retrier applies (then `onFinalFailure`, and rethrows). */
  private async withRetry<T>(thread: Thread, entry: StateEntry, def: Json, data: StateData, attempt: (n: number) => Promise<T>, onFinalFailure?: () => void): Promise<T> {
    const retriers = Array.isArray(def.Retry) ? def.Retry.filter(isObject) : [];
    const retries = retriers.map(() => 0);
    for (let n = 0; ; n++) {
      (data.context.State as Json).RetryCount = n;
      entry.retryCount = n;
      try {
        return await attempt(n);
      } catch (e) {
        if (e instanceof Abandoned) throw e;
        this.check(thread);
        const failure = this.withStatePrefix(this.toFailure(e), entry);
        const i = failure.handleable ? retriers.findIndex((r) => errorMatches(r.ErrorEquals, failure.error)) : -1;
        const maxAttempts = i >= 0 && typeof retriers[i].MaxAttempts === 'number' ? (retriers[i].MaxAttempts as number) : 3;
        if (i < 0 || retries[i] >= maxAttempts) {
          onFinalFailure?.();
          throw failure;
        }
        const delay = retryDelaySeconds(retriers[i], retries[i]);
        retries[i]++;
        await this.sleep(this.scaledMs(delay));
        this.check(thread);
      }
    }
  }

  private async stateBody(thread: Thread, entry: StateEntry, def: Json, data: StateData, previousChildren: Thread[] | undefined): Promise<StateOutcome> {
    switch (entry.type) {
      case 'Pass':
        return passState(def, data);
      case 'Task':
        return this.taskState(thread, entry, def, data);
      case 'Choice':
        return choiceState(def, data);
      case 'Wait':
        return this.waitState(thread, def, data);
      case 'Succeed': {
        if (data.jsonata) return { output: 'Output' in def ? await evaluateField(def.Output, jsonataData(data), 'Output') : data.raw };
        const effective = effectiveInput(def, data);
        return { output: applyFilterPath(def.OutputPath, effective, pathData(data, effective), 'OutputPath') };
      }
      case 'Fail':
        throw await failStateError(def, data);
      case 'Parallel':
        return this.parallelState(thread, entry, def, data, previousChildren);
      case 'Map':
        return this.mapState(thread, entry, def, data, previousChildren);
      default:
        throw runtimeFailure(`State type "${entry.type}" is not a state type of the Amazon States Language.`);
    }
  }

  private async waitState(thread: Thread, def: Json, data: StateData): Promise<StateOutcome> {
    const effective = effectiveInput(def, data);
    const untilTimestamp = (value: unknown, field: string): number => {
      const t = typeof value === 'string' ? Date.parse(value) : NaN;
      if (Number.isNaN(t)) throw runtimeFailure(`The Wait state's ${field} is not an RFC 3339 timestamp (${jsonText(value)}).`);
      return (t - this.env.now()) / 1000;
    };
    let seconds = 0;
    if (data.jsonata) {
      const jd = jsonataData(data);
      if (def.Seconds !== undefined) seconds = await evaluateTyped(def.Seconds, jd, 'Seconds', (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0, 'a non-negative integer');
      else if (def.Timestamp !== undefined) {
        const ts = await evaluateTyped(def.Timestamp, jd, 'Timestamp', (v): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v)), 'an RFC 3339 timestamp');
        seconds = untilTimestamp(ts, 'Timestamp');
      }
    } else {
      const pd = pathData(data, effective);
      if (typeof def.Seconds === 'number') seconds = def.Seconds;
      else if (typeof def.Timestamp === 'string') seconds = untilTimestamp(def.Timestamp, 'Timestamp');
      else if (typeof def.SecondsPath === 'string') {
        const s = readPath(def.SecondsPath, pd, 'SecondsPath');
        if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw runtimeFailure(`The Wait state's SecondsPath ${def.SecondsPath} selected ${jsonText(s)}, not a non-negative integer.`);
        seconds = s;
      } else if (typeof def.TimestampPath === 'string') seconds = untilTimestamp(readPath(def.TimestampPath, pd, 'TimestampPath'), `TimestampPath ${def.TimestampPath}`);
    }
    await this.sleep(this.scaledMs(seconds));
    this.check(thread);
    const finished = await finishWithResult(def, data, effective, undefined, false);
    return { ...finished, next: nextOf(def) };
  }

  private async taskState(thread: Thread, entry: StateEntry, def: Json, data: StateData): Promise<StateOutcome> {
    const resourceArn = String(def.Resource);
    const kind = classifyResource(resourceArn);
    const effective = effectiveInput(def, data);
    let parameters: unknown;
    if (data.jsonata) parameters = 'Arguments' in def ? await evaluateField(def.Arguments, jsonataData(data), 'Arguments') : data.raw;
    else parameters = isObject(def.Parameters) ? applyTemplate(def.Parameters, pathData(data, effective), 'Parameters') : effective;
    const timeoutSeconds = await secondsField(def, data, 'TimeoutSeconds', effective);
    const heartbeatSeconds = await secondsField(def, data, 'HeartbeatSeconds', effective);
    const lower = kind.family.charAt(0).toLowerCase() + kind.family.slice(1);
    const id = kind.family === 'Task' ? { resourceType: kind.resourceType, resource: kind.resource } : {};
    const result = await this.withRetry(thread, entry, def, data, async (attempt) => {
      this.check(thread);
      const scheduled: Json =
        kind.family === 'Task'
          ? { ...id, region: this.machine.region, parameters: jsonText(parameters) }
          : { resource: kind.resource, input: jsonText(parameters), inputDetails: NOT_TRUNCATED };
      // AWS shows the values as evaluated (literal, …Path or JSONata).
      if (timeoutSeconds !== undefined) scheduled.timeoutInSeconds = timeoutSeconds;
      if (heartbeatSeconds !== undefined && kind.family !== 'LambdaFunction') scheduled.heartbeatInSeconds = heartbeatSeconds;
      this.emit(thread, `${kind.family}Scheduled`, thread.lastId, { [`${lower}ScheduledEventDetails`]: scheduled });
      const started = kind.family === 'Task' ? { taskStartedEventDetails: id } : kind.family === 'Activity' ? { activityStartedEventDetails: { workerName: 'bridge-sandbox' } } : {};
      this.emit(thread, `${kind.family}Started`, thread.lastId, started);
      try {
        const value = await this.withTimeout(this.tasks.invoke(entry.name, resourceArn, parameters, attempt), timeoutSeconds);
        this.check(thread);
        this.emit(thread, `${kind.family}Succeeded`, thread.lastId, { [`${lower}SucceededEventDetails`]: { ...id, output: jsonText(value), outputDetails: NOT_TRUNCATED } });
        return value;
      } catch (e) {
        this.check(thread);
        const failure = this.toFailure(e);
        const failedType = failure.error === 'States.Timeout' ? 'TimedOut' : 'Failed';
        this.emit(thread, `${kind.family}${failedType}`, thread.lastId, { [`${lower}${failedType}EventDetails`]: { ...id, error: failure.error, cause: failure.causeText } });
        throw failure;
      }
    });
    const finished = await finishWithResult(def, data, effective, result, true);
    return { ...finished, next: nextOf(def) };
  }

  private withTimeout<T>(work: Promise<T>, seconds: number | undefined): Promise<T> {
    if (seconds === undefined) return work;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StatesFailure('States.Timeout', `The task did not finish within its TimeoutSeconds (${seconds}).`)), seconds * 1000);
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

  // ---- Parallel and Map ------------------------------------------------------------------------

  /**
   * A Parallel's branches or a Map's iterations, as the state's result. Each attempt of the
   * state's Retry starts the container afresh (new children, its `<type>StateStarted` event);
   * only the first reuses what a redrive left (`previousChildren`); the final failure is
   * `<type>StateFailed`.
   */
  private async containerState(
    thread: Thread,
    entry: StateEntry,
    def: Json,
    data: StateData,
    effective: unknown,
    previousChildren: Thread[] | undefined,
    children: {
      startedDetails?: Json;
      count: number;
      limit: number;
      tolerance?: { count?: number; percentage?: number };
      startChild: (index: number, redriveOf: Thread | undefined) => { child: Thread; run: () => Promise<unknown> };
    },
  ): Promise<StateOutcome> {
    let previous = previousChildren;
    const result = await this.withRetry(
      thread,
      entry,
      def,
      data,
      async () => {
        this.check(thread);
        entry.children = [];
        const started = this.emit(thread, `${entry.type}StateStarted`, entry.startedId === 0 ? thread.lastId : entry.cursor, children.startedDetails);
        entry.startedId = started;
        entry.cursor = started;
        entry.lastTerminalId = undefined;
        thread.resume!.children = entry.children;
        const outputs = await this.runChildren(entry, children.count, children.limit, previous, children.startChild, children.tolerance);
        previous = undefined;
        return outputs;
      },
      () => this.emit(thread, `${entry.type}StateFailed`, entry.cursor),
    );
    const finished = await finishWithResult(def, data, effective, result, true);
    return { ...finished, next: nextOf(def) };
  }

  /**
   * Runs a container's children (branches or iterations) with at most `limit` at once; resolves
   * with their outputs in order, or rejects with the first failure beyond `tolerated` (the others
   * are aborted). A redriven container reuses the outputs of children that succeeded before.
   */
  private runChildren(
    entry: StateEntry,
    count: number,
    limit: number,
    previous: Thread[] | undefined,
    startChild: (index: number, redriveOf: Thread | undefined) => { child: Thread; run: () => Promise<unknown> },
    tolerance?: { count?: number; percentage?: number },
  ): Promise<unknown[]> {
    const outputs: unknown[] = new Array(count);
    if (count === 0) return Promise.resolve(outputs);
    return new Promise((resolve, reject) => {
      let next = 0;
      let running = 0;
      let settled = 0;
      let failures = 0;
      let over = false;
      const fail = (e: unknown) => {
        if (over) return;
        over = true;
        for (const c of entry.children) if (!c.finished) this.abortThread(c);
        reject(e);
      };
      const pump = () => {
        while (!over && next < count && (limit <= 0 || running < limit)) {
          const index = next++;
          const before = previous?.[index];
          if (before?.succeeded) {
            // Redrive: a child that succeeded before is not run again.
            entry.children[index] = before;
            outputs[index] = before.output;
            settled++;
            continue;
          }
          const { child, run } = startChild(index, before);
          entry.children[index] = child;
          running++;
          run().then(
            (output) => {
              running--;
              settled++;
              outputs[index] = output;
              if (settled === count && !over) resolve(outputs);
              else pump();
            },
            (e: unknown) => {
              running--;
              settled++;
              if (e instanceof Abandoned) return;
              failures++;
              const allowedCount = tolerance?.count ?? 0;
              const allowedPercentage = tolerance?.percentage ?? 0;
              if (tolerance && (failures <= allowedCount || (failures * 100) / count <= allowedPercentage)) {
                const f = this.toFailure(e);
                outputs[index] = { Error: f.error, Cause: f.causeText };
                if (settled === count && !over) resolve(outputs);
                else pump();
                return;
              }
              fail(tolerance ? new StatesFailure('States.ExceedToleratedFailureThreshold', `The Map state failed because ${failures} of its ${count} iterations failed, more than it tolerates.`) : e);
            },
          );
        }
        if (!over && settled === count) resolve(outputs);
      };
      pump();
      if (!over && count > 0 && settled === count) resolve(outputs);
    });
  }

  private async parallelState(thread: Thread, entry: StateEntry, def: Json, data: StateData, previousChildren: Thread[] | undefined): Promise<StateOutcome> {
    const effective = effectiveInput(def, data);
    let branchInput: unknown;
    if (data.jsonata) branchInput = 'Arguments' in def ? await evaluateField(def.Arguments, jsonataData(data), 'Arguments') : data.raw;
    else branchInput = isObject(def.Parameters) ? applyTemplate(def.Parameters, pathData(data, effective), 'Parameters') : effective;
    const branches = Array.isArray(def.Branches) ? def.Branches.map(asScope) : [];
    return this.containerState(thread, entry, def, data, effective, previousChildren, {
      count: branches.length,
      limit: 0,
      startChild: (index, redriveOf) => {
        const child = new Thread('branch', thread.scope.child(), entry, thread, index, redriveOf);
        child.lastId = entry.startedId;
        return { child, run: () => this.runChild(child, branches[index], branchInput) };
      },
    });
  }

  /** A child thread's run: its output, and the thread marked succeeded (MapIteration events are the caller's). */
  private async runChild(child: Thread, scope: StatesScope, input: unknown): Promise<unknown> {
    const output = await this.runThread(child, scope, input);
    this.check(child);
    child.output = output;
    child.succeeded = true;
    child.finished = true;
    return output;
  }

  private async mapState(thread: Thread, entry: StateEntry, def: Json, data: StateData, previousChildren: Thread[] | undefined): Promise<StateOutcome> {
    for (const field of ['ItemReader', 'ResultWriter']) {
      if (field in def) throw runtimeFailure(`State "${entry.name}" uses ${field} (distributed Map), which the bridge sandbox does not emulate; run this state machine in AWS, or give the Map its items in the state input.`);
    }
    const processorDef = isObject(def.ItemProcessor) ? def.ItemProcessor : def.Iterator;
    const processor = asScope(processorDef);
    const distributed = isObject(processorDef) && isObject(processorDef.ProcessorConfig) && processorDef.ProcessorConfig.Mode === 'DISTRIBUTED';
    const effective = effectiveInput(def, data);
    let items: unknown;
    if (data.jsonata) items = 'Items' in def ? await evaluateField(def.Items, jsonataData(data), 'Items') : data.raw;
    else items = typeof def.ItemsPath === 'string' ? readPath(def.ItemsPath, pathData(data, effective), 'ItemsPath') : effective;
    if (!Array.isArray(items)) {
      const what = `The Map state's items must be an array; they are ${jsonText(items).slice(0, 200)}.`;
      throw data.jsonata ? new QueryEvaluationFailure(what, 'Items') : runtimeFailure(what);
    }
    const itemInputs = await mapItemInputs(def, data, effective, items);
    const limit = await mapNumber(def, data, 'MaxConcurrency', effective);
    const toleratedCount = await mapNumber(def, data, 'ToleratedFailureCount', effective);
    const toleratedPercentage = await mapNumber(def, data, 'ToleratedFailurePercentage', effective);
    const tolerance = toleratedCount !== undefined || toleratedPercentage !== undefined ? { count: toleratedCount, percentage: toleratedPercentage } : undefined;
    return this.containerState(thread, entry, def, data, effective, previousChildren, {
      startedDetails: { mapStateStartedEventDetails: { length: itemInputs.length } },
      count: itemInputs.length,
      limit: limit ?? 0,
      tolerance,
      startChild: (index, redriveOf) => {
        const child = new Thread('iteration', thread.scope.child(distributed), entry, thread, index, redriveOf);
        return {
          child,
          run: async () => {
            this.emit(child, 'MapIterationStarted', entry.cursor, { mapIterationStartedEventDetails: { name: entry.name, index } });
            try {
              const output = await this.runChild(child, processor, itemInputs[index]);
              entry.lastTerminalId = this.emit(child, 'MapIterationSucceeded', child.lastId, { mapIterationSucceededEventDetails: { name: entry.name, index } }, true);
              return output;
            } catch (e) {
              if (!(e instanceof Abandoned) && !this.done && child.alive()) {
                child.finished = true;
                this.emit(child, 'MapIterationFailed', child.lastId, { mapIterationFailedEventDetails: { name: entry.name, index } }, true);
              }
              throw e;
            }
          },
        };
      },
    });
  }

}
