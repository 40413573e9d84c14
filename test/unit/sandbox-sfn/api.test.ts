/**
 * The sandbox's Step Functions API driven by the real @aws-sdk/client-sfn over loopback HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  ValidationException,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { chain, pollExecution, smArn, startSandbox, type Sandbox } from './helpers';

const WAIT_SCALE = 0.05;
const MOCKS_PATH = '/workspace/mocks/orders.mock.json';

const retryDefinition = {
  StartAt: 'CallApi',
  States: {
    CallApi: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'orders', 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 }],
      End: true,
    },
  },
};

const catchDefinition = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge' },
      Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'Refund' }],
      Next: 'Done',
    },
    Refund: { Type: 'Pass', Result: 'refunded', ResultPath: '$.refund', End: true },
    Done: { Type: 'Succeed' },
  },
};

const fanOutDefinition = {
  StartAt: 'Split',
  States: {
    Split: {
      Type: 'Map',
      ItemsPath: '$.orders',
      MaxConcurrency: 1,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Price',
        States: { Price: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'id.$': '$' }, OutputPath: '$.Payload', End: true } },
      },
      ResultPath: '$.prices',
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Total', States: { Total: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.prices[0], $.prices[1])' }, End: true } } },
        { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Label' }, Label: { Type: 'Pass', Result: 'labelled', End: true } } },
      ],
      ResultPath: '$.both',
      End: true,
    },
  },
};

const slowDefinition = {
  StartAt: 'Hold',
  States: { Hold: { Type: 'Wait', Seconds: 600, Next: 'After' }, After: { Type: 'Pass', End: true } },
};

const quickDefinition = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };

const failingDefinition = { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Orders.Invalid', Cause: 'bad order' } } };

const unmockedDefinition = {
  StartAt: 'Known',
  States: {
    Known: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'a' }, Next: 'Unknown' },
    Unknown: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, End: true },
  },
};

const jsonataDefinition = {
  QueryLanguage: 'JSONata',
  StartAt: 'Shape',
  States: { Shape: { Type: 'Pass', Output: '{% $states.input.a + 1 %}', End: true } },
};

const mocks = {
  StateMachines: {
    Orders: {
      TestCases: {
        HappyPath: { CallApi: 'OrdersOk' },
        RetryPath: { CallApi: 'OrdersThrottledOnce' },
      },
    },
    Charges: { TestCases: { Declined: { Charge: 'ChargeDeclined' } } },
    FanOut: { TestCases: { Prices: { Price: 'PriceList' } } },
    Partial: { TestCases: { OnlyKnown: { Known: 'OrdersOk' } } },
  },
  MockedResponses: {
    OrdersOk: { '0': { Return: { StatusCode: 200, Payload: { ok: true } } } },
    OrdersThrottledOnce: {
      '0': { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      '1': { Return: { StatusCode: 200, Payload: { ok: 'after retry' } } },
    },
    ChargeDeclined: { '0': { Throw: { Error: 'Card.Declined', Cause: 'insufficient funds' } } },
    PriceList: { '0': { Return: { Payload: 10 } }, '1-2': { Return: { Payload: 32 } } },
  },
};

describe('Step Functions sandbox over the wire (real @aws-sdk/client-sfn)', () => {
  let sb: Sandbox;

  before(async () => {
    sb = await startSandbox({
      waitScale: WAIT_SCALE,
      stateMachines: [
        { arn: smArn('Orders'), definition: retryDefinition, mockConfig: mocks, mockConfigPath: MOCKS_PATH, roleArn: 'arn:aws:iam::123456789012:role/orders' },
        { arn: smArn('Charges'), definition: catchDefinition, mockConfig: mocks, mockConfigPath: MOCKS_PATH },
        { arn: smArn('FanOut'), definition: fanOutDefinition, mockConfig: mocks, mockConfigPath: MOCKS_PATH },
        { arn: smArn('Slow'), definition: slowDefinition },
        { arn: smArn('Quick'), definition: quickDefinition },
        { arn: smArn('Failing'), definition: failingDefinition },
        { arn: smArn('Partial'), definition: unmockedDefinition, mockConfig: mocks, mockConfigPath: MOCKS_PATH },
        { arn: smArn('Jsonata'), definition: jsonataDefinition },
      ],
    });
  });

  after(async () => {
    await sb.close();
  });

  async function start(name: string, stateMachineArn: string, input: unknown = {}) {
    return sb.client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  }

  async function fullHistory(executionArn: string, maxResults: number, reverseOrder = false): Promise<{ events: HistoryEvent[]; pages: number }> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sb.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults, reverseOrder, nextToken }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    return { events, pages };
  }

  it('lists state machines page by page and describes one', async () => {
    const first = await sb.client.send(new ListStateMachinesCommand({ maxResults: 5 }));
    assert.equal(first.stateMachines?.length, 5);
    assert.ok(first.nextToken, 'a second page is announced');
    const second = await sb.client.send(new ListStateMachinesCommand({ maxResults: 5, nextToken: first.nextToken }));
    assert.equal(second.nextToken, undefined);
    const names = [...(first.stateMachines ?? []), ...(second.stateMachines ?? [])].map((m) => m.name);
    assert.deepEqual(names, ['Orders', 'Charges', 'FanOut', 'Slow', 'Quick', 'Failing', 'Partial', 'Jsonata']);
    assert.ok(first.stateMachines?.[0].creationDate instanceof Date);

    const d = await sb.client.send(new DescribeStateMachineCommand({ stateMachineArn: smArn('Orders') }));
    assert.equal(d.name, 'Orders');
    assert.equal(d.status, 'ACTIVE');
    assert.equal(d.type, 'STANDARD');
    assert.equal(d.roleArn, 'arn:aws:iam::123456789012:role/orders');
    assert.deepEqual(JSON.parse(d.definition ?? ''), retryDefinition);
  });

  it('maps unknown state machines and malformed ARNs to the SDK typed errors', async () => {
    await assert.rejects(sb.client.send(new DescribeStateMachineCommand({ stateMachineArn: smArn('Nope') })), StateMachineDoesNotExist);
    await assert.rejects(sb.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:lambda:eu-west-1:123456789012:function:x' })), InvalidArn);
    await assert.rejects(start('x1', smArn('Nope')), StateMachineDoesNotExist);
    await assert.rejects(sb.client.send(new ListStateMachinesCommand({ nextToken: 'not-a-token' })), InvalidToken);
  });

  it('StartExecution picks the mock test case from the #TestCase suffix, else the first one', async () => {
    const chosen = await start('pick-retry', `${smArn('Orders')}#RetryPath`);
    const dflt = await start('pick-default', smArn('Orders'));
    assert.equal(chosen.executionArn, `arn:aws:states:eu-west-1:123456789012:execution:Orders:pick-retry`);
    assert.ok(chosen.startDate instanceof Date);
    const a = await pollExecution(sb.client, chosen.executionArn!);
    const b = await pollExecution(sb.client, dflt.executionArn!);
    assert.equal(a.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(a.output ?? ''), { StatusCode: 200, Payload: { ok: 'after retry' } });
    assert.deepEqual(JSON.parse(b.output ?? ''), { StatusCode: 200, Payload: { ok: true } });
    assert.equal(a.stateMachineArn, smArn('Orders'));
    await assert.rejects(start('pick-missing', `${smArn('Orders')}#NoSuchCase`), (e: unknown) => e instanceof ValidationException && /HappyPath, RetryPath/.test(e.message));
  });

  it('is idempotent for the same name and input while running; other input or a finished run is ExecutionAlreadyExists', async () => {
    const first = await start('same-name', smArn('Slow'), { n: 1 });
    const again = await start('same-name', smArn('Slow'), { n: 1 });
    assert.equal(again.executionArn, first.executionArn);
    assert.equal(again.startDate?.getTime(), first.startDate?.getTime());
    await assert.rejects(start('same-name', smArn('Slow'), { n: 2 }), ExecutionAlreadyExists);
    await sb.client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await pollExecution(sb.client, first.executionArn!);
    await assert.rejects(start('same-name', smArn('Slow'), { n: 1 }), ExecutionAlreadyExists);
  });

  it('rejects invalid execution names and inputs with the typed errors', async () => {
    for (const name of ['has space', 'a/b', 'x#1', 'tab\there', 'q?', 'c:d', '{x}', 'x'.repeat(81), '']) {
      await assert.rejects(start(name, smArn('Quick')), InvalidName, `name ${JSON.stringify(name)}`);
    }
    const ok = await start('x'.repeat(80), smArn('Quick'));
    assert.ok(ok.executionArn);
    await assert.rejects(sb.client.send(new StartExecutionCommand({ stateMachineArn: smArn('Quick'), name: 'bad-json', input: '{not json' })), InvalidExecutionInput);
    const big = JSON.stringify({ blob: 'y'.repeat(256 * 1024) });
    await assert.rejects(sb.client.send(new StartExecutionCommand({ stateMachineArn: smArn('Quick'), name: 'too-big', input: big })), InvalidExecutionInput);
  });

  it('pages the history of a retried task with the exact AWS event sequence and previousEventId chain', async () => {
    const { executionArn } = await start('retried', `${smArn('Orders')}#RetryPath`, { order: 7 });
    const done = await pollExecution(sb.client, executionArn!);
    assert.equal(done.status, 'SUCCEEDED');
    const { events, pages } = await fullHistory(executionArn!, 3);
    assert.equal(pages, 4);
    assert.deepEqual(chain(events), [
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'TaskStateEntered'],
      [3, 2, 'TaskScheduled'],
      [4, 3, 'TaskStarted'],
      [5, 4, 'TaskFailed'],
      [6, 5, 'TaskScheduled'],
      [7, 6, 'TaskStarted'],
      [8, 7, 'TaskSucceeded'],
      [9, 8, 'TaskStateExited'],
      [10, 9, 'ExecutionSucceeded'],
    ]);
    assert.deepEqual(events[0].executionStartedEventDetails?.input, '{"order":7}');
    assert.equal(events[0].executionStartedEventDetails?.roleArn, 'arn:aws:iam::123456789012:role/orders');
    assert.equal(events[1].stateEnteredEventDetails?.name, 'CallApi');
    assert.deepEqual(
      { ...events[2].taskScheduledEventDetails, parameters: JSON.parse(events[2].taskScheduledEventDetails?.parameters ?? '') },
      { resourceType: 'lambda', resource: 'invoke', region: 'eu-west-1', parameters: { FunctionName: 'orders', Payload: { order: 7 } } },
    );
    assert.deepEqual(events[4].taskFailedEventDetails, { resourceType: 'lambda', resource: 'invoke', error: 'Lambda.TooManyRequestsException', cause: 'Rate exceeded' });
    assert.ok(events[0].timestamp instanceof Date);
    // The retry waited IntervalSeconds (2 s) x waitScale: shortened, not skipped.
    const waitedMs = events[5].timestamp!.getTime() - events[4].timestamp!.getTime();
    assert.ok(waitedMs >= 2 * 1000 * WAIT_SCALE - 5, `retry waited ${waitedMs} ms`);

    const reversed = await fullHistory(executionArn!, 4, true);
    assert.deepEqual(reversed.events.map((e) => e.id), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(reversed.pages, 3);
    // A token belongs to its request: using it with other arguments is InvalidToken.
    const page = await sb.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3 }));
    await assert.rejects(sb.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, reverseOrder: true, nextToken: page.nextToken })), InvalidToken);
    const noData = await sb.client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    assert.equal(noData.events?.[0].executionStartedEventDetails?.input, undefined);
    assert.equal(noData.events?.[0].executionStartedEventDetails?.roleArn, 'arn:aws:iam::123456789012:role/orders');
  });

  it('follows a Catch: the failed task exits with the error at ResultPath and the handler runs', async () => {
    const { executionArn } = await start('declined', smArn('Charges'), { amount: 5 });
    const done = await pollExecution(sb.client, executionArn!);
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output ?? ''), { amount: 5, failure: { Error: 'Card.Declined', Cause: 'insufficient funds' }, refund: 'refunded' });
    const { events } = await fullHistory(executionArn!, 100);
    assert.deepEqual(chain(events), [
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'TaskStateEntered'],
      [3, 2, 'TaskScheduled'],
      [4, 3, 'TaskStarted'],
      [5, 4, 'TaskFailed'],
      [6, 5, 'TaskStateExited'],
      [7, 6, 'PassStateEntered'],
      [8, 7, 'PassStateExited'],
      [9, 8, 'ExecutionSucceeded'],
    ]);
  });

  it('runs Map (mocked task per item, invocations counted) and Parallel (Wait, intrinsic) states', async () => {
    const { executionArn } = await start('fan-out', smArn('FanOut'), { orders: ['a', 'b', 'c'] });
    const done = await pollExecution(sb.client, executionArn!);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output ?? '');
    assert.deepEqual(output.prices, [10, 32, 32]);
    assert.deepEqual(output.both, [{ sum: 42 }, 'labelled']);
    const { events } = await fullHistory(executionArn!, 1000);
    const types: string[] = events.map((e) => String(e.type));
    const mapStarted = events.find((e) => e.type === 'MapStateStarted');
    assert.equal(mapStarted?.mapStateStartedEventDetails?.length, 3);
    assert.deepEqual(
      events.filter((e) => e.type === 'MapIterationSucceeded').map((e) => e.mapIterationSucceededEventDetails),
      [0, 1, 2].map((index) => ({ name: 'Split', index })),
    );
    // MaxConcurrency 1: iterations one after the other, each chained as AWS records it.
    assert.deepEqual(chain(events.slice(1, 25)), [
      [2, 0, 'MapStateEntered'],
      [3, 2, 'MapStateStarted'],
      [4, 3, 'MapIterationStarted'],
      [5, 4, 'TaskStateEntered'],
      [6, 5, 'TaskScheduled'],
      [7, 6, 'TaskStarted'],
      [8, 7, 'TaskSucceeded'],
      [9, 8, 'TaskStateExited'],
      [10, 9, 'MapIterationSucceeded'],
      [11, 9, 'MapIterationStarted'],
      [12, 11, 'TaskStateEntered'],
      [13, 12, 'TaskScheduled'],
      [14, 13, 'TaskStarted'],
      [15, 14, 'TaskSucceeded'],
      [16, 15, 'TaskStateExited'],
      [17, 16, 'MapIterationSucceeded'],
      [18, 16, 'MapIterationStarted'],
      [19, 18, 'TaskStateEntered'],
      [20, 19, 'TaskScheduled'],
      [21, 20, 'TaskStarted'],
      [22, 21, 'TaskSucceeded'],
      [23, 22, 'TaskStateExited'],
      [24, 23, 'MapIterationSucceeded'],
      [25, 24, 'MapStateSucceeded'],
    ]);
    assert.deepEqual(chain([events[25], events[26], events[27]]), [
      [26, 24, 'MapStateExited'],
      [27, 26, 'ParallelStateEntered'],
      [28, 27, 'ParallelStateStarted'],
    ]);
    for (const t of ['WaitStateEntered', 'WaitStateExited', 'ParallelStateSucceeded', 'ParallelStateExited']) assert.ok(types.includes(t), t);
    const parallelExited = events.find((e) => e.type === 'ParallelStateExited')!;
    const parallelSucceeded = events.find((e) => e.type === 'ParallelStateSucceeded')!;
    assert.equal(parallelExited.previousEventId, parallelSucceeded.previousEventId);
    assert.equal(types[types.length - 1], 'ExecutionSucceeded');
    assert.equal(events[events.length - 1].previousEventId, parallelExited.id);
  });

  it('StopExecution aborts a running execution with the given error and cause', async () => {
    const { executionArn } = await start('to-stop', smArn('Slow'));
    await pollExecution(sb.client, executionArn!, () => sb.service.history(executionArn!).some((e) => e.type === 'WaitStateEntered'));
    const stopped = await sb.client.send(new StopExecutionCommand({ executionArn, error: 'Operator.Stop', cause: 'stopped by test' }));
    assert.ok(stopped.stopDate instanceof Date);
    const d = await pollExecution(sb.client, executionArn!);
    assert.equal(d.status, 'ABORTED');
    assert.equal(d.error, 'Operator.Stop');
    const { events } = await fullHistory(executionArn!, 100);
    assert.deepEqual(chain(events), [
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'WaitStateEntered'],
      [3, 2, 'WaitStateAborted'],
      [4, 3, 'ExecutionAborted'],
    ]);
    assert.deepEqual(events[3].executionAbortedEventDetails, { error: 'Operator.Stop', cause: 'stopped by test' });
    await assert.rejects(sb.client.send(new StopExecutionCommand({ executionArn: `${executionArn}-nope` })), ExecutionDoesNotExist);
  });

  it('ListExecutions filters by status and pages newest first', async () => {
    const names = ['q1', 'q2', 'q3'];
    for (const n of names) await pollExecution(sb.client, (await start(n, smArn('Failing'))).executionArn!);
    const fourth = await start('q4', smArn('Failing'));
    await pollExecution(sb.client, fourth.executionArn!);
    const slowRun = await start('slow-running', smArn('Slow'));

    const page1 = await sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Failing'), statusFilter: 'FAILED', maxResults: 3 }));
    assert.deepEqual(page1.executions?.map((e) => e.name), ['q4', 'q3', 'q2']);
    assert.ok(page1.nextToken);
    const page2 = await sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Failing'), statusFilter: 'FAILED', maxResults: 3, nextToken: page1.nextToken }));
    assert.deepEqual(page2.executions?.map((e) => e.name), ['q1']);
    assert.equal(page2.nextToken, undefined);
    assert.equal(page1.executions?.[0].status, 'FAILED');
    assert.ok(page1.executions?.[0].stopDate instanceof Date);

    const slowRunning = await sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Slow'), statusFilter: 'RUNNING' }));
    assert.deepEqual(slowRunning.executions?.map((e) => e.executionArn), [slowRun.executionArn]);
    const none = await sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Failing'), statusFilter: 'SUCCEEDED' }));
    assert.deepEqual(none.executions, []);
    await assert.rejects(sb.client.send(new ListExecutionsCommand({ stateMachineArn: smArn('Failing'), nextToken: page1.nextToken })), InvalidToken);
    const failed = await sb.client.send(new GetExecutionHistoryCommand({ executionArn: fourth.executionArn }));
    assert.deepEqual(chain(failed.events ?? []), [
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'FailStateEntered'],
      [3, 2, 'ExecutionFailed'],
    ]);
    assert.deepEqual(failed.events?.[2].executionFailedEventDetails, { error: 'Orders.Invalid', cause: 'bad order' });
    await sb.client.send(new StopExecutionCommand({ executionArn: slowRun.executionArn }));
  });

  it('fails an execution at an unmocked task with a cause that says where to add the mock', async () => {
    const { executionArn } = await start('unmocked', smArn('Partial'));
    const d = await pollExecution(sb.client, executionArn!);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.error, 'States.Runtime');
    assert.match(d.cause ?? '', /State "Unknown" has no mocked response in test case "OnlyKnown": add one to \/workspace\/mocks\/orders\.mock\.json/);
    const events = sb.service.history(executionArn!);
    assert.deepEqual(events.slice(-2).map((e) => e.type), ['TaskFailed', 'ExecutionFailed']);
  });

  it('runs JSONata states (no longer "not emulated") and writes their history', async () => {
    const { executionArn } = await start('jsonata', smArn('Jsonata'), { a: 1 });
    const d = await pollExecution(sb.client, executionArn!);
    assert.equal(d.status, 'SUCCEEDED', d.cause);
    assert.equal(d.output, '2');
    assert.deepEqual(chain(sb.service.history(executionArn!)), [
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'ExecutionSucceeded'],
    ]);
  });

  it('answers unknown operations and non-JSON bodies in the AWS error shape', async () => {
    const post = (target: string, body: string) =>
      fetch(sb.url, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as { __type: string; message: string } }));
    const unknown = await post('AWSStepFunctions.CreateStateMachine', '{}');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.__type, 'UnknownOperationException');
    const bad = await post('AWSStepFunctions.ListStateMachines', '[1,');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.__type, 'SerializationException');
  });
});
