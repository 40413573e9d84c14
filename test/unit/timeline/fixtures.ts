/**
 * Run streams written by hand to the contract (shared/spec/run-stream.md and the span marks of
 * src/core/run/events.ts): ADF pipeline and activity runs with a child pipeline, a gateway request,
 * and a Step Functions history with AWS's ids and previousEventId threading (Map iterations,
 * Parallel branches, retries, waits, failures).
 */
import type { RunEvent, RunLine, RunSpanMark, RunStatus } from '../../../src/core/run/events';

export const T0 = Date.parse('2026-11-23T10:00:00.000Z');

export class RunStream {
  readonly lines: RunLine[] = [];
  private count = 0;
  t = T0;

  constructor(
    readonly correlationId = '01JDTIMELINE0000000000000',
    readonly link = 'nightly-retrain',
  ) {
    this.lines.push({ type: 'run', correlationId, link, config: 'samples/analytics.bridge.jsonc', trigger: 'adf-to-sfn', environment: 'dev', target: 'sandbox', startedAt: new Date(this.t).toISOString() });
  }

  advance(ms: number): this {
    this.t += ms;
    return this;
  }

  event(fields: Omit<RunEvent, 'type' | 'correlationId' | 'id' | 'time'> & { id?: string }): RunEvent {
    const e: RunEvent = { type: 'event', correlationId: this.correlationId, id: fields.id ?? `e${++this.count}`, time: new Date(this.t).toISOString(), ...fields };
    this.lines.push(e);
    return e;
  }

  summary(status: RunStatus, reason?: string): this {
    const events = this.lines.filter((l) => l.type === 'event').length;
    this.lines.push({ type: 'summary', correlationId: this.correlationId, status, events, ...(reason ? { reason } : {}) });
    return this;
  }

  pipeline(name: string, runId: string, parent?: { runId: string; activitySpan: string }): AdfRun {
    return new AdfRun(this, name, runId, parent);
  }

  execution(stateMachine: string, name: string): SfnExecution {
    return new SfnExecution(this, `arn:aws:states:eu-west-1:123456789012:execution:${stateMachine}:${name}`);
  }

  request(route: string, status: number, latencyMs: number, withSpan = false): RunEvent {
    const span: RunSpanMark | undefined = withSpan ? { key: `gateway:request:${this.count}`, phase: 'instant', of: 'request', start: new Date(this.t).toISOString(), outcome: status < 400 ? 'Succeeded' : 'Failed' } : undefined;
    return this.event({ source: 'gateway', kind: 'request', name: route, route, status, requestId: `req-${this.count}`, latencyMs, caller: 'adf-managed-identity', throttled: status === 429 || undefined, span });
  }
}

export class AdfRun {
  private activities = 0;
  constructor(
    private readonly s: RunStream,
    readonly name: string,
    readonly runId: string,
    private readonly parent?: { runId: string; activitySpan: string },
  ) {}

  get key(): string {
    return `adf:pipeline:${this.runId}`;
  }

  private base() {
    return { source: 'adf' as const, pipelineRunId: this.runId, pipelineName: this.name, parentPipelineRunId: this.parent?.runId };
  }

  start(): this {
    this.s.event({ ...this.base(), kind: 'pipeline', name: this.name, status: 'InProgress', span: { key: this.key, phase: 'start', of: 'pipeline', parent: this.parent?.activitySpan } });
    return this;
  }

  end(outcome = 'Succeeded', error?: { code?: string; message?: string }): this {
    this.s.event({ ...this.base(), kind: 'pipeline', name: this.name, status: outcome, error, span: { key: this.key, phase: 'end', of: 'pipeline', outcome, parent: this.parent?.activitySpan } });
    return this;
  }

  /** Starts an activity run; returns its span key and a function that ends it after `ms`. */
  begin(name: string, activityType: string): { key: string; end(ms: number, outcome?: string, error?: { code?: string; message?: string }): void } {
    const runId = `${this.runId}-act${++this.activities}`;
    const key = `adf:activity:${runId}`;
    const started = new Date(this.s.t).toISOString();
    this.s.event({ ...this.base(), kind: 'activity', name, status: 'InProgress', activityRunId: runId, activityType, span: { key, phase: 'start', of: 'activity', parent: this.key } });
    return {
      key,
      end: (ms, outcome = 'Succeeded', error) => {
        this.s.advance(ms);
        this.s.event({ ...this.base(), kind: 'activity', name, status: outcome, activityRunId: runId, activityType, error, span: { key, phase: 'end', of: 'activity', parent: this.key, start: started, outcome } });
      },
    };
  }

