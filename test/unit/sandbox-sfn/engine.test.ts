/**
 * The sandbox's own ASL interpreter (src/sandbox/stepfunctions/interpreter.ts) on the running Node:
 * it needs no polyfilled global (the library it replaced needed Promise.withResolvers on Node 20)
 * and runs the JSONPath features the sandbox relied on (Map, Parallel, Retry, Catch, Wait, Choice,
 * intrinsic functions) with AWS's history threading.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { StepFunctionsService, TaskFailure, type HistoryEvent } from '../../../src/sandbox/stepfunctions/service';
import { smArn } from './helpers';

const serviceModule = path.resolve(__dirname, '../../../src/sandbox/stepfunctions/service.js');

describe('the sandbox ASL interpreter on this Node (' + process.version + ')', () => {
  it('runs a Task in a fresh process without touching globals or loading aws-local-stepfunctions', () => {
    const script = `
      const before = typeof Promise.withResolvers;
      const { StepFunctionsService } = require(${JSON.stringify(serviceModule)});
      const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:T';
      const definition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: { ApiEndpoint: 'https://example.invalid', Method: 'GET' }, End: true } } };
      const service = new StepFunctionsService({ stateMachines: [{ arn, definition }], httpInvoke: async (_s, p) => ({ got: p.Method }) });
      service.startExecution({ stateMachineArn: arn, name: 'x' })
        .then(({ executionArn }) => service.waitForExecution(executionArn, 5000))
        .then((d) => console.log(JSON.stringify({ output: d.output, same: typeof Promise.withResolvers === before, lib: Object.keys(require.cache).some((k) => k.includes('aws-local-stepfunctions')) })));
    `;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
    assert.deepEqual(JSON.parse(out), { output: '{"got":"GET"}', same: true, lib: false });
  });

  it('runs Map, Parallel, Retry, Catch, Wait, Choice and intrinsic functions through the sandbox', async () => {
    const definition = {
      StartAt: 'Prepare',
      States: {
        Prepare: {
          Type: 'Pass',
          Parameters: {
            'ids.$': 'States.ArrayRange(1, 3, 1)',
            'greeting.$': "States.Format('hello {}', $.who)",
            'parsed.$': "States.StringToJson('{\"k\":2}')",
            'uuidLength.$': 'States.ArrayLength(States.StringSplit(States.UUID(), \'-\'))',
            'wait': 1,
          },
          Next: 'PerId',
        },
        PerId: {
          Type: 'Map',
          ItemsPath: '$.ids',
          ItemSelector: { 'id.$': '$$.Map.Item.Value', 'pos.$': '$$.Map.Item.Index' },
          ItemProcessor: {
            StartAt: 'Double',
            States: { Double: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($.id, $.id)', 'pos.$': '$.pos' }, End: true } },
          },
          ResultPath: '$.doubled',
          Next: 'Flaky',
        },
        Flaky: {
          Type: 'Task',
          Resource: 'arn:aws:states:::http:invoke',
          Parameters: { ApiEndpoint: 'https://example.invalid/x', Method: 'GET' },
          Retry: [{ ErrorEquals: ['States.Http.StatusCode.503'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.flaky', Next: 'Together' }],
          ResultSelector: { 'status.$': '$.StatusCode' },
          ResultPath: '$.flaky',
          Next: 'Together',
        },
        Together: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Sleep', States: { Sleep: { Type: 'Wait', SecondsPath: '$.wait', End: true } } },
            { StartAt: 'Pick', States: { Pick: { Type: 'Choice', Choices: [{ Variable: '$.parsed.k', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' }, Big: { Type: 'Pass', Result: 'big', End: true }, Small: { Type: 'Pass', Result: 'small', End: true } } },
          ],
          ResultSelector: { 'size.$': '$[1]' },
          ResultPath: '$.together',
          Next: 'Flag',
        },
        // A falsy Result, which the interpreter alone would ignore.
        Flag: { Type: 'Pass', Result: false, ResultPath: '$.flag', End: true },
      },
    };
    const calls: number[] = [];
    const events: HistoryEvent[] = [];
    const service = new StepFunctionsService({
      waitScale: 0.02,
      stateMachines: [{ arn: smArn('Everything'), definition }],
      onEvent: (e) => events.push(e),
      httpInvoke: async (stateName, parameters, ctx) => {
        assert.equal(stateName, 'Flaky');
        assert.deepEqual(parameters, { ApiEndpoint: 'https://example.invalid/x', Method: 'GET' });
        calls.push(ctx.attempt);
        if (ctx.attempt < 2) throw new TaskFailure('States.Http.StatusCode.503', 'busy');
        return { StatusCode: 200, StatusText: 'OK', Headers: {}, ResponseBody: {} };
      },
    });
    const { executionArn } = await service.startExecution({ stateMachineArn: smArn('Everything'), name: 'all', input: '{"who":"bridge"}' });
    const done = await service.waitForExecution(executionArn, 10_000);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output ?? ''), {
      ids: [1, 2, 3],
      greeting: 'hello bridge',
      parsed: { k: 2 },
      uuidLength: 5,
      wait: 1,
      doubled: [
        { v: 2, pos: 0 },
        { v: 4, pos: 1 },
        { v: 6, pos: 2 },
      ],
      flaky: { status: 200 },
      together: { size: 'big' },
      flag: false,
    });
    assert.deepEqual(calls, [0, 1, 2]);
    assert.deepEqual(events, done.events, 'onEvent saw every event, in order');
    const types = events.map((e) => e.type);
    assert.equal(types.filter((t) => t === 'TaskFailed').length, 2);
    assert.equal(types.filter((t) => t === 'TaskScheduled').length, 3);
    // Second retry waited IntervalSeconds x BackoffRate (3 s) x waitScale (0.02) = 60 ms at least.
    const failed = events.filter((e) => e.type === 'TaskFailed');
    const scheduled = events.filter((e) => e.type === 'TaskScheduled');
    assert.ok((scheduled[2].timestamp - failed[1].timestamp) * 1000 >= 55, 'backoff applied');
    await service.close();
  });

  it('retries a Map state and records the attempts as AWS does', async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } },
          Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 1 }],
          End: true,
        },
      },
    };
    const mockConfig = {
      StateMachines: { Retrying: { TestCases: { Once: { Work: 'FailThenOk' } } } },
      MockedResponses: { FailThenOk: { '0': { Throw: { Error: 'Flaky', Cause: 'first' } }, '1': { Return: 'fine' } } },
    };
    const service = new StepFunctionsService({ waitScale: 0.01, stateMachines: [{ arn: smArn('Retrying'), definition, mockConfig }] });
    const { executionArn } = await service.startExecution({ stateMachineArn: smArn('Retrying'), name: 'r', input: '[1]' });
    const done = await service.waitForExecution(executionArn, 10_000);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.equal(done.output, '["fine"]');
    assert.deepEqual(
      done.events.map((e) => [e.id, e.previousEventId, e.type]),
      [
        [1, 0, 'ExecutionStarted'],
        [2, 0, 'MapStateEntered'],
        [3, 2, 'MapStateStarted'],
        [4, 3, 'MapIterationStarted'],
        [5, 4, 'TaskStateEntered'],
        [6, 5, 'TaskScheduled'],
        [7, 6, 'TaskStarted'],
        [8, 7, 'TaskFailed'],
        [9, 8, 'MapIterationFailed'],
        [10, 8, 'MapStateStarted'],
        [11, 10, 'MapIterationStarted'],
        [12, 11, 'TaskStateEntered'],
        [13, 12, 'TaskScheduled'],
        [14, 13, 'TaskStarted'],
        [15, 14, 'TaskSucceeded'],
        [16, 15, 'TaskStateExited'],
        [17, 16, 'MapIterationSucceeded'],
        [18, 17, 'MapStateSucceeded'],
        [19, 17, 'MapStateExited'],
        [20, 19, 'ExecutionSucceeded'],
      ],
    );
    await service.close();
  });

  it('writes Lambda-function events for direct Lambda ARNs and TaskTimedOut for a task past its TimeoutSeconds', async () => {
    const definition = {
      StartAt: 'Direct',
      States: {
        Direct: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:direct', Next: 'Slow' },
        Slow: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: { ApiEndpoint: 'https://example.invalid', Method: 'GET' }, TimeoutSeconds: 1, End: true },
      },
    };
    const mockConfig = { StateMachines: { Shapes: { TestCases: { T: { Direct: 'Ok' } } } }, MockedResponses: { Ok: { '0': { Return: { fine: true } } } } };
    const service = new StepFunctionsService({
      stateMachines: [{ arn: smArn('Shapes'), definition, mockConfig }],
      // Never answers until the execution ends (the signal aborts when it does).
      httpInvoke: (_s, _p, ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(undefined))),
    });
    const { executionArn } = await service.startExecution({ stateMachineArn: smArn('Shapes'), name: 'shapes' });
    const done = await service.waitForExecution(executionArn, 10_000);
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'States.Timeout');
    assert.deepEqual(
      done.events.map((e) => e.type),
      ['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskTimedOut', 'ExecutionFailed'],
    );
    assert.deepEqual(done.events[2].lambdaFunctionScheduledEventDetails, { resource: 'arn:aws:lambda:eu-west-1:123456789012:function:direct', input: '{}', inputDetails: { truncated: false } });
    assert.deepEqual(done.events[4].lambdaFunctionSucceededEventDetails, { output: '{"fine":true}', outputDetails: { truncated: false } });
    assert.equal((done.events[7].taskScheduledEventDetails as { timeoutInSeconds?: number }).timeoutInSeconds, 1);
    assert.equal((done.events[9].taskTimedOutEventDetails as { error?: string }).error, 'States.Timeout');
    await service.close();
  });

  it('rejects a waitScale that would skip waits', () => {
    assert.throws(() => new StepFunctionsService({ stateMachines: [], waitScale: 0 }), /greater than 0/);
  });
});
