import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JSONATA_WORKFLOW, ORDER_WORKFLOW } from './fixtures';
import { lintAsl, pretty, contentOf, rangeOf, show } from './support';
import type { BridgeDiagnostic } from '../../../src/core/diagnostics';

/** Asserts exactly one diagnostic, at `range`, whose message contains every `parts`. */
function expectOne(diags: BridgeDiagnostic[], range: ReturnType<typeof rangeOf>, ...parts: (string | RegExp)[]): BridgeDiagnostic {
  assert.equal(diags.length, 1, `expected one diagnostic, got:\n${show(diags)}`);
  const d = diags[0];
  assert.equal(d.code, 'asl-invalid');
  assert.equal(d.severity, 'error');
  assert.deepEqual(d.range, range, `range of: ${d.message}`);
  for (const p of parts) {
    if (typeof p === 'string') assert.ok(d.message.includes(p), `message lacks ${JSON.stringify(p)}: ${d.message}`);
    else assert.match(d.message, p);
  }
  return d;
}

function minimal(states: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return pretty({ StartAt: Object.keys(states)[0], ...extra, States: states });
}

describe('validateAslDefinition: valid definitions stay clean', () => {
  it('accepts a JSONPath workflow with every state type, Retry/Catch, Parallel, Map ItemProcessor and an HTTP task', () => {
    const { diagnostics, facts } = lintAsl(pretty(ORDER_WORKFLOW));
    assert.deepEqual(diagnostics, [], show(diagnostics));
    assert.ok(facts);
    assert.equal(facts.startAt, 'Validate');
    assert.equal(facts.queryLanguage, 'JSONPath');
    assert.equal(facts.usesJsonata, false);
    assert.deepEqual(
      [...facts.stateNames].sort(),
      ['Done', 'Failed', 'FanOut', 'Hold', 'IsPriority', 'Notify', 'Reserve', 'Ship', 'ShipItems', 'Shipped', 'Summarize', 'Validate'],
    );
    assert.deepEqual(facts.states.get('Notify'), { name: 'Notify', type: 'Task', resource: 'arn:aws:states:::http:invoke', queryLanguage: 'JSONPath', parent: 'FanOut' });
    assert.equal(facts.states.get('Ship')?.parent, 'ShipItems');
    assert.equal(facts.states.get('IsPriority')?.type, 'Choice');
    assert.equal(facts.states.get('Validate')?.parent, undefined);
  });

  it('accepts a JSONata workflow and reports that it uses JSONata', () => {
    const { diagnostics, facts } = lintAsl(pretty(JSONATA_WORKFLOW));
    assert.deepEqual(diagnostics, [], show(diagnostics));
    assert.equal(facts?.queryLanguage, 'JSONata');
    assert.equal(facts?.usesJsonata, true);
    assert.ok(facts?.stateNames.has('Price'), 'state nested in the Map item processor');
  });

  it('accepts one JSONata state in a JSONPath definition, and notes the JSONata use', () => {
    const { diagnostics, facts } = lintAsl(
      minimal({
        Call: { Type: 'Task', QueryLanguage: 'JSONata', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f', Payload: '{% $states.input %}' }, Next: 'Keep' },
        Keep: { Type: 'Pass', ResultPath: '$.kept', End: true },
      }),
    );
    assert.deepEqual(diagnostics, [], show(diagnostics));
    assert.equal(facts?.queryLanguage, 'JSONPath');
    assert.equal(facts?.usesJsonata, true);
    assert.equal(facts?.states.get('Call')?.queryLanguage, 'JSONata');
  });

  it('agrees with asl-validator itself on the valid fixtures and on invalid ones', () => {
    // asl-validator's own verdict (slow: it compiles its schemas per call), as a cross-check.
    const aslValidator = require('asl-validator') as (d: unknown) => { isValid: boolean };
    for (const def of [ORDER_WORKFLOW, JSONATA_WORKFLOW]) assert.equal(aslValidator(structuredClone(def)).isValid, true);
    const broken = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'not-an-arn', Next: 'Nope' } } };
    assert.equal(aslValidator(structuredClone(broken)).isValid, false);
    assert.ok(lintAsl(pretty(broken)).diagnostics.length >= 2);
  });
});

