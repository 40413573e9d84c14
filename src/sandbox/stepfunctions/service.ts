/**
 * The sandbox's Step Functions: the workspace's state machines, their executions (really run, see
 * run.ts) and the API operations, over HTTP (`handle`, AWS JSON 1.0) or called directly.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector } from '../faults';
import { SfnApiError, TaskFailure } from './errors';
import { jsonText, withoutExecutionData, type ExecutionRecord, type ExecutionRef, type ExecutionStatus, type HistoryEvent } from './history';
import { selectTestCase, toMockConfig } from './mocks';
import { executionArnFor, executionNameProblem, parseExecutionArn, parseStateMachineArn } from './names';
import { prepareDefinition } from './prepare';
import { ExecutionRun, type PreparedMachine } from './interpreter';
import type { HttpInvoke } from './tasks';
import { handleSfnRequest } from './wire';
import { jsonTextDepth, MAX_JSON_DEPTH, tooDeepMessage } from '../http-input';

export { SfnApiError, TaskFailure };
export type { ExecutionRecord, ExecutionRef, ExecutionStatus, HistoryEvent };
export type { HttpInvoke, HttpInvokeContext } from './tasks';

export interface SandboxStateMachine {
  /** `arn:<partition>:states:<region>:<account>:stateMachine:<name>` */
  arn: string;
  /** Defaults to the ARN's last segment (which it must equal when given). */
  name?: string;
  /** The parsed ASL definition. */
  definition: object;
  roleArn?: string;
  /** The parsed Step Functions Local MockConfigFile for this machine, if any. */
  mockConfig?: object;
  /** Where the mocks came from (named in causes such as "add one to <file>"). */
  mockConfigPath?: string;
}

export interface StepFunctionsServiceOptions {
  stateMachines: SandboxStateMachine[];
  /** Every history event, as it is appended. A throwing hook does not disturb the execution. */
  onEvent?: (event: HistoryEvent, execution: ExecutionRef) => void;
  httpInvoke?: HttpInvoke;
  /** Current time in epoch milliseconds (timestamps only; waits use real timers). */
  clock?: () => number;
  /** Factor applied to Wait states and Retry intervals; 0 < waitScale <= 1 (default 1). */
  waitScale?: number;
  /** Faults injected into HTTP requests handled by `handle` (not into direct calls). */
  faults?: FaultInjector;
}

export interface StartExecutionInput {
  /** May end with `#TestCase` to choose the mock test case. */
  stateMachineArn: string;
  name?: string;
  /** JSON text; defaults to "{}". */
  input?: string;
}

interface MachineState {
  machine: PreparedMachine;
  creationDate: number;
  definitionText: string;
  /** Executions, oldest first. */
  executions: ExecutionRecord[];
}

const MAX_INPUT_BYTES = 256 * 1024;

export class StepFunctionsService {
  private readonly machines = new Map<string, MachineState>();
  private readonly executions = new Map<string, { record: ExecutionRecord; run: ExecutionRun }>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private readonly now: () => number;
  readonly waitScale: number;
  readonly faults: FaultInjector | undefined;

  constructor(private readonly options: StepFunctionsServiceOptions) {
    this.now = options.clock ?? Date.now;
    const scale = options.waitScale ?? 1;
    if (!(typeof scale === 'number' && scale > 0 && scale <= 1)) {
      throw new RangeError(`waitScale must be a number greater than 0 and at most 1 (waits are shortened, never skipped); got ${String(scale)}.`);
    }
    this.waitScale = scale;
    this.faults = options.faults;
    for (const sm of options.stateMachines) this.addStateMachine(sm);
  }

  private addStateMachine(sm: SandboxStateMachine): void {
    let parts;
    try {
      parts = parseStateMachineArn(sm.arn, 'arn');
    } catch {
      throw new Error(`State machine ARN "${sm.arn}" is not a Step Functions state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>).`);
    }
    if (parts.testCase !== undefined) throw new Error(`State machine ARN "${sm.arn}" must not carry a #TestCase suffix; test cases are chosen per StartExecution.`);
    if (sm.name !== undefined && sm.name !== parts.name) throw new Error(`State machine "${sm.name}" does not match its ARN "${sm.arn}" (whose name is "${parts.name}").`);
    if (this.machines.has(sm.arn)) throw new Error(`State machine "${sm.arn}" is listed twice; give each ARN once.`);
    const machine: PreparedMachine = {
      arn: sm.arn,
      name: parts.name,
      region: parts.region,
      roleArn: sm.roleArn ?? `arn:${parts.partition}:iam::${parts.account}:role/service-role/StepFunctions-${parts.name}-role`,
      prepared: prepareDefinition(sm.definition, sm.arn),
    };
    if (sm.mockConfig !== undefined) machine.mocks = { config: toMockConfig(sm.mockConfig), source: sm.mockConfigPath ?? `the mocks file of ${parts.name}` };
    this.machines.set(sm.arn, { machine, creationDate: this.now(), definitionText: JSON.stringify(sm.definition, null, 2), executions: [] });
  }

