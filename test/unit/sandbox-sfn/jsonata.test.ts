/**
 * JSONata states and workflow variables as the Step Functions developer guide describes them
 * ("Transforming data with JSONata", "Passing data between states with variables"): each case is a
 * state machine, an input, and the output and history AWS documents for it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StepFunctionsService, type ExecutionRecord, type HistoryEvent } from '../../../src/sandbox/stepfunctions/service';
import { smArn } from './helpers';

async function run(definition: object, input: unknown, mockConfig?: object, name = 'M'): Promise<ExecutionRecord> {
  const service = new StepFunctionsService({ waitScale: 0.01, stateMachines: [{ arn: smArn(name), definition, ...(mockConfig ? { mockConfig } : {}) }] });
  try {
    const { executionArn } = await service.startExecution({ stateMachineArn: smArn(name), name: 'e', input: JSON.stringify(input) });
    return await service.waitForExecution(executionArn, 10_000);
  } finally {
    await service.close();
  }
}

function output(record: ExecutionRecord): unknown {
  assert.equal(record.status, 'SUCCEEDED', `${record.error}: ${record.cause}`);
  return JSON.parse(record.output ?? 'null');
}

function exited(events: HistoryEvent[], name: string): Record<string, unknown> {
  const e = events.find((x) => x.type.endsWith('StateExited') && (x.stateExitedEventDetails as { name: string }).name === name);
  assert.ok(e, `no exited event for ${name}`);
  return e.stateExitedEventDetails as Record<string, unknown>;
}

describe('JSONata states in the sandbox', () => {
  it('Task: Arguments go to the task, Output shapes $states.result, Assign stores a variable for a later state', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'GetPrice',
      States: {
        GetPrice: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'price', Payload: { product: '{% $states.input.order.product %}' } },
          Assign: { currentPrice: '{% $states.result.Payload.current_price %}' },
          Output: { product: '{% $states.input.order.product %}' },
          Next: 'Bill',
        },
        Bill: { Type: 'Pass', Output: { product: '{% $states.input.product %}', total: '{% $currentPrice * 2 %}' }, End: true },
      },
    };
    const mocks = { StateMachines: { M: { TestCases: { T: { GetPrice: 'Price' } } } }, MockedResponses: { Price: { '0': { Return: { Payload: { current_price: 21 } } } } } };
    const record = await run(definition, { order: { product: 'book' } }, mocks);
    assert.deepEqual(output(record), { product: 'book', total: 42 });
    const scheduled = record.events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails as { parameters: string };
    assert.deepEqual(JSON.parse(scheduled.parameters), { FunctionName: 'price', Payload: { product: 'book' } });
    const details = exited(record.events, 'GetPrice');
    assert.deepEqual(details.assignedVariables, { currentPrice: '21' });
    assert.deepEqual(details.assignedVariablesDetails, { truncated: false });
    assert.equal('assignedVariables' in exited(record.events, 'Bill'), false, 'a state without Assign writes no assignedVariables');
  });

  it('evaluates Assign and Output with the variable values from state entry (they run in parallel)', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { x: 1 }, Next: 'Bump' },
        Bump: { Type: 'Pass', Assign: { x: '{% $x + 1 %}', previous: '{% $x %}' }, Output: { seenInOutput: '{% $x %}' }, Next: 'After' },
        After: { Type: 'Pass', Output: { x: '{% $x %}', previous: '{% $previous %}', input: '{% $states.input %}' }, End: true },
      },
    };
    const record = await run(definition, {});
    assert.deepEqual(output(record), { x: 2, previous: 1, input: { seenInOutput: 1 } });
    assert.deepEqual(exited(record.events, 'Bump').assignedVariables, { x: '2', previous: '1' });
  });

  it('Map: iterations read outer variables; what they assign stays inside; Items, ItemSelector and $states.context.Map', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Setup',
      States: {
        Setup: { Type: 'Pass', Assign: { rate: 10 }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: '{% $states.input.prices %}',
          MaxConcurrency: '{% 1 %}',
          ItemSelector: { price: '{% $states.context.Map.Item.Value %}', index: '{% $states.context.Map.Item.Index %}' },
          ItemProcessor: {
            StartAt: 'Tax',
            States: {
              Tax: { Type: 'Pass', Assign: { inner: '{% $states.input.price %}' }, Next: 'Total' },
              Total: { Type: 'Pass', Output: '{% $inner * $rate + $states.input.index %}', End: true },
            },
          },
          Assign: { totals: '{% $states.result %}' },
          Output: { totals: '{% $states.result %}' },
          Next: 'Check',
        },
        Check: { Type: 'Pass', Output: { totals: '{% $totals %}', innerVisible: '{% $exists($inner) %}' }, End: true },
      },
    };
    const record = await run(definition, { prices: [1, 2, 3] });
    assert.deepEqual(output(record), { totals: [10, 21, 32], innerVisible: false });
    const types = record.events.map((e) => e.type);
    assert.equal(types.filter((t) => t === 'MapIterationSucceeded').length, 3);
    assert.deepEqual(record.events.find((e) => e.type === 'MapStateStarted')!.mapStateStartedEventDetails, { length: 3 });
  });

  it('Parallel: branches read outer variables and assign their own without seeing each other', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Setup',
      States: {
        Setup: { Type: 'Pass', Assign: { greeting: 'hello' }, Next: 'Both' },
        Both: {
          Type: 'Parallel',
          Arguments: { who: '{% $states.input.who %}' },
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { mine: 'a' }, Next: 'A2' }, A2: { Type: 'Pass', Output: '{% $greeting & " " & $states.input.who & " from " & $mine %}', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Assign: { mine: 'b' }, Next: 'B2' }, B2: { Type: 'Pass', Output: '{% $greeting & " " & $states.input.who & " from " & $mine %}', End: true } } },
          ],
          Output: '{% $states.result %}',
          End: true,
        },
      },
    };
    const record = await run(definition, { who: 'bridge' });
    assert.deepEqual(output(record), ['hello bridge from a', 'hello bridge from b']);
  });

  it('Choice: Condition picks a rule whose Output and Assign apply; Default uses the state-level ones', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.amount > 100 %}', Next: 'Big', Output: { size: 'big' }, Assign: { route: 'rule' } }],
          Default: 'Small',
          Output: { size: 'small' },
          Assign: { route: 'default' },
        },
        Big: { Type: 'Pass', Output: { size: '{% $states.input.size %}', route: '{% $route %}' }, End: true },
        Small: { Type: 'Pass', Output: { size: '{% $states.input.size %}', route: '{% $route %}' }, End: true },
      },
    };
    assert.deepEqual(output(await run(definition, { amount: 500 })), { size: 'big', route: 'rule' });
    assert.deepEqual(output(await run(definition, { amount: 5 })), { size: 'small', route: 'default' });
  });

  it('Catch: Output and Assign see $states.errorOutput', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Charge',
      States: {
        Charge: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'charge' },
          Catch: [{ ErrorEquals: ['Card.Declined'], Output: { failed: '{% $states.errorOutput.Error %}' }, Assign: { reason: '{% $states.errorOutput.Cause %}' }, Next: 'Report' }],
          End: true,
        },
        Report: { Type: 'Pass', Output: { failed: '{% $states.input.failed %}', reason: '{% $reason %}' }, End: true },
      },
    };
    const mocks = { StateMachines: { M: { TestCases: { T: { Charge: 'Declined' } } } }, MockedResponses: { Declined: { '0': { Throw: { Error: 'Card.Declined', Cause: 'insufficient funds' } } } } };
    const record = await run(definition, {}, mocks);
    assert.deepEqual(output(record), { failed: 'Card.Declined', reason: 'insufficient funds' });
    assert.deepEqual(exited(record.events, 'Charge').assignedVariables, { reason: '"insufficient funds"' });
  });

  it('fails with States.QueryEvaluationError when an expression returns nothing, and a Catch can handle it', async () => {
    const failing = { QueryLanguage: 'JSONata', StartAt: 'Shape', States: { Shape: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } } };
    const record = await run(failing, { present: 1 });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.error, 'States.QueryEvaluationError');
    assert.equal(record.cause, "An error occurred while executing the state 'Shape' (entered at the event id #2). The JSONata expression '$states.input.missing' specified for the field 'Output' returned nothing (undefined).");
    assert.deepEqual(
      record.events.map((e) => [e.id, e.previousEventId, e.type]),
      [
        [1, 0, 'ExecutionStarted'],
        [2, 0, 'PassStateEntered'],
        [3, 0, 'EvaluationFailed'],
        [4, 3, 'ExecutionFailed'],
      ],
    );
    assert.deepEqual(record.events[2].evaluationFailedEventDetails, { error: 'States.QueryEvaluationError', cause: record.cause, location: 'Output', state: 'Shape' });

    const caught = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: '{% $states.input.nope %}' },
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Recovered' }],
          End: true,
        },
        Recovered: { Type: 'Pass', Output: '{% $states.input.Error %}', End: true },
      },
    };
    assert.equal(output(await run(caught, {})), 'States.QueryEvaluationError');
  });

  it('provides the AWS JSONata functions: $partition, $range, $hash, $random, $uuid, $parse', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Fns',
      States: {
        Fns: {
          Type: 'Pass',
          Output: {
            partition: '{% $partition([1,2,3,4,5], 2) %}',
            range: '{% $range(0, 10, 4) %}',
            hash: '{% $hash("abc", "SHA-256") %}',
            seededTwice: '{% $random(42) = $random(42) %}',
            randomInRange: '{% $random() >= 0 and $random() < 1 %}',
            uuid: '{% $uuid() %}',
            parsed: '{% $parse(\'{"k":[1,true]}\') %}',
          },
          End: true,
        },
      },
    };
    const out = output(await run(definition, {})) as Record<string, unknown>;
    assert.deepEqual(out.partition, [[1, 2], [3, 4], [5]]);
    assert.deepEqual(out.range, [0, 4, 8]);
    assert.equal(out.hash, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(out.seededTwice, true);
    assert.equal(out.randomInRange, true);
    assert.match(String(out.uuid), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(out.parsed, { k: [1, true] });
  });

  it('evaluates JSONata in Wait Seconds and Fail Error/Cause', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: '{% $states.input.delay %}', Next: 'Stop' },
        Stop: { Type: 'Fail', Error: '{% "Order." & $states.input.kind %}', Cause: '{% "order " & $string($states.input.id) & " rejected" %}' },
      },
    };
    const record = await run(definition, { delay: 1, kind: 'Rejected', id: 7 });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.error, 'Order.Rejected');
    assert.equal(record.cause, 'order 7 rejected');
    assert.deepEqual(record.events.map((e) => e.type), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'FailStateEntered', 'ExecutionFailed']);
  });

  it('batches Map items with ItemBatcher (MaxItemsPerBatch, BatchInput)', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Batches',
      States: {
        Batches: {
          Type: 'Map',
          Items: '{% $states.input.ids %}',
          ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { job: '{% $states.input.job %}' } },
          ItemProcessor: { StartAt: 'Count', States: { Count: { Type: 'Pass', Output: '{% $states.input.BatchInput.job & ":" & $string($count($states.input.Items)) %}', End: true } } },
          End: true,
        },
      },
    };
    assert.deepEqual(output(await run(definition, { ids: [1, 2, 3, 4, 5], job: 'j' })), ['j:2', 'j:2', 'j:1']);
  });

  it('mixes query languages: a JSONata state in a JSONPath machine, and JSONPath states reading variables', async () => {
    const definition = {
      StartAt: 'Remember',
      States: {
        Remember: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, Assign: { 'total.$': '$.sum', 'who.$': '$$.Execution.Name' }, ResultPath: '$.calc', Next: 'Use' },
        Use: { Type: 'Pass', Parameters: { 'total.$': '$total', 'who.$': '$who', 'label.$': "States.Format('total {}', $total)" }, Next: 'Modern' },
        Modern: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { doubled: '{% $total * 2 %}', label: '{% $states.input.label %}' }, End: true },
      },
    };
    const record = await run(definition, { a: 2, b: 3 });
    assert.deepEqual(output(record), { doubled: 10, label: 'total 5' });
    assert.deepEqual(exited(record.events, 'Remember').assignedVariables, { total: '5', who: '"e"' });
  });
});

describe('variables in nested Map iterations, as AWS records them', () => {
  it('reads outer-scope variables from an inner Map and threads the history like AWS', async () => {
    // The shape of AWS's recorded histories for nested inline Maps (MaxConcurrency 1): an outer
    // iteration's MapIterationStarted follows the previous iteration's last non-terminal event.
    const definition = {
      StartAt: 'Rows',
      States: {
        Rows: { Type: 'Pass', Result: [[1, 2, 3], [10, 20, 30], [5, 5, 5]], Assign: { offset: 0.5 }, Next: 'EachRow' },
        EachRow: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Remember',
            States: {
              Remember: { Type: 'Pass', Assign: { 'a.$': '$[0]', 'b.$': '$[1]', 'c.$': '$[2]' }, Next: 'EachCell' },
              EachCell: {
                Type: 'Map',
                MaxConcurrency: 1,
                ItemProcessor: {
                  ProcessorConfig: { Mode: 'INLINE' },
                  StartAt: 'Total',
                  States: { Total: { Type: 'Pass', Assign: { 'total.$': 'States.MathAdd(States.MathAdd(States.MathAdd($a, $b), $c), $offset)' }, End: true } },
                },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const record = await run(definition, {});
    assert.deepEqual(output(record), [[1, 2, 3], [10, 20, 30], [5, 5, 5]]);
    assert.deepEqual(
      record.events.slice(0, 26).map((e) => [e.id, e.previousEventId, e.type]),
      [
        [1, 0, 'ExecutionStarted'],
        [2, 0, 'PassStateEntered'],
        [3, 2, 'PassStateExited'],
        [4, 3, 'MapStateEntered'],
        [5, 4, 'MapStateStarted'],
        [6, 5, 'MapIterationStarted'],
        [7, 6, 'PassStateEntered'],
        [8, 7, 'PassStateExited'],
        [9, 8, 'MapStateEntered'],
        [10, 9, 'MapStateStarted'],
        [11, 10, 'MapIterationStarted'],
        [12, 11, 'PassStateEntered'],
        [13, 12, 'PassStateExited'],
        [14, 13, 'MapIterationSucceeded'],
        [15, 13, 'MapIterationStarted'],
        [16, 15, 'PassStateEntered'],
        [17, 16, 'PassStateExited'],
        [18, 17, 'MapIterationSucceeded'],
        [19, 17, 'MapIterationStarted'],
        [20, 19, 'PassStateEntered'],
        [21, 20, 'PassStateExited'],
        [22, 21, 'MapIterationSucceeded'],
        [23, 22, 'MapStateSucceeded'],
        [24, 22, 'MapStateExited'],
        [25, 24, 'MapIterationSucceeded'],
        [26, 24, 'MapIterationStarted'],
      ],
    );
    assert.deepEqual(record.events[2].stateExitedEventDetails, { name: 'Rows', output: '[[1,2,3],[10,20,30],[5,5,5]]', outputDetails: { truncated: false }, assignedVariables: { offset: '0.5' }, assignedVariablesDetails: { truncated: false } });
    assert.deepEqual(exited(record.events.slice(0, 9), 'Remember').assignedVariables, { a: '1', b: '2', c: '3' });
    // MathAdd adds integers (the 0.5 is truncated), as AWS does.
    const totals = record.events.filter((e) => e.type === 'PassStateExited' && (e.stateExitedEventDetails as { name: string }).name === 'Total');
    assert.deepEqual(
      totals.map((e) => (e.stateExitedEventDetails as { assignedVariables: Record<string, string> }).assignedVariables.total),
      ['6', '6', '6', '60', '60', '60', '15', '15', '15'],
    );
  });

  it('fails an undefined JSONata reference with EvaluationFailed chained as AWS chains it', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Next: 'Check' },
        Check: { Type: 'Pass', Next: 'Shape' },
        Shape: { Type: 'Pass', Output: { total: '{% $missing %}' }, End: true },
      },
    };
    const record = await run(definition, {});
    const cause = "An error occurred while executing the state 'Shape' (entered at the event id #6). The JSONata expression '$missing' specified for the field 'Output/total' returned nothing (undefined).";
    assert.equal(record.cause, cause);
    assert.deepEqual(
      record.events.slice(5).map((e) => [e.id, e.previousEventId, e.type]),
      [
        [6, 5, 'PassStateEntered'],
        [7, 5, 'EvaluationFailed'],
        [8, 7, 'ExecutionFailed'],
      ],
    );
    assert.deepEqual(record.events[6].evaluationFailedEventDetails, { error: 'States.QueryEvaluationError', cause, location: 'Output/total', state: 'Shape' });
  });
});