  activity(name: string, activityType: string, ms: number, outcome = 'Succeeded', error?: { code?: string; message?: string }): this {
    this.begin(name, activityType).end(ms, outcome, error);
    return this;
  }
}

/** A thread of history events: the execution, a Map iteration or a Parallel branch. */
export interface Thread {
  last: number;
  /** The span key of the Map or Parallel state this thread runs in. */
  container?: string;
}

export class SfnExecution {
  private nextId = 1;
  readonly root: Thread = { last: 0 };
  constructor(
    private readonly s: RunStream,
    readonly arn: string,
  ) {}

  get key(): string {
    return `sfn:execution:${this.arn}`;
  }

  emit(kind: string, previousEventId: number, fields: Partial<RunEvent> = {}): number {
    const eventId = this.nextId++;
    this.s.event({ source: 'sfn', kind, executionArn: this.arn, eventId, previousEventId, ...fields });
    return eventId;
  }

  start(): this {
    this.emit('ExecutionStarted', 0, { span: { key: this.key, phase: 'start', of: 'execution' } });
    return this;
  }

  end(outcome: 'Succeeded' | 'Failed' = 'Succeeded', error?: { code: string; message: string }): this {
    this.emit(outcome === 'Succeeded' ? 'ExecutionSucceeded' : 'ExecutionFailed', this.root.last, { error, span: { key: this.key, phase: 'end', of: 'execution', outcome } });
    return this;
  }

  private enter(t: Thread, type: string, name: string): { key: string; id: number } {
    const id = this.nextId;
    const key = `sfn:state:${this.arn}:${id}`;
    this.emit(`${type}StateEntered`, t.last, { name, span: { key, phase: 'start', of: 'state', parent: t.container ?? this.key } });
    t.last = id;
    return { key, id };
  }

  private exit(t: Thread, type: string, name: string, key: string): void {
    t.last = this.emit(`${type}StateExited`, t.last, { name, span: { key, phase: 'end', of: 'state', outcome: 'Succeeded', parent: t.container ?? this.key } });
  }

  /** A Pass/Choice/Succeed-like state taking `ms`. */
  state(t: Thread, type: string, name: string, ms: number): this {
    const { key } = this.enter(t, type, name);
    this.s.advance(ms);
    this.exit(t, type, name, key);
    return this;
  }

  wait(t: Thread, name: string, ms: number): this {
    return this.state(t, 'Wait', name, ms);
  }

  /**
   * A Task: each attempt is TaskScheduled … TaskSucceeded/TaskFailed (no span marks: the engine
   * marks state visits only), the retry interval between them; `failures` attempts fail first.
   * With `fatal` the last attempt fails too and the state never exits (no Catch).
   */
  task(t: Thread, name: string, ms: number, options: { failures?: number; retryMs?: number; fatal?: { code: string; message: string } } = {}): this {
    const { key } = this.enter(t, 'Task', name);
    const failures = options.failures ?? 0;
    for (let attempt = 0; attempt <= failures; attempt++) {
      const failing = attempt < failures || !!options.fatal;
      t.last = this.emit('TaskScheduled', t.last);
      t.last = this.emit('TaskStarted', t.last);
      this.s.advance(ms);
      if (failing) {
        const error = options.fatal && attempt === failures ? options.fatal : { code: 'States.Timeout', message: `attempt ${attempt + 1} timed out` };
        t.last = this.emit('TaskFailed', t.last, { error });
        if (options.fatal && attempt === failures) return this;
        this.s.advance(options.retryMs ?? 500);
      } else {
        t.last = this.emit('TaskSucceeded', t.last);
      }
    }
    this.exit(t, 'Task', name, key);
    return this;
  }

  /** A Map state whose iterations run `each` one after another (index, thread). */
  map(t: Thread, name: string, count: number, each: (thread: Thread, index: number) => 'ok' | 'failed'): 'ok' | 'failed' {
    const { key, id } = this.enter(t, 'Map', name);
    let cursor = this.emit('MapStateStarted', id);
    let lastTerminal = cursor;
    for (let i = 0; i < count; i++) {
      const started = this.emit('MapIterationStarted', cursor, { name });
      const thread: Thread = { last: started, container: key };
      const result = each(thread, i);
      if (result === 'failed') {
        this.emit('MapIterationFailed', thread.last, { name });
        cursor = this.emit('MapStateFailed', thread.last);
        this.s.advance(1);
        t.last = cursor;
        this.end('Failed', { code: 'States.TaskFailed', message: `iteration ${i} failed` });
        return 'failed';
      }
      lastTerminal = this.emit('MapIterationSucceeded', thread.last, { name });
      cursor = lastTerminal;
    }
    this.emit('MapStateSucceeded', lastTerminal);
    t.last = this.emit('MapStateExited', lastTerminal, { name, span: { key, phase: 'end', of: 'state', outcome: 'Succeeded' } });
    return 'ok';
  }