describe('validateAslDefinition: transitions and graph', () => {
  it('reports a Next to a missing state at the target name, suggesting the closest name', () => {
    const text = minimal({ A: { Type: 'Pass', Next: 'Bar' }, Baz: { Type: 'Succeed' } });
    const { diagnostics } = lintAsl(text);
    const next = diagnostics.filter((d) => d.message.includes("'Bar'"));
    expectOne(next, contentOf(text, '"Bar"'), "State 'A' has Next 'Bar', but no state named 'Bar' exists", "Did you mean 'Baz'?", 'Add the state or fix the name');
  });

  it('reports one broken Next once, without calling every state behind it unreachable', () => {
    const def = structuredClone(ORDER_WORKFLOW);
    def.States.Validate.Next = 'IsPriorty';
    const text = pretty(def);
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"IsPriorty"'), "Did you mean 'IsPriority'?");
  });

  it('reports a StartAt that names no state, at the StartAt value', () => {
    const text = pretty({ StartAt: 'Strat', States: { Start: { Type: 'Succeed' } } });
    const { diagnostics } = lintAsl(text);
    expectOne(diagnostics, contentOf(text, '"Strat"'), "StartAt of the top level is 'Strat', but no state named 'Strat' exists", "Did you mean 'Start'?");
  });

  it('reports an unreachable state at its name, including states that only reach each other', () => {
    const text = minimal({ A: { Type: 'Succeed' }, Loop1: { Type: 'Pass', Next: 'Loop2' }, Loop2: { Type: 'Pass', Next: 'Loop1' } });
    const { diagnostics } = lintAsl(text);
    assert.equal(diagnostics.length, 2, show(diagnostics));
    assert.deepEqual(diagnostics[0].range, contentOf(text, '"Loop1"'));
    assert.match(diagnostics[0].message, /State 'Loop1' is never reached/);
    assert.deepEqual(diagnostics[1].range, contentOf(text, '"Loop2"', 1));
  });

  it('reports a Next from a Parallel branch to a state outside the branch', () => {
    const text = minimal({
      P: { Type: 'Parallel', Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Pass', Next: 'After' } } }], Next: 'After' },
      After: { Type: 'Succeed' },
    });
    const { diagnostics } = lintAsl(text);
    const out = diagnostics.filter((d) => d.message.includes('outside'));
    expectOne(out, contentOf(text, '"After"'), "State 'Inner' has Next 'After'", "Parallel state 'P'", '"End": true');
  });

  it("reports a Next from a Map's ItemProcessor to a state outside it (asl-validator misses this one)", () => {
    const text = minimal({
      M: { Type: 'Map', ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Pass', Next: 'Done' }, Stop: { Type: 'Succeed' } } }, Next: 'Done' },
      Done: { Type: 'Succeed' },
    });
    const { diagnostics } = lintAsl(text);
    const out = diagnostics.filter((d) => d.message.includes("Next 'Done'"));
    expectOne(out, contentOf(text, '"Done"'), "ItemProcessor of Map state 'M'");
  });

  it('reports a top-level Next into a branch: only the Parallel state itself can be targeted', () => {
    const text = minimal({
      P: { Type: 'Parallel', Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Succeed' } } }], Next: 'Inner' },
    });
    const { diagnostics } = lintAsl(text);
    expectOne(diagnostics.filter((d) => d.message.includes("Next 'Inner'")), contentOf(text, '"Inner"', 2), "Go to 'P' instead");
  });

  it('reports Choice Default, Choices Next and Catch Next targets that do not exist', () => {
    const text = minimal({
      T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Oops' }], Next: 'C' },
      C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Yes' }], Default: 'No' },
      End: { Type: 'Succeed' },
    });
    const { diagnostics } = lintAsl(text);
    const targets = diagnostics.filter((d) => d.message.includes('no state named'));
    assert.deepEqual(targets.map((d) => d.range), [contentOf(text, '"Oops"'), contentOf(text, '"Yes"'), contentOf(text, '"No"')], show(diagnostics));
    assert.match(targets[0].message, /a Catch with Next 'Oops'/);
    assert.match(targets[2].message, /has Default 'No'/);
  });

  it('reports a state name used twice (a branch and the top level) at the later one', () => {
    const text = minimal({
      P: { Type: 'Parallel', Branches: [{ StartAt: 'Work', States: { Work: { Type: 'Succeed' } } }], Next: 'Work' },
      Work: { Type: 'Succeed' },
    });
    const { diagnostics } = lintAsl(text);
    const dup = diagnostics.filter((d) => d.message.includes('already used'));
    expectOne(dup, contentOf(text, '"Work"', 3), "State name 'Work' is already used in the branch of Parallel state 'P' (first at line 10)", 'unique');
  });

  it('reports a state defined twice in one States object at the second definition', () => {
    const text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "End": true},\n    "A": {"Type": "Succeed"}\n  }\n}';
    expectOne(lintAsl(text).diagnostics, { start: { line: 4, character: 5 }, end: { line: 4, character: 6 } }, "State 'A' is defined twice", 'only the last definition counts');
  });

  it('reports a scope without a terminal state at its "States" key', () => {
    const text = minimal({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } });
    const { diagnostics } = lintAsl(text);
    expectOne(diagnostics, contentOf(text, '"States"'), 'no terminal state', '"End": true');
  });

  it('reports a misspelled terminal Type once, at the type, not also as "no terminal state"', () => {
    const text = minimal({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeeded' } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"Succeeded"'), 'Did you mean "Succeed"?');
  });

  it('reports empty States', () => {
    const text = pretty({ StartAt: 'A', States: {} });
    const { diagnostics } = lintAsl(text);
    expectOne(diagnostics, contentOf(text, '"States"'), 'empty');
  });
});

