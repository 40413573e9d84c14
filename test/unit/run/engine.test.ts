/**
 * The run engine against scripted fake clients: what each poll costs, how a redrive continues the
 * stream, how a run ends when the far side never starts, and that one fault never ends a run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRun, type RunDeps } from '../../../src/cloud/index';
import type { RunEvent, RunSummaryLine } from '../../../src/core/run/events';
import type { RunRequest } from '../../../src/core/run/request';
import { clientsOf, configWith, FakeAdf, FakeSfn, MACHINE, sdkError, tick } from './fakes';

const FAST = { minMs: 1, maxMs: 5, farSideGraceMs: 150, maxHoldMs: 5_000, startRetryMs: 1 };

async function follow(request: Omit<RunRequest, 'target' | 'observer'>, deps: RunDeps): Promise<{ events: RunEvent[]; summary: RunSummaryLine; notices: string[] }> {
  const events: RunEvent[] = [];
  const notices: string[] = [];
  const handle = startRun({ ...request, target: 'sandbox', observer: { onEvent: (e) => events.push(e), onNotice: (m) => notices.push(m) } }, { timing: FAST, ...deps });
  return { events, summary: await handle.result, notices };
}

function assertOnceInOrder(events: RunEvent[]): void {
  const keys = events.map((e) => `${e.source} ${e.id}`);
  assert.equal(new Set(keys).size, keys.length, 'each event once');
  for (let i = 1; i < events.length; i++) assert.ok(events[i].late || events[i - 1].time <= events[i].time, `in time order at ${i}`);
}

describe('Step Functions history is read incrementally', () => {
  it('a poll that finds a few new events costs one GetExecutionHistory call, however long the history', async () => {
    const sfn = new FakeSfn();
    const adf = new FakeAdf();
    const { config, link } = configWith({ trigger: 's3-to-sfn', stateMachine: { arn: MACHINE }, s3: { bucket: 'b' } });
    let polls = 0;
    let arn = '';
    const perPoll: number[] = [];
    let before = 0;
    const send = sfn.send.bind(sfn);
    sfn.send = async (command) => {
      const out = await send(command);
      // A long history already there when following starts (a Map of many iterations).
      if (command.constructor.name === 'StartExecutionCommand') for (let i = 0; i < 2500; i++) sfn.append(out.executionArn, 'MapIterationStarted', { name: 'M', index: i });
      return out;
    };
    const result = follow(
      { config, link, payload: { value: {} }, correlationId: 'c-1' },
      {
        clients: clientsOf(sfn, adf),
        onPoll: () => {
          const calls = sfn.calls.filter((c) => c === 'GetExecutionHistory').length;
          perPoll.push(calls - before);
          before = calls;
          polls++;
          arn ||= [...sfn.executions.keys()][0];
          if (polls < 8) for (let i = 0; i < 3; i++) sfn.append(arn, 'PassStateEntered', { name: `S${polls}-${i}` });
          else if (polls === 8) sfn.append(arn, 'ExecutionSucceeded', {});
        },
      },
    );
    const { events, summary } = await result;
    assert.equal(summary.status, 'Succeeded', summary.reason);
    assert.equal(events.length, sfn.executions.get(arn)!.events.length, 'every history event once');
    assert.deepEqual(events.map((e) => e.eventId), sfn.executions.get(arn)!.events.map((e) => e.id));
    assertOnceInOrder(events);
    // The first poll reads the whole history back to event 1 (1,000 a page); after that one call a poll.
    assert.ok(perPoll[0] <= 3, `first poll: ${perPoll[0]} calls`);
    for (const n of perPoll.slice(1)) assert.equal(n, 1, `later polls: ${perPoll.join(',')}`);
  });

  it('asks for execution data only when payloads are asked for', async () => {
    const sfn = new FakeSfn();
    const seen: boolean[] = [];
    const send = sfn.send.bind(sfn);
    sfn.send = async (command) => {
      if (command.constructor.name === 'GetExecutionHistoryCommand') seen.push(command.input.includeExecutionData);
      const out = await send(command);
      if (command.constructor.name === 'StartExecutionCommand') sfn.append(out.executionArn, 'ExecutionSucceeded', { output: '{}' });
      return out;
    };
    const { config, link } = configWith({ trigger: 's3-to-sfn', stateMachine: { arn: MACHINE } });
    const { summary } = await follow({ config, link, payload: { value: {} } }, { clients: clientsOf(sfn, new FakeAdf()) });
    assert.equal(summary.status, 'Succeeded');
    assert.ok(seen.length > 0 && seen.every((v) => v === false));
  });
});

describe('a redriven execution continues the same stream', () => {
  it('events after ExecutionRedriven follow, and the summary is the redriven run’s outcome', async () => {
    const sfn = new FakeSfn();
    const adf = new FakeAdf();
    const { config, link } = configWith({ trigger: 'adf-to-sfn', adf: { pipeline: 'P', activity: 'Call' }, stateMachine: { arn: MACHINE }, gateway: { url: 'https://x.execute-api.eu-west-1.amazonaws.com/p/r' } });
    let polls = 0;
    const { events, summary } = await follow(
      { config, link, payload: { value: {} }, correlationId: 'c-redrive' },
      {
        clients: clientsOf(sfn, adf),
        onPoll: () => {
          polls++;
          const run = [...adf.runs.values()][0];
          const arn = `${MACHINE.replace(':stateMachine:', ':execution:')}:c-redrive`;
          if (polls === 1) {
            adf.activity(run, 'Call', 'WebActivity', 'Succeeded');
            sfn.create('c-redrive', { correlationId: 'c-redrive' });
            sfn.append(arn, 'TaskStateEntered', { name: 'Work' });
            sfn.append(arn, 'TaskFailed', { error: 'Boom', cause: 'first try' });
            sfn.append(arn, 'ExecutionFailed', { error: 'Boom', cause: 'first try' });
          } else if (polls === 4) {
            sfn.append(arn, 'ExecutionRedriven', { redriveCount: 1 });
            sfn.append(arn, 'TaskStateEntered', { name: 'Work' });
          } else if (polls === 6) {
            sfn.append(arn, 'TaskStateExited', { name: 'Work' });
            sfn.append(arn, 'ExecutionSucceeded', {});
          } else if (polls === 8) {
            adf.finish(run);
          }
        },
      },
    );
    assert.equal(summary.status, 'Succeeded', summary.reason);
    const kinds = events.filter((e) => e.source === 'sfn').map((e) => e.kind);
    assert.deepEqual(kinds, ['ExecutionStarted', 'TaskStateEntered', 'TaskFailed', 'ExecutionFailed', 'ExecutionRedriven', 'TaskStateEntered', 'TaskStateExited', 'ExecutionSucceeded']);
    const redriven = events.find((e) => e.kind === 'ExecutionRedriven')!;
    assert.equal(redriven.span?.of, 'execution');
    assert.equal(redriven.span?.phase, 'start');
    assertOnceInOrder(events);
  });
});

describe('the far side is found by the correlation id, or the run says it never started', () => {
  it('an execution not named by the id is found by its input', async () => {
    const sfn = new FakeSfn();
    const adf = new FakeAdf();
    const { config, link } = configWith({ trigger: 'adf-to-sfn', adf: { pipeline: 'P', activity: 'Call' }, stateMachine: { arn: MACHINE }, correlation: { sfnInputPath: '$.meta.cid' } });
    let polls = 0;
    const { summary, events } = await follow(
      { config, link, payload: { value: {} }, correlationId: 'c-input' },
      {
        clients: clientsOf(sfn, adf),
        onPoll: () => {
          polls++;
          const run = [...adf.runs.values()][0];
          if (polls === 1) {
            sfn.create('someone-else', { meta: { cid: 'other' } });
            adf.activity(run, 'Call', 'WebActivity', 'Succeeded');
            const ex = sfn.create('gateway-chosen-name', { meta: { cid: 'c-input' } });
            sfn.append(ex.arn, 'ExecutionSucceeded', {});
          } else if (polls === 3) adf.finish(run);
        },
      },
    );
    assert.equal(summary.status, 'Succeeded', summary.reason);
    assert.match(summary.executionArn!, /:gateway-chosen-name$/);
    assert.ok(events.some((e) => e.source === 'sfn' && e.kind === 'ExecutionSucceeded'));
  });

  it('origin over and no far side within the grace: Failed, naming the side and what to check', async () => {
    const sfn = new FakeSfn();
    const adf = new FakeAdf();
    const { config, link } = configWith({ trigger: 'sfn-to-adf', adf: { pipeline: 'Ingest' }, stateMachine: { arn: MACHINE } });
    const send = sfn.send.bind(sfn);
    sfn.send = async (command) => {
      const out = await send(command);
      if (command.constructor.name === 'StartExecutionCommand') sfn.append(out.executionArn, 'ExecutionSucceeded', {});
      return out;
    };
    const { summary } = await follow({ config, link, payload: { value: {} } }, { clients: clientsOf(sfn, adf) });
    assert.equal(summary.status, 'Failed');
    assert.match(summary.reason!, /no run of pipeline Ingest .* started within \d+ s/);
    assert.match(summary.reason!, /createRun/);
  });
});

describe('faults and stops', () => {
  it('one transient fault on every operation never ends a run', async () => {
    const sfn = new FakeSfn();
    const adf = new FakeAdf();
    for (const op of ['StartExecution', 'GetExecutionHistory', 'DescribeExecution']) sfn.faults.set(op, [sdkError(op === 'StartExecution' ? 'InternalFailure' : 'ThrottlingException', op === 'StartExecution' ? 500 : 400)]);
    for (const op of ['pipelineRuns.get', 'pipelineRuns.queryByFactory', 'activityRuns.queryByPipelineRun']) adf.faults.set(op, [Object.assign(new Error('busy'), { name: 'RestError', statusCode: 429, response: { headers: { get: (n: string) => (n === 'retry-after' ? '0' : undefined) } } })]);
    const { config, link } = configWith({ trigger: 'sfn-to-adf', adf: { pipeline: 'Ingest' }, stateMachine: { arn: MACHINE } });
    let polls = 0;
    const { summary, events } = await follow(
      { config, link, payload: { value: {} }, correlationId: 'c-faults' },
      {
        clients: clientsOf(sfn, adf),
        onPoll: () => {
          polls++;
          const arn = [...sfn.executions.keys()][0];
          if (polls === 1) {
            const run = adf.start('Ingest', { correlationId: 'c-faults' });
            adf.activity(run, 'Copy', 'Copy');
            sfn.append(arn, 'ExecutionSucceeded', {});
          } else if (polls === 3) adf.finish([...adf.runs.values()][0]);
        },
      },
    );
    assert.equal(summary.status, 'Succeeded', summary.reason);
    assert.ok(events.some((e) => e.source === 'adf' && e.name === 'Copy'));
    assert.ok(sfn.calls.filter((c) => c === 'StartExecution').length === 2, 'StartExecution was retried');
  });

  it('createRun answering 500 six times in a row still starts the run (a faulty sandbox or a bad minute of ARM)', async () => {
    const adf = new FakeAdf();
    const serverFault = () => Object.assign(new Error('The service encountered an internal error. Please retry the request.'), { name: 'RestError', statusCode: 500, code: 'InternalServerError' });
    adf.faults.set('createRun', Array.from({ length: 6 }, serverFault));
    const { config, link } = configWith({ trigger: 'adf-to-sfn', adf: { pipeline: 'Ingest' }, stateMachine: { arn: MACHINE } });
    let polls = 0;
    const { summary } = await follow(
      { config, link, payload: { value: {} } },
      {
        clients: clientsOf(new FakeSfn(), adf),
        onPoll: () => {
          if (++polls === 1) adf.finish([...adf.runs.values()][0], 'Failed');
        },
      },
    );
    assert.equal(adf.calls.filter((c) => c === 'createRun').length, 7, 'createRun was retried until it answered');
    assert.equal(adf.runs.size, 1, 'one pipeline run, not one per retry');
    assert.ok(summary.pipelineRunId, summary.reason);
  });

  it('createRun failing on every attempt: Failed, one sentence naming the pipeline, the operation and the error', async () => {
    const adf = new FakeAdf();
    const serverFault = () => Object.assign(new Error('The service encountered an internal error. Please retry the request.'), { name: 'RestError', statusCode: 500, code: 'InternalServerError' });
    adf.faults.set('createRun', Array.from({ length: 50 }, serverFault));
    const { config, link } = configWith({ trigger: 'adf-to-sfn', adf: { pipeline: 'Ingest' }, stateMachine: { arn: MACHINE } });
    const { summary } = await follow({ config, link, payload: { value: {} } }, { clients: clientsOf(new FakeSfn(), adf) });
    assert.equal(summary.status, 'Failed');
    assert.match(summary.reason!, /pipeline Ingest/);
    assert.match(summary.reason!, /createRun/);
    assert.match(summary.reason!, /InternalServerError/);
    assert.equal(summary.reason!.split(/\.\s/).length, 1, `one sentence: ${summary.reason}`);
  });

  it('a persistent permission error ends the run with one line naming the IAM action', async () => {
    const sfn = new FakeSfn();
    sfn.faults.set('StartExecution', [sdkError('AccessDeniedException', 400, 'User: arn:aws:iam::1:user/x is not authorized to perform: states:StartExecution')]);
    const { config, link } = configWith({ trigger: 's3-to-sfn', stateMachine: { arn: MACHINE } });
    const { summary } = await follow({ config, link, payload: { value: {} } }, { clients: clientsOf(sfn, new FakeAdf()) });
    assert.equal(summary.status, 'Failed');
    assert.match(summary.reason!, /states:StartExecution/);
    assert.doesNotMatch(summary.reason!, /\n/);
    assert.equal(summary.executionArn, undefined);
  });

  it('aborting stops following within a poll: Cancelled, and the summary says what keeps running', async () => {
    const sfn = new FakeSfn();
    const controller = new AbortController();
    const { config, link } = configWith({ trigger: 's3-to-sfn', stateMachine: { arn: MACHINE } });
    let polls = 0;
    const { summary } = await follow(
      { config, link, payload: { value: {} }, signal: controller.signal },
      { clients: clientsOf(sfn, new FakeAdf()), onPoll: () => ++polls === 3 && controller.abort() },
    );
    assert.equal(summary.status, 'Cancelled');
    assert.ok(summary.stillRunning?.some((s) => s.startsWith('execution arn:aws:states:')), JSON.stringify(summary));
  });

  it('a protected environment against the cloud is refused before anything is called', async () => {
    const sfn = new FakeSfn();
    const { config, link } = configWith({ trigger: 's3-to-sfn', stateMachine: { arn: MACHINE }, environment: 'prod' });
    config.environments.prod = { protected: true };
    const handle = startRun({ config, link, target: 'cloud' }, { clients: clientsOf(sfn, new FakeAdf()) });
    const summary = await handle.result;
    assert.equal(summary.status, 'Refused');
    assert.match(summary.reason!, /protected environment "prod"/);
    assert.deepEqual(sfn.calls, []);
  });
});

void tick;

describe('stop()', () => {
  it('cancels the pipeline run in its cloud and ends Cancelled', async () => {
    const sfn = new FakeSfn();
    const adf = new FakeAdf();
    const { config, link } = configWith({ trigger: 'adf-to-sfn', adf: { pipeline: 'P', activity: 'Call' }, stateMachine: { arn: MACHINE } });
    let polls = 0;
    let stop: (() => Promise<void>) | undefined;
    const handle = startRun(
      { config, link, target: 'sandbox', payload: { value: {} }, correlationId: 'c-stop' },
      { clients: clientsOf(sfn, adf), timing: FAST, onPoll: () => ++polls === 2 && void stop!() },
    );
    stop = handle.stop;
    const summary = await handle.result;
    assert.equal(summary.status, 'Cancelled');
    assert.ok(adf.calls.includes('pipelineRuns.cancel'), 'the pipeline run was cancelled');
    assert.match(summary.reason!, /cancelled/);
  });
});

describe('the gateway hop', () => {
  it('an access log that cannot be read is said once and left out; the run goes on', async () => {
    const sfn = new FakeSfn();
    const adf = new FakeAdf();
    const { config, link } = configWith({ trigger: 'adf-to-sfn', adf: { pipeline: 'P', activity: 'Call' }, stateMachine: { arn: MACHINE }, gateway: { url: 'https://x.execute-api.eu-west-1.amazonaws.com/p/r', accessLogGroup: '/nope' } });
    const logs = { send: async () => Promise.reject(sdkError('ResourceNotFoundException', 400, 'The specified log group does not exist.')) };
    let polls = 0;
    const { summary, notices } = await follow(
      { config, link, payload: { value: {} }, correlationId: 'c-logs' },
      {
        clients: { ...clientsOf(sfn, adf), logs: logs as never },
        onPoll: () => {
          polls++;
          const run = [...adf.runs.values()][0];
          if (polls === 1) {
            const ex = sfn.create('c-logs', { correlationId: 'c-logs' });
            adf.activity(run, 'Call', 'WebActivity', 'Succeeded', { output: { executionArn: ex.arn, ADFWebActivityResponseHeaders: { 'x-amzn-RequestId': 'req-1' } } });
            sfn.append(ex.arn, 'ExecutionSucceeded', {});
          } else if (polls === 3) adf.finish(run);
        },
      },
    );
    assert.equal(summary.status, 'Succeeded', summary.reason);
    assert.equal(notices.filter((n) => /access log \/nope cannot be read/.test(n)).length, 1, notices.join('\n'));
  });
});
