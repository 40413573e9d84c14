import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { definitionFacts } from '../../../src/core/asl/model';
import { parseResponseKey, resolveMockedResponse } from '../../../src/core/mocks/model';
import type { BridgeDiagnostic } from '../../../src/core/diagnostics';
import { lintMocks, pretty, contentOf, rangeOf, show } from './support';

const DEFINITION = definitionFacts({
  StartAt: 'Train',
  States: {
    Train: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync', Next: 'Publish' },
    Publish: {
      Type: 'Parallel',
      Branches: [{ StartAt: 'Notify', States: { Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', End: true } } }],
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
});

const OPTS = { stateMachineName: 'Retrain', definition: DEFINITION };

const VALID = {
  StateMachines: {
    Retrain: {
      TestCases: {
        HappyPath: { Train: 'TrainOk', Notify: 'Published' },
        RetryPath: { Train: 'TrainFlaky' },
      },
    },
  },
  MockedResponses: {
    TrainOk: { '0': { Return: { TrainingJobStatus: 'Completed' } } },
    TrainFlaky: {
      '0-1': { Throw: { Error: 'SageMaker.ResourceLimitExceeded', Cause: 'No capacity.' } },
      '2': { Return: { TrainingJobStatus: 'Completed' } },
    },
    Published: { '0': { Return: { MessageId: 'a1b2' } } },
  },
};

function withResponses(responses: Record<string, unknown>, testCase: Record<string, string> = { Train: 'R' }): string {
  return pretty({ StateMachines: { Retrain: { TestCases: { T: testCase } } }, MockedResponses: responses });
}

function expectOne(diags: BridgeDiagnostic[], range: ReturnType<typeof rangeOf>, ...parts: string[]): void {
  assert.equal(diags.length, 1, `expected one diagnostic, got:\n${show(diags)}`);
  assert.equal(diags[0].code, 'mock-invalid');
  assert.equal(diags[0].severity, 'error');
  assert.deepEqual(diags[0].range, range, diags[0].message);
  for (const p of parts) assert.ok(diags[0].message.includes(p), `message lacks ${JSON.stringify(p)}: ${diags[0].message}`);
}

describe('validateMockConfig', () => {
  it('accepts a valid MockConfigFile (nested Parallel state mocked too) and returns its test cases', () => {
    const { diagnostics, facts } = lintMocks(pretty(VALID), OPTS);
    assert.deepEqual(diagnostics, [], show(diagnostics));
    assert.deepEqual(facts?.testCases, ['HappyPath', 'RetryPath']);
    assert.deepEqual([...(facts?.responses.get('TrainFlaky')?.entries ?? [])].map((e) => [e.key, e.from, e.to, e.outcome.kind]), [
      ['0-1', 0, 1, 'throw'],
      ['2', 2, 2, 'return'],
    ]);
  });

  it('accepts the example from the AWS documentation', () => {
    const aws = {
      StateMachines: { LambdaSQSIntegration: { TestCases: { HappyPath: { LambdaState: 'MockedLambdaSuccess', SQSState: 'MockedSQSSuccess' }, RetryPath: { LambdaState: 'MockedLambdaRetry', SQSState: 'MockedSQSSuccess' }, HybridPath: { LambdaState: 'MockedLambdaSuccess' } } } },
      MockedResponses: {
        MockedLambdaSuccess: { '0': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } },
        LambdaMockedResourceNotReady: { '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } } },
        MockedSQSSuccess: { '0': { Return: { MD5OfMessageBody: '3bcb6e8e-7h85-4375-b0bc-1a59812c6e51', MessageId: '3bcb6e8e-8b51-4375-b0bc-1a59812c6e51' } } },
        MockedLambdaRetry: {
          '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
          '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
          '3': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } },
        },
      },
    };
    const { diagnostics } = lintMocks(pretty(aws), { stateMachineName: 'LambdaSQSIntegration' });
    assert.deepEqual(diagnostics, [], show(diagnostics));
  });

  it('reports a test case naming a mocked response that does not exist, at the name, with a suggestion', () => {
    const text = pretty({ ...VALID, StateMachines: { Retrain: { TestCases: { HappyPath: { Train: 'TrainOK' } } } } });
    expectOne(lintMocks(text, OPTS).diagnostics, contentOf(text, '"TrainOK"'), "mocked response 'TrainOK'", "Did you mean 'TrainOk'?");
  });

  it('reports a state the definition lacks, at the state name, with a suggestion', () => {
    const text = pretty({ ...VALID, StateMachines: { Retrain: { TestCases: { HappyPath: { Trian: 'TrainOk' } } } } });
    expectOne(lintMocks(text, OPTS).diagnostics, contentOf(text, '"Trian"'), "mocks state 'Trian'", "Did you mean 'Train'?");
  });

  it('reports a mocked state that is not a Task', () => {
    const text = pretty({ ...VALID, StateMachines: { Retrain: { TestCases: { HappyPath: { Done: 'TrainOk' } } } } });
    expectOne(lintMocks(text, OPTS).diagnostics, contentOf(text, '"Done"'), 'Succeed state', 'Only Task states');
  });

  it('skips the state check without a local definition', () => {
    const text = pretty({ ...VALID, StateMachines: { Retrain: { TestCases: { HappyPath: { Anything: 'TrainOk' } } } } });
    assert.deepEqual(lintMocks(text, { stateMachineName: 'Retrain' }).diagnostics, []);
  });

  it('reports a file without an entry for the linked state machine at the misnamed entry', () => {
    const text = pretty({ ...VALID, StateMachines: { RetrainDev: VALID.StateMachines.Retrain } });
    expectOne(lintMocks(text, OPTS).diagnostics, contentOf(text, '"RetrainDev"'), "linked state machine 'Retrain'", "Rename 'RetrainDev' to 'Retrain'");
  });

  it('reports the missing linked entry at "StateMachines" when several other machines are listed, and is silent about extra machines otherwise', () => {
    const other = { TestCases: { X: { Unknown: 'TrainOk' } } };
    const text = pretty({ ...VALID, StateMachines: { Ingest: other, Export: other } });
    expectOne(lintMocks(text, OPTS).diagnostics, contentOf(text, '"StateMachines"'), "'Ingest', 'Export'");
    const withLinked = pretty({ ...VALID, StateMachines: { ...VALID.StateMachines, Ingest: other } });
    assert.deepEqual(lintMocks(withLinked, OPTS).diagnostics, [], 'states of other machines are not checked against this definition');
  });

  it('reports invocation keys that are not "N" or "N-M" at the key', () => {
    const text = withResponses({ R: { '0': { Return: 1 }, first: { Return: 2 }, '02': { Return: 3 }, '5-3': { Return: 4 }, '1 - 2': { Return: 5 } } });
    const { diagnostics } = lintMocks(text, OPTS);
    assert.deepEqual(diagnostics.map((d) => d.range), [contentOf(text, '"first"'), contentOf(text, '"02"'), contentOf(text, '"5-3"'), contentOf(text, '"1 - 2"')], show(diagnostics));
    assert.match(diagnostics[0].message, /not an invocation key/);
    assert.match(diagnostics[1].message, /leading zero.*"2"/);
    assert.match(diagnostics[2].message, /ends before it starts.*"3-5"/);
    assert.match(diagnostics[3].message, /no spaces/);
  });

  it('reports overlapping ranges at the later key', () => {
    const text = withResponses({ R: { '0-2': { Return: 1 }, '2': { Return: 2 } } });
    expectOne(lintMocks(text, OPTS).diagnostics, contentOf(text, '"2"'), 'overlaps "0-2"');
  });

  it('reports a gap, and a first key after 0, at the key after the gap', () => {
    const gap = withResponses({ R: { '0': { Return: 1 }, '3-4': { Return: 2 } } });
    expectOne(lintMocks(gap, OPTS).diagnostics, contentOf(gap, '"3-4"'), 'Invocations 1-2 have no response');
    const late = withResponses({ R: { '1': { Return: 1 } } });
    expectOne(lintMocks(late, OPTS).diagnostics, contentOf(late, '"1"'), 'Invocation 0 has no response');
  });

  it('reports an entry with both Return and Throw at the later one, and with neither at its key', () => {
    const both = withResponses({ R: { '0': { Return: {}, Throw: { Error: 'E', Cause: 'C' } } } });
    expectOne(lintMocks(both, OPTS).diagnostics, contentOf(both, '"Throw"'), 'both "Return" and "Throw"');
    const neither = withResponses({ R: { '0': {} } });
    expectOne(lintMocks(neither, OPTS).diagnostics, contentOf(neither, '"0"'), 'neither "Return" nor "Throw"');
  });

  it('reports a Throw without Error, a non-string Error, a Throw without Cause, and unknown fields', () => {
    const text = withResponses({
      R: {
        '0': { Throw: { Cause: 'c' } },
        '1': { Throw: { Error: 5, Cause: 'c' } },
        '2': { Throw: { Error: 'E' } },
        '3': { Retrun: {} },
      },
    });
    const { diagnostics } = lintMocks(text, OPTS);
    assert.deepEqual(diagnostics.map((d) => d.range), [contentOf(text, '"Throw"'), rangeOf(text, '5'), contentOf(text, '"Throw"', 2), contentOf(text, '"Retrun"')], show(diagnostics));
    assert.match(diagnostics[0].message, /"Throw" has no "Error"/);
    assert.match(diagnostics[1].message, /"Error" must be a string/);
    assert.match(diagnostics[2].message, /"Throw" has no "Cause"/);
    assert.match(diagnostics[3].message, /Did you mean "Return"\?/);
  });

  it('reports a mocked response with no entries at its name', () => {
    const text = withResponses({ R: {} });
    expectOne(lintMocks(text, OPTS).diagnostics, contentOf(text, '"R"', 1), 'has no entries');
  });

  it('reports wrong shapes: unknown top-level key, non-object sections, a test case that is not an object, a non-string response name', () => {
    const text = pretty({
      StateMachines: { Retrain: { TestCases: { A: ['Train'], B: { Train: 7 } }, Comment: 'x' } },
      MockedResponses: { R: { '0': { Return: 1 } } },
      MockResponses: {},
    });
    const { diagnostics } = lintMocks(text, OPTS);
    assert.deepEqual(diagnostics.map((d) => d.range), [rangeOf(text, '[\n          "Train"\n        ]'), rangeOf(text, '7'), contentOf(text, '"Comment"'), contentOf(text, '"MockResponses"')], show(diagnostics));
    assert.match(diagnostics[0].message, /Test case 'A' must be an object/);
    assert.match(diagnostics[1].message, /must be the name of a mocked response/);
    assert.match(diagnostics[2].message, /only field is "TestCases"/);
    assert.match(diagnostics[3].message, /Did you mean "MockedResponses"\?/);
    const sections = '{"StateMachines": [], "MockedResponses": "none"}';
    const d2 = lintMocks(sections, OPTS).diagnostics;
    assert.deepEqual(d2.map((d) => [d.range.start.character, d.range.end.character]), [[18, 20], [42, 46]], show(d2));
  });

  it('reports a repeated key once, at the second occurrence', () => {
    const text = '{\n  "StateMachines": {"Retrain": {"TestCases": {"T": {"Train": "R"}}}},\n  "MockedResponses": {\n    "R": {"0": {"Return": 1}, "0": {"Return": 2}}\n  }\n}';
    expectOne(lintMocks(text, OPTS).diagnostics, { start: { line: 3, character: 31 }, end: { line: 3, character: 32 } }, '"0" appears twice');
  });

  it('reports missing sections at the opening brace', () => {
    const { diagnostics } = lintMocks('{}', OPTS);
    assert.equal(diagnostics.length, 2, show(diagnostics));
    for (const d of diagnostics) assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
    assert.match(diagnostics.map((d) => d.message).join('\n'), /no "MockedResponses"[\s\S]*no "StateMachines"/);
  });

  for (const [label, text, what] of [
    ['an empty file', '', /not valid JSON/],
    ['an array', '[]', /holds an array/],
    ['null', 'null', /holds null/],
    ['binary bytes', '\u0000\u0001\u00ff', /not valid JSON/],
    ['a trailing comma', '{"StateMachines": {},}', /not valid JSON/],
  ] as const) {
    it(`gives mock-invalid, never a throw, for ${label}`, () => {
      const { diagnostics, facts } = lintMocks(text, OPTS);
      assert.equal(facts, undefined);
      assert.ok(diagnostics.length >= 1);
      assert.ok(diagnostics.every((d) => d.code === 'mock-invalid'));
      assert.match(diagnostics[0].message, what);
    });
  }

  it('never throws on arbitrary JSON or mutated mock configs', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.constantFrom('StateMachines', 'MockedResponses', 'TrainFlaky', 'TestCases'), (value, where) => {
        const mutated = structuredClone(VALID) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        if (where === 'TrainFlaky') mutated.MockedResponses.TrainFlaky = value;
        else if (where === 'TestCases') mutated.StateMachines.Retrain.TestCases = value;
        else mutated[where] = value;
        for (const text of [pretty(mutated), JSON.stringify(value) ?? 'null']) {
          const { diagnostics } = lintMocks(text, OPTS);
          const lines = text.split('\n');
          for (const d of diagnostics) assert.ok(d.range.end.line < lines.length && d.range.end.character <= lines[d.range.end.line].length);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('resolveMockedResponse', () => {
  const facts = lintMocks(pretty(VALID), OPTS).facts!;

  it('returns the Throw or Return for each invocation, across ranges', () => {
    const at = (attempt: number) => resolveMockedResponse(facts, 'Retrain', 'RetryPath', 'Train', attempt);
    assert.deepEqual(at(0), { kind: 'throw', error: 'SageMaker.ResourceLimitExceeded', cause: 'No capacity.', responseName: 'TrainFlaky', key: '0-1' });
    assert.deepEqual(at(1), { kind: 'throw', error: 'SageMaker.ResourceLimitExceeded', cause: 'No capacity.', responseName: 'TrainFlaky', key: '0-1' });
    assert.deepEqual(at(2), { kind: 'return', value: { TrainingJobStatus: 'Completed' }, responseName: 'TrainFlaky', key: '2' });
    const after = at(3);
    assert.equal(after.kind, 'no-response');
    assert.match((after as { message: string }).message, /no entry for invocation 3/);
  });

  it('tells an unmocked state from an unknown test case or state machine', () => {
    assert.deepEqual(resolveMockedResponse(facts, 'Retrain', 'RetryPath', 'Notify', 0), { kind: 'not-mocked' });
    assert.equal(resolveMockedResponse(facts, 'Retrain', 'Nope', 'Train', 0).kind, 'unknown-test-case');
    assert.equal(resolveMockedResponse(facts, 'Other', 'RetryPath', 'Train', 0).kind, 'unknown-test-case');
  });

  it('parses invocation keys strictly', () => {
    assert.deepEqual(parseResponseKey('0'), { from: 0, to: 0 });
    assert.deepEqual(parseResponseKey('2-5'), { from: 2, to: 5 });
    for (const bad of ['', '-1', '01', '3-2', '1-', 'a', '1.5', ' 1', '99999999999999999999']) assert.equal(parseResponseKey(bad), undefined, bad);
  });
});
