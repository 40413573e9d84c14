/**
 * aws-local-stepfunctions declares Node >= 22. On Node 20 its Task states fail with
 * "Promise.withResolvers is not a function"; the sandbox's engine module installs a polyfill
 * before loading it. These tests show both facts on the running Node and run the ASL features the
 * sandbox relies on (Map, Parallel, Retry, Catch, Wait, Choice, intrinsic functions) through it.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { StepFunctionsService, TaskFailure, type HistoryEvent } from '../../../src/sandbox/stepfunctions/service';
import { smArn } from './helpers';

const nodeMajor = Number(process.versions.node.split('.')[0]);
const engineModule = path.resolve(__dirname, '../../../src/sandbox/stepfunctions/engine.js');

/** Runs a one-Task machine in a fresh Node process, optionally loading the engine first. */
function runTaskInChild(loadEngineFirst: boolean): { ok: boolean; text: string } {
  const script = `
    ${loadEngineFirst ? `require(${JSON.stringify(engineModule)});` : ''}
    const { StateMachine } = require('aws-local-stepfunctions');
    const sm = new StateMachine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:f', End: true } } });
    sm.run({ a: 1 }, { overrides: { taskResourceLocalHandlers: { T: async (i) => ({ got: i.a }) } } }).result
      .then((r) => console.log('OK ' + JSON.stringify(r)), (e) => console.log('FAIL ' + e.message));
  `;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../../../..'), encoding: 'utf8' }).trim();
  return { ok: out.startsWith('OK '), text: out };
}

describe('aws-local-stepfunctions on this Node (' + process.version + ')', () => {
  it('fails Task states without the polyfill exactly when Node lacks Promise.withResolvers', () => {
    const bare = runTaskInChild(false);
    if (nodeMajor < 22) {
      assert.equal(bare.ok, false, bare.text);
      assert.match(bare.text, /Promise\.withResolvers is not a function/);
    } else {
      assert.equal(bare.text, 'OK {"got":1}');
    }
  });

  it('runs Task states once the sandbox engine is loaded first', () => {
    assert.equal(runTaskInChild(true).text, 'OK {"got":1}');
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

  it('retries a Map state (interpreter-side Retry) and records the attempts as AWS does', async () => {
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