  stateMachineArns(): string[] {
    return [...this.machines.keys()];
  }

  /** Problems that keep a state machine from running (its executions fail at once), by ARN. */
  definitionProblems(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [arn, m] of this.machines) if (m.machine.prepared.problems.length) out.set(arn, m.machine.prepared.problems);
    return out;
  }

  /** Serves one AWS JSON 1.0 request (`POST /`, `X-Amz-Target: AWSStepFunctions.<Operation>`). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return handleSfnRequest(this, req, res);
  }

  // ---- operations (shapes as on the wire; dates as epoch ms here, seconds on the wire) ----------

  private machineState(arn: unknown, field = 'stateMachineArn'): MachineState {
    parseStateMachineArn(arn, field);
    const key = (arn as string).replace(/#.*$/, '');
    const state = this.machines.get(key);
    if (!state) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${key}'`);
    return state;
  }

  private execution(arn: unknown): { record: ExecutionRecord; run: ExecutionRun } {
    parseExecutionArn(arn);
    const found = this.executions.get(arn as string);
    if (!found) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(arn)}'`);
    return found;
  }

  listStateMachines(): { stateMachineArn: string; name: string; type: 'STANDARD'; creationDate: number }[] {
    return [...this.machines.values()].map((m) => ({ stateMachineArn: m.machine.arn, name: m.machine.name, type: 'STANDARD' as const, creationDate: m.creationDate }));
  }

  describeStateMachine(stateMachineArn: unknown): Record<string, unknown> {
    const parts = parseStateMachineArn(stateMachineArn);
    if (parts.testCase !== undefined) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(stateMachineArn)}'`);
    const m = this.machineState(stateMachineArn);
    return {
      stateMachineArn: m.machine.arn,
      name: m.machine.name,
      status: 'ACTIVE',
      definition: m.definitionText,
      roleArn: m.machine.roleArn,
      type: 'STANDARD',
      creationDate: m.creationDate,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  async startExecution(request: StartExecutionInput): Promise<{ executionArn: string; startDate: Date }> {
    const record = this.startExecutionRecord(request);
    return { executionArn: record.executionArn, startDate: new Date(record.startDate) };
  }

  /** StartExecution; returns the (new or, for an idempotent repeat, existing) record. */
  startExecutionRecord(request: StartExecutionInput): ExecutionRecord {
    const parts = parseStateMachineArn(request.stateMachineArn);
    const state = this.machineState(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (typeof name !== 'string') throw new SfnApiError('ValidationException', "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must be a string");
    const nameProblem = executionNameProblem(name);
    if (nameProblem) throw new SfnApiError('InvalidName', `Invalid Name: '${name}' (${nameProblem})`);
    const inputText = request.input ?? '{}';
    if (typeof inputText !== 'string') throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input must be a string of JSON text');
    if (Buffer.byteLength(inputText, 'utf8') > MAX_INPUT_BYTES) {
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: the input is ${Buffer.byteLength(inputText, 'utf8')} bytes; the limit is 262144 bytes (256 KiB) of UTF-8.`);
    }
    if (jsonTextDepth(inputText) > MAX_JSON_DEPTH) throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: ${tooDeepMessage('the input')}`);
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch (e) {
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(e as Error).message}'`);
    }
    let testCase: string | undefined;
    const mocks = state.machine.mocks;
    if (mocks) testCase = selectTestCase(mocks.config, mocks.source, state.machine.name, parts.testCase);
    else if (parts.testCase !== undefined) {
      throw new SfnApiError('ValidationException', `Test case "${parts.testCase}" was requested, but state machine "${state.machine.name}" has no mocks file; link a MockConfigFile ("mocks") to use test cases.`);
    }
    const executionArn = executionArnFor(state.machine.arn, name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      const same = existing.record.input === inputText && existing.record.testCase === testCase;
      // Standard workflows: a repeat with the same name and input is idempotent while the first runs.
      if (same && existing.record.status === 'RUNNING') return existing.record;
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = { executionArn, stateMachineArn: state.machine.arn, name, status: 'RUNNING', startDate: this.now(), input: inputText, events: [] };
    if (testCase !== undefined) record.testCase = testCase;
    const run = new ExecutionRun(state.machine, record, {
      now: this.now,
      waitScale: this.waitScale,
      ...(this.options.httpInvoke ? { httpInvoke: this.options.httpInvoke } : {}),
      onEvent: (r, event) => this.notify(r, event),
      onFinished: (r) => this.finished(r),
    });
    this.executions.set(executionArn, { record, run });
    state.executions.push(record);
    run.start(input);
    return record;
  }

  private notify(record: ExecutionRecord, event: HistoryEvent): void {
    const hook = this.options.onEvent;
    if (!hook) return;
    try {
      hook(event, { executionArn: record.executionArn, stateMachineArn: record.stateMachineArn, name: record.name, status: record.status });
    } catch {
      // A listener's bug must not break the execution it listens to.
    }
  }

  private finished(record: ExecutionRecord): void {
    const waiting = this.waiters.get(record.executionArn);
    this.waiters.delete(record.executionArn);
    for (const wake of waiting ?? []) wake();
  }

  /** A snapshot of an execution (DescribeExecution's data). */
  describeExecution(executionArn: unknown): ExecutionRecord {
    const { record } = this.execution(executionArn);
    return { ...record, events: [...record.events] };
  }

  /** All history events of an execution, ascending. */
  history(executionArn: unknown): HistoryEvent[] {
    return [...this.execution(executionArn).record.events];
  }

  /** Resolves with the execution once it is no longer RUNNING; rejects after `timeoutMs`. */
  waitForExecution(executionArn: string, timeoutMs = 60_000): Promise<ExecutionRecord> {
    const { record } = this.execution(executionArn);
    if (record.status !== 'RUNNING') return Promise.resolve(this.describeExecution(executionArn));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Execution ${executionArn} still RUNNING after ${timeoutMs} ms.`)), timeoutMs);
      const list = this.waiters.get(executionArn) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve(this.describeExecution(executionArn));
      });
      this.waiters.set(executionArn, list);
    });
  }

  /** Executions of a state machine, newest first (ListExecutions order), optionally by status. */
  listExecutions(stateMachineArn: unknown, statusFilter?: ExecutionStatus): ExecutionRecord[] {
    return this.executionsOf(stateMachineArn)
      .filter((r) => statusFilter === undefined || r.status === statusFilter)
      .reverse();
  }

  /** A state machine's executions, oldest first (append-only, so positions are stable for paging). */
  executionsOf(stateMachineArn: unknown): readonly ExecutionRecord[] {
    const parts = parseStateMachineArn(stateMachineArn);
    if (parts.testCase !== undefined) throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(stateMachineArn)}'`);
    return this.machineState(stateMachineArn).executions;
  }

  stopExecution(executionArn: unknown, error?: string, cause?: string): { stopDate: number } {
    const { record, run } = this.execution(executionArn);
    if (record.status === 'RUNNING') run.stop(error, cause);
    return { stopDate: record.stopDate ?? this.now() };
  }

  /**
   * RedriveExecution: restarts a FAILED, ABORTED or TIMED_OUT execution from the state that did
   * not succeed, with the same ARN (AWS: Standard workflows, within 14 days; the sandbox keeps
   * executions in memory, so every one it still has qualifies).
   */
  redriveExecution(executionArn: unknown): { redriveDate: number } {
    const { record, run } = this.execution(executionArn);
    const problem = run.redriveProblem();
    if (problem) throw new SfnApiError('ExecutionNotRedrivable', `Execution not redrivable: ${problem}: '${record.executionArn}'`);
    run.redrive();
    return { redriveDate: run.redrives.date ?? this.now() };
  }

  /** Redrive facts DescribeExecution and ListExecutions show. */
  redriveInfo(executionArn: string): { redriveCount: number; redriveDate?: number; redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE'; redriveStatusReason?: string } {
    const { run } = this.execution(executionArn);
    const problem = run.redriveProblem();
    const { count, date } = run.redrives;
    const info: { redriveCount: number; redriveDate?: number; redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE'; redriveStatusReason?: string } = { redriveCount: count, redriveStatus: problem ? 'NOT_REDRIVABLE' : 'REDRIVABLE' };
    if (date !== undefined) info.redriveDate = date;
    if (problem) info.redriveStatusReason = problem;
    return info;
  }

  /** Events for GetExecutionHistory (before paging). */
  historyEvents(executionArn: unknown, reverseOrder: boolean, includeExecutionData: boolean): HistoryEvent[] {
    let events = this.history(executionArn);
    if (!includeExecutionData) events = events.map(withoutExecutionData);
    return reverseOrder ? events.reverse() : events;
  }

  /** Stops every running execution and waits until each has settled. */
  async close(): Promise<void> {
    const running = [...this.executions.values()].filter((e) => e.record.status === 'RUNNING');
    for (const e of running) e.run.stop('Sandbox.Closed', 'The sandbox shut down.');
    await Promise.all(running.map((e) => e.run.settled));
  }
}

/** For messages: the JSON text of a value. */
export { jsonText };