describe('validateAslDefinition: state fields', () => {
  it('reports an unknown Type at its value with the closest type', () => {
    const text = minimal({ A: { Type: 'Taks', Resource: 'arn:aws:states:::lambda:invoke', End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"Taks"'), 'Did you mean "Task"?');
  });

  it('reports a state without Type, and a state that is not an object, at the state name', () => {
    const text = minimal({ A: { End: true }, B: 7 });
    const { diagnostics } = lintAsl(text);
    const typeless = diagnostics.filter((d) => d.message.includes('has no "Type"'));
    expectOne(typeless, contentOf(text, '"A"', 1), 'Add "Type"');
    const notObject = diagnostics.filter((d) => d.message.includes('must be a JSON object'));
    expectOne(notObject, contentOf(text, '"B"'), 'it is a number');
  });

  it('reports a Task without Resource at the state name', () => {
    const text = minimal({ Work: { Type: 'Task', End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"Work"', 1), 'is missing "Resource"', 'arn:aws:states:::lambda:invoke');
  });

  it('reports a malformed Resource ARN once, at its value (not one error per oneOf branch)', () => {
    const text = minimal({ Work: { Type: 'Task', Resource: 'lambda:invoke', End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"lambda:invoke"'), 'is not a valid ARN');
  });

  it('reports an unknown field at its key, suggesting the closest field', () => {
    const text = minimal({ A: { Type: 'Pass', Reslt: { x: 1 }, End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"Reslt"'), 'Did you mean "Result"?');
  });

  it('reports a JSONPath field in a JSONata state and says what to use instead', () => {
    const text = minimal({ A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } }, { QueryLanguage: 'JSONata' });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"Parameters"'), 'query language is JSONata', '"Arguments"');
  });

  it('reports a JSONata field in a JSONPath state and says how to switch', () => {
    const text = minimal({ A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f' }, End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"Arguments"'), 'query language is JSONPath', '"QueryLanguage": "JSONata"');
  });

  it('reports wrong types and out-of-range numbers at their values', () => {
    const text = minimal({
      A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 'soon', Retry: [{ ErrorEquals: 'States.ALL', MaxAttempts: -1 }], End: true },
    });
    const { diagnostics } = lintAsl(text);
    assert.equal(diagnostics.length, 3, show(diagnostics));
    assert.deepEqual(diagnostics[0].range, contentOf(text, '"soon"'));
    assert.match(diagnostics[0].message, /TimeoutSeconds must be an integer, not a string/);
    assert.deepEqual(diagnostics[1].range, contentOf(text, '"States.ALL"'));
    assert.match(diagnostics[1].message, /Retry\[0\]\.ErrorEquals must be an array/);
    assert.deepEqual(diagnostics[2].range, rangeOf(text, '-1'));
    assert.match(diagnostics[2].message, /MaxAttempts must be >= 0, not -1/);
  });

  it('reports an invalid JSONPath at its value', () => {
    const text = minimal({ A: { Type: 'Pass', InputPath: '$.items[', End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"$.items["'), 'InputPath', 'is not a valid Path');
  });

  it('reports an invalid JSONata expression and a non-expression where one is needed', () => {
    const text = minimal(
      {
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.x > %}', Next: 'W' }], Default: 'W' },
        W: { Type: 'Wait', Seconds: 'five', End: true },
      },
      { QueryLanguage: 'JSONata' },
    );
    const { diagnostics } = lintAsl(text);
    assert.equal(diagnostics.length, 2, show(diagnostics));
    assert.deepEqual(diagnostics[0].range, contentOf(text, '"{% $states.input.x > %}"'));
    assert.match(diagnostics[0].message, /not a valid JSONata expression/);
    assert.deepEqual(diagnostics[1].range, contentOf(text, '"five"'));
    assert.match(diagnostics[1].message, /Seconds must be .*JSONata expression/);
  });

  it('reports a broken JSONata expression inside an Output template once, at the string, not as a list of oneOf branches', () => {
    const text = minimal({ A: { Type: 'Pass', Output: { total: '{% $sum( %}', fixed: 1 }, End: true } }, { QueryLanguage: 'JSONata' });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"{% $sum( %}"'), 'Output.total', 'is not a valid JSONata expression');
  });

  it('names an intrinsic function that does not exist, and the closest one that does', () => {
    const text = minimal({ A: { Type: 'Pass', Parameters: { 'url.$': "States.Format('{}', States.Default($.url, 'x'))", 'n.$': 'States.ArrayLenght($.items)' }, End: true } });
    const diagnostics = lintAsl(text).diagnostics;
    assert.equal(diagnostics.length, 2, show(diagnostics));
    assert.match(diagnostics[0].message, /calls States\.Default, which is not an intrinsic function/);
    assert.match(diagnostics[1].message, /calls States\.ArrayLenght, .*Did you mean States\.ArrayLength\?/);
  });

  it('names both accepted forms when a JSONata state field is neither', () => {
    const text = minimal({ A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', HeartbeatSeconds: 0, End: true } }, { QueryLanguage: 'JSONata' });
    expectOne(lintAsl(text).diagnostics, rangeOf(text, '0'), 'HeartbeatSeconds must be at least 1 or a JSONata expression "{% … %}", not 0');
  });

  it('reports Next together with End at "Next", and neither at the state name', () => {
    const text = minimal({ A: { Type: 'Pass', End: true, Next: 'B' }, B: { Type: 'Pass' } });
    const { diagnostics } = lintAsl(text);
    assert.equal(diagnostics.length, 2, show(diagnostics));
    assert.deepEqual(diagnostics[0].range, contentOf(text, '"Next"'));
    assert.match(diagnostics[0].message, /both "Next" and "End"/);
    assert.deepEqual(diagnostics[1].range, contentOf(text, '"B"', 1));
    assert.match(diagnostics[1].message, /neither "Next" nor "End"/);
  });

  it('reports Next on a Succeed state and End on a Choice state', () => {
    const text = minimal({
      C: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'S' }], Default: 'S', End: true },
      S: { Type: 'Succeed', Next: 'C' },
    });
    const { diagnostics } = lintAsl(text);
    assert.deepEqual(diagnostics.map((d) => d.range), [contentOf(text, '"End"'), contentOf(text, '"Next"', 1)], show(diagnostics));
    assert.match(diagnostics[0].message, /Choice state, which cannot end/);
    assert.match(diagnostics[1].message, /Succeed state, which ends the execution/);
  });

  it('reports mutually exclusive fields at the second one', () => {
    const text = minimal({ A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', TimeoutSeconds: 5, TimeoutSecondsPath: '$.t', End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"TimeoutSecondsPath"'), '"TimeoutSeconds" and "TimeoutSecondsPath"', 'at most one');
  });

  it('reports a Wait without a duration, and a bad timestamp', () => {
    const text = minimal({ A: { Type: 'Wait', Next: 'B' }, B: { Type: 'Wait', Timestamp: 'tomorrow', End: true } });
    const { diagnostics } = lintAsl(text);
    assert.equal(diagnostics.length, 2, show(diagnostics));
    assert.deepEqual(diagnostics[0].range, contentOf(text, '"A"', 1));
    assert.match(diagnostics[0].message, /does not say how long to wait/);
    assert.deepEqual(diagnostics[1].range, contentOf(text, '"tomorrow"'));
    assert.match(diagnostics[1].message, /ISO 8601/);
  });

  it('reports a DISTRIBUTED Map without ExecutionType as that, not as "Mode must be INLINE"', () => {
    const text = minimal({ M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"ProcessorConfig"'), 'is missing "ExecutionType"', '"STANDARD" or "EXPRESS"');
  });

  it('reports an unknown Map processor mode once, naming both modes', () => {
    const text = minimal({ M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'PARALLEL' }, StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }, End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"PARALLEL"'), 'Mode must be "INLINE" or "DISTRIBUTED", not "PARALLEL"');
  });

  it('reports a Map without ItemProcessor at the state name', () => {
    const text = minimal({ M: { Type: 'Map', End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"M"', 1), 'no "ItemProcessor"');
  });

  it('reports Parameters fields that collide once ".$" is stripped', () => {
    const text = minimal({ A: { Type: 'Pass', Parameters: { 'id.$': '$.id', id: 'fixed' }, End: true } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"id"'), '"id" and "id.$" both become "id"');
  });

  it('reports a payload template path value of the wrong type', () => {
    const text = minimal({ A: { Type: 'Pass', Parameters: { 'id.$': 42 }, End: true } });
    expectOne(lintAsl(text).diagnostics, rangeOf(text, '42'), 'Parameters.id.$ must be a string');
  });

  it('reports a state name longer than 80 characters at its key', () => {
    const long = 'S'.repeat(81);
    const text = pretty({ StartAt: long, States: { [long]: { Type: 'Succeed' } } });
    expectOne(lintAsl(text).diagnostics, contentOf(text, `"${long}"`, 1), '81 characters', '1 to 80');
  });

  it('reports an invalid QueryLanguage on a state and on the definition', () => {
    const text = minimal({ A: { Type: 'Pass', QueryLanguage: 'jsonata', End: true } }, { QueryLanguage: 'JSONATA' });
    const { diagnostics } = lintAsl(text);
    assert.deepEqual(diagnostics.map((d) => d.range), [contentOf(text, '"JSONATA"'), contentOf(text, '"jsonata"')], show(diagnostics));
    for (const d of diagnostics) assert.match(d.message, /"JSONPath" or "JSONata"/);
  });
});

describe('validateAslDefinition: choice rules', () => {
  const choice = (rules: unknown[]) => minimal({ C: { Type: 'Choice', Choices: rules, Default: 'D' }, D: { Type: 'Succeed' } });

  it('reports a misspelled comparison operator once, at its key, with the right name', () => {
    const text = choice([{ Variable: '$.status', StringEqual: 'done', Next: 'D' }]);
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"StringEqual"'), 'Did you mean "StringEquals"?');
  });

  it('reports an operand of the wrong type at its value', () => {
    const text = choice([{ Variable: '$.count', NumericEquals: '5', Next: 'D' }]);
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"5"'), 'Choices[0].NumericEquals must be a number');
  });

  it('reports a nested rule problem inside And at the nested value', () => {
    const text = choice([{ And: [{ Variable: '$.a', IsNull: 'yes' }, { Variable: '$.b', IsPresent: true }], Next: 'D' }]);
    expectOne(lintAsl(text).diagnostics, contentOf(text, '"yes"'), 'Choices[0].And[0].IsNull must be true or false');
  });

  it('reports a top-level rule without Next at its opening brace', () => {
    const text = '{\n  "StartAt": "C",\n  "States": {\n    "C": {"Type": "Choice", "Default": "D", "Choices": [\n      {"Variable": "$.x", "IsPresent": true}\n    ]},\n    "D": {"Type": "Succeed"}\n  }\n}';
    expectOne(lintAsl(text).diagnostics, { start: { line: 4, character: 6 }, end: { line: 4, character: 7 } }, 'Choices[0] has no "Next"');
  });

  it('reports two operators in one rule at the second, and a comparison without Variable', () => {
    const text = choice([
      { Variable: '$.x', StringEquals: 'a', BooleanEquals: true, Next: 'D' },
      { NumericGreaterThan: 3, Next: 'D' },
    ]);
    const { diagnostics } = lintAsl(text);
    assert.equal(diagnostics.length, 2, show(diagnostics));
    assert.deepEqual(diagnostics[0].range, contentOf(text, '"BooleanEquals"'));
    assert.match(diagnostics[0].message, /more than one operator/);
    assert.match(diagnostics[1].message, /Choices\[1\] compares with "NumericGreaterThan" but has no "Variable"/);
  });
});

describe('validateAslDefinition: top level and JSON syntax', () => {
  it('reports a missing StartAt at the opening brace and an unknown top-level field at its key', () => {
    const text = '{\n  "Start": "A",\n  "States": {"A": {"Type": "Succeed"}}\n}';
    const { diagnostics } = lintAsl(text);
    assert.equal(diagnostics.length, 2, show(diagnostics));
    assert.deepEqual(diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
    assert.match(diagnostics[0].message, /missing "StartAt"/);
    assert.deepEqual(diagnostics[1].range, { start: { line: 1, character: 3 }, end: { line: 1, character: 8 } });
    assert.match(diagnostics[1].message, /Did you mean "StartAt"\?/);
  });

  it('reports JSON syntax errors at their position (ASL is strict JSON: no comments, no trailing commas)', () => {
    const text = '{\n  "StartAt": "A", // first\n  "States": {"A": {"Type": "Succeed",}}\n}';
    const { diagnostics, facts } = lintAsl(text);
    assert.equal(facts, undefined);
    assert.ok(diagnostics.length >= 2, show(diagnostics));
    assert.ok(diagnostics.every((d) => d.code === 'asl-invalid' && d.message.startsWith('This ASL definition is not valid JSON')));
    assert.deepEqual(diagnostics[0].range.start, { line: 1, character: 18 });
    assert.match(diagnostics[0].message, /Comments are not allowed/);
  });

  for (const [label, text, what] of [
    ['an empty file', '', /not valid JSON/],
    ['an array', '[]', /holds an array/],
    ['null', 'null', /holds null/],
    ['a string', '"Pass"', /holds a string/],
    ['binary bytes', '\u0000\u0001\u0002\u00ff\ufffd', /not valid JSON/],
    ['20,000 nested brackets', '['.repeat(20000) + ']'.repeat(20000), /Nesting deeper/],
  ] as const) {
    it(`gives asl-invalid, never a throw, for ${label}`, () => {
      const { diagnostics, facts } = lintAsl(text);
      assert.equal(facts, undefined);
      assert.ok(diagnostics.length >= 1);
      assert.ok(diagnostics.every((d) => d.code === 'asl-invalid'));
      assert.match(diagnostics[0].message, what);
    });
  }

  it('never throws on arbitrary JSON or on mutated valid definitions, and keeps every range inside the file', () => {
    const base = structuredClone(ORDER_WORKFLOW) as Record<string, unknown>;
    const inside = (text: string, d: BridgeDiagnostic) => {
      const lines = text.split('\n');
      for (const p of [d.range.start, d.range.end]) {
        assert.ok(p.line >= 0 && p.line < lines.length, `line ${p.line} outside the file`);
        assert.ok(p.character >= 0 && p.character <= lines[p.line].length, `character ${p.character} outside line ${p.line}`);
      }
    };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value, null, 1) ?? 'null';
        for (const d of lintAsl(text).diagnostics) inside(text, d);
      }),
      { numRuns: 150 },
    );
    const stateNames = Object.keys(base.States as object);
    fc.assert(
      fc.property(fc.constantFrom(...stateNames), fc.constantFrom('Type', 'Next', 'End', 'Resource', 'Parameters', 'Choices', 'Branches', 'ItemProcessor', 'Retry'), fc.jsonValue({ maxDepth: 3 }), (state, field, value) => {
        const def = structuredClone(base) as { States: Record<string, Record<string, unknown>> };
        def.States[state][field] = value;
        const text = pretty(def);
        const { diagnostics, facts } = lintAsl(text);
        assert.ok(facts, 'a JSON object always yields facts');
        for (const d of diagnostics) inside(text, d);
      }),
      { numRuns: 150 },
    );
  });
});