  parallel(t: Thread, name: string, branches: ((thread: Thread) => void)[]): this {
    const { key, id } = this.enter(t, 'Parallel', name);
    const started = this.emit('ParallelStateStarted', id);
    let cursor = started;
    for (const branch of branches) {
      const thread: Thread = { last: started, container: key };
      branch(thread);
      cursor = thread.last;
    }
    this.emit('ParallelStateSucceeded', cursor);
    t.last = this.emit('ParallelStateExited', cursor, { name, span: { key, phase: 'end', of: 'state', outcome: 'Succeeded' } });
    return this;
  }
}

/**
 * The picture of the samples' adf-to-sfn link: a pipeline that copies, waits, runs a child
 * pipeline and calls the gateway, whose state machine validates (one retry), scores `iterations`
 * batches in a Map, notifies in two Parallel branches and waits.
 */
export function crossCloudRun(options: { iterations?: number; failIteration?: number; live?: boolean } = {}): RunLine[] {
  const s = new RunStream();
  s.advance(120);
  const pipeline = s.pipeline('IngestAndRetrain', 'run-ingest').start();
  s.advance(50);
  pipeline.activity('CopyToCurated', 'Copy', 800);
  pipeline.activity('WaitForLanding', 'Wait', 1500);
  const child = pipeline.begin('RunCleanup', 'ExecutePipeline');
  s.advance(20);
  const cleanup = s.pipeline('Cleanup', 'run-cleanup', { runId: 'run-ingest', activitySpan: child.key }).start();
  cleanup.activity('DeleteStaging', 'Delete', 300);
  s.advance(10);
  cleanup.end();
  child.end(20);
  const web = pipeline.begin('StartRetrain', 'WebActivity');
  s.advance(30);
  s.request('POST /retrain', 200, 42, true);
  s.advance(5);
  const exec = s.execution('Retrain', s.correlationId).start();
  s.advance(10);
  exec.task(exec.root, 'Validate', 200, { failures: 1, retryMs: 400 });
  web.end(60);
  const failAt = options.failIteration;
  const mapResult = exec.map(exec.root, 'ScoreBatches', options.iterations ?? 3, (thread, i) => {
    s.advance(5);
    if (i === failAt) {
      // A failed iteration: no exit events; the Map and the execution fail after it.
      exec.task(thread, 'Score', 150, { fatal: { code: 'States.TaskFailed', message: `batch ${i}: model endpoint returned 500` } });
      return 'failed';
    }
    exec.task(thread, 'Score', 150);
    exec.state(thread, 'Pass', 'Collect', 5);
    return 'ok';
  });
  if (mapResult === 'failed') {
    pipeline.end('Succeeded');
    return s.summary('Failed', `ScoreBatches failed: States.TaskFailed (batch ${failAt}: model endpoint returned 500)`).lines;
  }
  exec.parallel(exec.root, 'Notify', [(b) => exec.task(b, 'EmailTeam', 120), (b) => exec.task(b, 'UpdateDashboard', 300)]);
  exec.wait(exec.root, 'Cooldown', 1000);
  if (options.live) {
    // Still running: TrainModel entered, not yet exited; the pipeline still in progress.
    exec.emit('TaskStateEntered', exec.root.last, { name: 'TrainModel', span: { key: `sfn:state:${exec.arn}:train`, phase: 'start', of: 'state', parent: exec.key } });
    s.advance(2000);
    return s.lines;
  }
  exec.state(exec.root, 'Succeed', 'Done', 1);
  exec.end('Succeeded');
  s.advance(30);
  pipeline.end('Succeeded');
  return s.summary('Succeeded').lines;
}

/** A state machine of `states` Pass states one after another (the 1,000-state case). */
export function longRun(states: number): RunLine[] {
  const s = new RunStream('01JDLONGRUN00000000000000', 'long-chain');
  const exec = s.execution('LongChain', 'long').start();
  for (let i = 0; i < states; i++) exec.state(exec.root, i % 10 === 9 ? 'Wait' : 'Pass', `Step${String(i).padStart(4, '0')}`, 3);
  exec.end('Succeeded');
  return s.summary('Succeeded').lines;
}
