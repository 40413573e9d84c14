/**
 * JSONPath semantics of the sandbox interpreter that users rely on: the intrinsic functions, the
 * path fields, Choice rules on variables, Map tolerated failures, a failing Parallel branch (its
 * siblings aborted, the failure caught), execution timeouts and Parallel redrive.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StepFunctionsService, type ExecutionRecord } from '../../../src/sandbox/stepfunctions/service';
import { smArn } from './helpers';

async function withService<T>(definition: object, mockConfig: object | undefined, fn: (service: StepFunctionsService) => Promise<T>): Promise<T> {
  const service = new StepFunctionsService({ waitScale: 0.01, stateMachines: [{ arn: smArn('M'), definition, ...(mockConfig ? { mockConfig } : {}) }] });
  try {
    return await fn(service);
  } finally {
    await service.close();
  }
}

async function run(definition: object, input: unknown, mockConfig?: object): Promise<ExecutionRecord> {
  return withService(definition, mockConfig, async (service) => {
    const { executionArn } = await service.startExecution({ stateMachineArn: smArn('M'), name: 'e', input: JSON.stringify(input) });
    return service.waitForExecution(executionArn, 10_000);
  });
}

function output(record: ExecutionRecord): unknown {
  assert.equal(record.status, 'SUCCEEDED', `${record.error}: ${record.cause}`);
  return JSON.parse(record.output ?? 'null');
}

describe('the sandbox interpreter (JSONPath)', () => {
  it('evaluates the intrinsic functions as the States Language defines them', async () => {
    const definition = {
      StartAt: 'Fns',
      States: {
        Fns: {
          Type: 'Pass',
          Parameters: {
            'partition.$': 'States.ArrayPartition($.list, 2)',
            'contains.$': 'States.ArrayContains($.list, 3)',
            'unique.$': 'States.ArrayUnique(States.Array(1, 1, 2))',
            'item.$': 'States.ArrayGetItem($.list, 1)',
            'encoded.$': "States.Base64Encode('Hello World')",
            'decoded.$': "States.Base64Decode('SGVsbG8gV29ybGQ=')",
            'hash.$': "States.Hash('abc', 'SHA-1')",
            'merged.$': 'States.JsonMerge($.a, $.b, false)',
            'split.$': "States.StringSplit('a,b;;c', ',;')",
            'text.$': 'States.JsonToString($.a)',
            'escaped.$': "States.Format('\\{literal\\} {} it\\'s', $.who)",
            'seeded.$': 'States.MathRandom(1, 1000, 7)',
            'seededAgain.$': 'States.MathRandom(1, 1000, 7)',
          },
          End: true,
        },
      },
    };
    const out = output(await run(definition, { list: [1, 2, 3, 4, 5], a: { x: 1, y: 1 }, b: { y: 2 }, who: 'Ann' })) as Record<string, unknown>;
    assert.deepEqual(out.partition, [[1, 2], [3, 4], [5]]);
    assert.equal(out.contains, true);
    assert.deepEqual(out.unique, [1, 2]);
    assert.equal(out.item, 2);
    assert.equal(out.encoded, 'SGVsbG8gV29ybGQ=');
    assert.equal(out.decoded, 'Hello World');
    assert.equal(out.hash, 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.deepEqual(out.merged, { x: 1, y: 2 });
    assert.deepEqual(out.split, ['a', 'b', 'c']);
    assert.equal(out.text, '{"x":1,"y":1}');
    assert.equal(out.escaped, "{literal} Ann it's");
    assert.equal(out.seeded, out.seededAgain);
  });

  it('applies InputPath, ResultPath and OutputPath (null discards) and fails a missing path with States.Runtime', async () => {
    const definition = {
      StartAt: 'Keep',
      States: {
        Keep: { Type: 'Pass', Result: 'ignored', ResultPath: null, Next: 'Discard' },
        Discard: { Type: 'Pass', InputPath: null, Result: { fresh: true }, ResultPath: '$.added', OutputPath: '$.added', Next: 'Missing' },
        Missing: { Type: 'Pass', InputPath: '$.nope', End: true },
      },
    };
    const record = await run(definition, { keep: 1 });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.error, 'States.Runtime');
    assert.match(record.cause ?? '', /^An error occurred while executing the state 'Missing' \(entered at the event id #6\)\. Invalid path '\$\.nope'/);
    const exits = record.events.filter((e) => e.type === 'PassStateExited').map((e) => JSON.parse((e.stateExitedEventDetails as { output: string }).output));
    assert.deepEqual(exits, [{ keep: 1 }, { fresh: true }]);
  });

  it('routes a Choice on a variable ($name) and on the context object', async () => {
    const definition = {
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { limit: 10 }, Next: 'Route' },
        Route: {
          Type: 'Choice',
          Choices: [
            { And: [{ Variable: '$.amount', NumericGreaterThanPath: '$limit' }, { Variable: '$$.Execution.Name', StringMatches: 'e*' }], Next: 'High', Assign: { 'route.$': '$.amount' } },
          ],
          Default: 'Low',
        },
        High: { Type: 'Pass', Parameters: { 'route.$': '$route' }, End: true },
        Low: { Type: 'Succeed' },
      },
    };
    assert.deepEqual(output(await run(definition, { amount: 50 })), { route: 50 });
    assert.deepEqual(output(await run(definition, { amount: 5 })), { amount: 5 });
  });

  it('tolerates Map failures up to ToleratedFailureCount and fails past it with States.ExceedToleratedFailureThreshold', async () => {
    const definition = (tolerated: number) => ({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ToleratedFailureCount: tolerated,
          ItemProcessor: { StartAt: 'Check', States: { Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'Bad' }], Default: 'Good' }, Good: { Type: 'Succeed' }, Bad: { Type: 'Fail', Error: 'TooBig', Cause: 'over 2' } } },
          End: true,
        },
      },
    });
    assert.deepEqual(output(await run(definition(2), [1, 3, 4])), [1, { Error: 'TooBig', Cause: 'over 2' }, { Error: 'TooBig', Cause: 'over 2' }]);
    const failed = await run(definition(1), [1, 3, 4]);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'States.ExceedToleratedFailureThreshold');
  });

  it('aborts the sibling branches of a failing Parallel branch, then catches the failure', async () => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 600, End: true } } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Branch.Failed', Cause: 'second branch' } } },
          ],
          Catch: [{ ErrorEquals: ['Branch.Failed'], ResultPath: '$.error', Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', End: true },
      },
    };
    const record = await run(definition, { order: 7 });
    assert.deepEqual(output(record), { order: 7, error: { Error: 'Branch.Failed', Cause: 'second branch' } });
    const types = record.events.map((e) => e.type);
    for (const t of ['WaitStateAborted', 'ParallelStateFailed', 'ParallelStateExited']) assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
    assert.ok(types.indexOf('ParallelStateFailed') < types.indexOf('ParallelStateExited'));
    assert.equal(types.includes('ParallelStateSucceeded'), false);
  });

  it('times an execution out after the machine TimeoutSeconds, as AWS records it', async () => {
    const definition = { TimeoutSeconds: 1, StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 100_000, End: true } } };
    const record = await run(definition, {});
    assert.equal(record.status, 'TIMED_OUT');
    assert.equal(record.error, undefined);
    assert.deepEqual(
      record.events.map((e) => [e.id, e.previousEventId, e.type]),
      [
        [1, 0, 'ExecutionStarted'],
        [2, 0, 'WaitStateEntered'],
        [3, 2, 'WaitStateAborted'],
        [4, 0, 'ExecutionTimedOut'],
      ],
    );
    assert.deepEqual(record.events[3].executionTimedOutEventDetails, { error: 'States.Timeout' });
  });

  it('redrives only the failed branch of a Parallel state', async () => {
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
            { StartAt: 'Right', States: { Right: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
          ],
          End: true,
        },
      },
    };
    const mocks = {
      StateMachines: { M: { TestCases: { T: { Left: 'LeftOk', Right: 'RightFlaky' } } } },
      MockedResponses: { LeftOk: { '0': { Return: 'left' } }, RightFlaky: { '0': { Throw: { Error: 'Flaky', Cause: 'first' } }, '1': { Return: 'right' } } },
    };
    await withService(definition, mocks, async (service) => {
      const { executionArn } = await service.startExecution({ stateMachineArn: smArn('M'), name: 'p' });
      assert.equal((await service.waitForExecution(executionArn, 10_000)).status, 'FAILED');
      service.redriveExecution(executionArn);
      const done = await service.waitForExecution(executionArn, 10_000);
      assert.equal(done.status, 'SUCCEEDED', done.cause);
      assert.equal(done.output, '["left","right"]');
      const after = done.events.slice(done.events.findIndex((e) => e.type === 'ExecutionRedriven'));
      const entered = after.filter((e) => e.type === 'TaskStateEntered').map((e) => (e.stateEnteredEventDetails as { name: string }).name);
      assert.deepEqual(entered, ['Right'], 'the branch that succeeded is not run again');
    });
  });
});
