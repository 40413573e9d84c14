/**
 * RedriveExecution through the real @aws-sdk/client-sfn: a failed Standard execution restarts from
 * the state that failed, with the same ARN, an ExecutionRedriven event and redriveCount; states
 * that succeeded (and Map iterations that succeeded) are not run again; variables are as they were.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeExecutionCommand, ExecutionNotRedrivable, GetExecutionHistoryCommand, ListExecutionsCommand, RedriveExecutionCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { chain, pollExecution, smArn, startSandbox, type Sandbox } from './helpers';

const pipeline = {
  QueryLanguage: 'JSONata',
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Assign: { batch: '{% $states.input.batch %}' }, Next: 'Load' },
    Load: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'load', Payload: { batch: '{% $batch %}' } }, Output: '{% $states.result.Payload %}', Next: 'Report' },
    Report: { Type: 'Pass', Output: { batch: '{% $batch %}', loaded: '{% $states.input.rows %}' }, End: true },
  },
};

const fanOut = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      MaxConcurrency: 1,
      ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
      End: true,
    },
  },
};

const waiting = { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 600, Next: 'Done' }, Done: { Type: 'Pass', Result: 'released', End: true } } };

const mocks = {
  StateMachines: { Pipeline: { TestCases: { FlakyLoad: { Load: 'FailsOnce' } } }, FanOut: { TestCases: { ThirdFails: { Work: 'ThirdFailsOnce' } } } },
  MockedResponses: {
    FailsOnce: { '0': { Throw: { Error: 'Db.Unavailable', Cause: 'connection refused' } }, '1': { Return: { Payload: { rows: 12 } } } },
    ThirdFailsOnce: { '0-1': { Return: 'ok' }, '2': { Throw: { Error: 'Item.Bad', Cause: 'third item' } }, '3': { Return: 'ok after redrive' } },
  },
};

describe('RedriveExecution through @aws-sdk/client-sfn', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({
      waitScale: 0.01,
      stateMachines: [
        { arn: smArn('Pipeline'), definition: pipeline, mockConfig: mocks },
        { arn: smArn('FanOut'), definition: fanOut, mockConfig: mocks },
        { arn: smArn('Waiting'), definition: waiting },
      ],
    });
  });
  after(async () => {
    await sb.close();
  });

  it('restarts a failed execution from the failed state with the same ARN, variables intact', async () => {
    const { executionArn } = await sb.client.send(new StartExecutionCommand({ stateMachineArn: smArn('Pipeline'), name: 'nightly', input: '{"batch":"b-7"}' }));
    const failed = await pollExecution(sb.client, executionArn!);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'Db.Unavailable');
    assert.equal(failed.redriveCount, 0);
    assert.equal(failed.redriveStatus, 'REDRIVABLE');

    const { redriveDate } = await sb.client.send(new RedriveExecutionCommand({ executionArn }));
    assert.ok(redriveDate instanceof Date);
    const done = await pollExecution(sb.client, executionArn!);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.equal(done.output, '{"batch":"b-7","loaded":12}');
    assert.equal(done.redriveCount, 1);
    assert.ok(done.redriveDate instanceof Date);
    assert.equal(done.redriveStatus, 'NOT_REDRIVABLE');
    assert.equal(done.error, undefined);

    const { events = [] } = await sb.client.send(new GetExecutionHistoryCommand({ executionArn }));
    assert.deepEqual(chain(events), [
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'TaskStateEntered'],
      [5, 4, 'TaskScheduled'],
      [6, 5, 'TaskStarted'],
      [7, 6, 'TaskFailed'],
      [8, 7, 'ExecutionFailed'],
      [9, 8, 'ExecutionRedriven'],
      [10, 9, 'TaskStateEntered'],
      [11, 10, 'TaskScheduled'],
      [12, 11, 'TaskStarted'],
      [13, 12, 'TaskSucceeded'],
      [14, 13, 'TaskStateExited'],
      [15, 14, 'PassStateEntered'],
      [16, 15, 'PassStateExited'],
      [17, 16, 'ExecutionSucceeded'],
    ]);
    assert.deepEqual(events[8].executionRedrivenEventDetails, { redriveCount: 1 });
    const scheduled = JSON.parse(events[10].taskScheduledEventDetails?.parameters ?? '{}') as { Payload?: unknown };
    assert.deepEqual(scheduled.Payload, { batch: 'b-7' }, 'the variable assigned before the failure is still set');

    const listed = await sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Pipeline') }));
    assert.equal(listed.executions?.[0].redriveCount, 1);
    const redriven = await sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Pipeline'), redriveFilter: 'REDRIVEN' }));
    assert.deepEqual(redriven.executions?.map((e) => e.name), ['nightly']);
    const notRedriven = await sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Pipeline'), redriveFilter: 'NOT_REDRIVEN' }));
    assert.deepEqual(notRedriven.executions ?? [], []);
    await assert.rejects(sb.client.send(new RedriveExecutionCommand({ executionArn })), (e: unknown) => e instanceof ExecutionNotRedrivable && /SUCCEEDED/.test(e.message));
  });

  it('reruns only the Map iterations that failed', async () => {
    const { executionArn } = await sb.client.send(new StartExecutionCommand({ stateMachineArn: smArn('FanOut'), name: 'items', input: '["a","b","c"]' }));
    const failed = await pollExecution(sb.client, executionArn!);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'Item.Bad');
    await sb.client.send(new RedriveExecutionCommand({ executionArn }));
    const done = await pollExecution(sb.client, executionArn!);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.equal(done.output, '["ok","ok","ok after redrive"]');
    const events = sb.service.history(executionArn!);
    const afterRedrive = events.slice(events.findIndex((e) => e.type === 'ExecutionRedriven'));
    assert.deepEqual(
      afterRedrive.filter((e) => e.type === 'MapIterationStarted').map((e) => (e.mapIterationStartedEventDetails as { index: number }).index),
      [2],
    );
  });

  it('redrives an aborted execution and refuses a running one', async () => {
    const { executionArn } = await sb.client.send(new StartExecutionCommand({ stateMachineArn: smArn('Waiting'), name: 'held' }));
    await pollExecution(sb.client, executionArn!, (d) => d.status === 'RUNNING');
    await assert.rejects(sb.client.send(new RedriveExecutionCommand({ executionArn })), (e: unknown) => e instanceof ExecutionNotRedrivable && /RUNNING/.test(e.message));
    await sb.client.send(new StopExecutionCommand({ executionArn }));
    const aborted = await sb.client.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(aborted.status, 'ABORTED');
    assert.equal(aborted.redriveStatus, 'REDRIVABLE');
    await sb.client.send(new RedriveExecutionCommand({ executionArn }));
    const running = await sb.client.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(running.status, 'RUNNING');
    const types = sb.service.history(executionArn!).map((e) => e.type);
    assert.deepEqual(types, ['ExecutionStarted', 'WaitStateEntered', 'WaitStateAborted', 'ExecutionAborted', 'ExecutionRedriven', 'WaitStateEntered']);
  });
});
