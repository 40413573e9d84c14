/**
 * Fake Step Functions and ADF clients for the run engine: scripted worlds the tests advance poll by
 * poll, with every call counted and faults injected where a test asks for them.
 */
import type { BridgeConfigModel, LinkModel } from '../../../src/core/config/model';
import type { RunClients } from '../../../src/cloud/index';

export const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Flow';

export function sdkError(name: string, status = 400, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

export interface FakeEvent {
  id: number;
  previousEventId: number;
  type: string;
  timestamp: Date;
  [details: string]: unknown;
}

export interface FakeExecution {
  arn: string;
  name: string;
  input: string;
  startDate: Date;
  events: FakeEvent[];
}

let clock = Date.now();
/** Strictly increasing fake event times. */
export function tick(ms = 3): Date {
  clock += ms;
  return new Date(clock);
}

export class FakeSfn {
  readonly executions = new Map<string, FakeExecution>();
  readonly calls: string[] = [];
  /** Operation name → errors to throw on its next calls (one per call). */
  readonly faults = new Map<string, Error[]>();
  /** StartExecution names the execution by this, else by the given name. */
  ignoreNames = false;

  append(arn: string, type: string, details?: Record<string, unknown>, previousEventId?: number): FakeEvent {
    const ex = this.executions.get(arn)!;
    const id = ex.events.length + 1;
    const ev: FakeEvent = { id, previousEventId: previousEventId ?? id - 1, type, timestamp: tick() };
    if (details) ev[`${type.charAt(0).toLowerCase()}${type.slice(1).replace(/(Entered|Exited)$/, '')}EventDetails`] = details;
    if (type.endsWith('StateEntered')) ev.stateEnteredEventDetails = details;
    if (type.endsWith('StateExited')) ev.stateExitedEventDetails = details;
    ex.events.push(ev);
    return ev;
  }

  create(name: string, input: unknown): FakeExecution {
    const arn = `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
    const ex: FakeExecution = { arn, name, input: JSON.stringify(input), startDate: tick(), events: [] };
    this.executions.set(arn, ex);
    this.append(arn, 'ExecutionStarted', { input: ex.input });
    return ex;
  }

  async send(command: { constructor: { name: string }; input: Record<string, any> }): Promise<any> {
    const op = command.constructor.name.replace(/Command$/, '');
    this.calls.push(op);
    const fault = this.faults.get(op)?.shift();
    if (fault) throw fault;
    const input = command.input;
    switch (op) {
      case 'StartExecution': {
        const name = this.ignoreNames || !input.name ? `auto-${this.executions.size + 1}` : input.name;
        const ex = this.create(name, JSON.parse(input.input));
        return { executionArn: ex.arn, startDate: ex.startDate };
      }
      case 'DescribeExecution': {
        const ex = this.executions.get(input.executionArn);
        if (!ex) throw sdkError('ExecutionDoesNotExist');
        return { executionArn: ex.arn, input: ex.input, startDate: ex.startDate, status: 'RUNNING' };
      }
      case 'ListExecutions': {
        const all = [...this.executions.values()].reverse();
        return { executions: all.map((e) => ({ executionArn: e.arn, name: e.name, startDate: e.startDate, status: 'RUNNING' })) };
      }
      case 'GetExecutionHistory': {
        const ex = this.executions.get(input.executionArn);
        if (!ex) throw sdkError('ExecutionDoesNotExist');
        const ordered = input.reverseOrder ? [...ex.events].reverse() : ex.events;
        const from = input.nextToken ? Number(input.nextToken) : 0;
        const size = input.maxResults || 100;
        const page = ordered.slice(from, from + size);
        return { events: page, nextToken: from + size < ordered.length ? String(from + size) : undefined };
      }
      case 'StopExecution':
        this.append(input.executionArn, 'ExecutionAborted', {});
        return {};
      default:
        throw sdkError('UnknownOperationException');
    }
  }
}

export interface FakeRun {
  runId: string;
  pipelineName: string;
  status: string;
  parameters: Record<string, unknown>;
  runStart: Date;
  runEnd?: Date;
  lastUpdated: Date;
  activities: { activityRunId: string; activityName: string; activityType: string; pipelineRunId: string; pipelineName: string; status: string; activityRunStart: Date; activityRunEnd?: Date; output?: unknown; error?: unknown; input?: unknown }[];
}

export class FakeAdf {
  readonly runs = new Map<string, FakeRun>();
  readonly calls: string[] = [];
  readonly faults = new Map<string, Error[]>();
  pageSize = 100;

  start(pipelineName: string, parameters: Record<string, unknown>): FakeRun {
    const run: FakeRun = { runId: `run-${this.runs.size + 1}`, pipelineName, status: 'InProgress', parameters, runStart: tick(), lastUpdated: tick(0), activities: [] };
    this.runs.set(run.runId, run);
    return run;
  }

  private call(op: string): void {
    this.calls.push(op);
    const fault = this.faults.get(op)?.shift();
    if (fault) throw fault;
  }

  readonly pipelines = {
    createRun: async (_rg: string, _f: string, name: string, options: { parameters?: Record<string, unknown> }) => {
      this.call('createRun');
      return { runId: this.start(name, options.parameters ?? {}).runId };
    },
  };

  readonly pipelineRuns = {
    get: async (_rg: string, _f: string, runId: string) => {
      this.call('pipelineRuns.get');
      const run = this.runs.get(runId);
      if (!run) throw Object.assign(new Error('not found'), { name: 'RestError', statusCode: 404, code: 'PipelineRunNotFound' });
      return { ...run };
    },
    queryByFactory: async (_rg: string, _f: string, filter: { filters?: { operand: string; values: string[] }[]; continuationToken?: string }) => {
      this.call('pipelineRuns.queryByFactory');
      const name = filter.filters?.find((f) => f.operand === 'PipelineName')?.values[0];
      const all = [...this.runs.values()].filter((r) => !name || r.pipelineName === name);
      const from = filter.continuationToken ? Number(filter.continuationToken) : 0;
      return { value: all.slice(from, from + this.pageSize), continuationToken: from + this.pageSize < all.length ? String(from + this.pageSize) : undefined };
    },
    cancel: async (_rg: string, _f: string, runId: string) => {
      this.call('pipelineRuns.cancel');
      const run = this.runs.get(runId)!;
      run.status = 'Cancelled';
      run.runEnd = tick();
    },
  };

  readonly activityRuns = {
    queryByPipelineRun: async (_rg: string, _f: string, runId: string, filter: { continuationToken?: string }) => {
      this.call('activityRuns.queryByPipelineRun');
      const all = this.runs.get(runId)?.activities ?? [];
      const from = filter.continuationToken ? Number(filter.continuationToken) : 0;
      return { value: all.slice(from, from + this.pageSize).map((a) => ({ ...a })), continuationToken: from + this.pageSize < all.length ? String(from + this.pageSize) : undefined };
    },
  };

  activity(run: FakeRun, name: string, type = 'SetVariable', status = 'Succeeded', extra: Partial<FakeRun['activities'][number]> = {}) {
    const a = { activityRunId: `${run.runId}-a${run.activities.length + 1}`, activityName: name, activityType: type, pipelineRunId: run.runId, pipelineName: run.pipelineName, status, activityRunStart: tick(), ...(status === 'InProgress' ? {} : { activityRunEnd: tick() }), ...extra };
    run.activities.push(a);
    return a;
  }

  finish(run: FakeRun, status = 'Succeeded'): void {
    run.status = status;
    run.runEnd = tick();
    run.lastUpdated = run.runEnd;
  }
}

export function clientsOf(sfn: FakeSfn, adf: FakeAdf): RunClients {
  return { sfn: sfn as never, adf: adf as never, resourceGroup: 'rg', factoryName: 'f' };
}

export function configWith(link: Partial<LinkModel>): { config: BridgeConfigModel; link: LinkModel } {
  const full: LinkModel = { name: 'l', environment: 'dev', payloads: [], ...link };
  const config: BridgeConfigModel = {
    path: '/nowhere/test.bridge.jsonc',
    azure: { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg', factory: 'f', cloud: 'AzureCloud' },
    aws: { region: 'eu-west-1', partition: 'aws', accountId: '123456789012' },
    environments: { dev: { protected: false } },
    links: [full],
  };
  return { config, link: full };
}
