// Constructs Step Functions runs that asl-validator 4.0.0 / asl-path-validator 0.16.1 reject (found
// linting public definitions): each must lint clean, and the near-miss next to it must still fail.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintAsl, pretty, contentOf, show } from './support';
import { applySchemaOverlays, ASL_SCHEMA_OVERLAYS } from '../../../src/core/asl/schema-overlay';
import { pathForGrammar } from '../../../src/core/asl/path-grammar';

const jsonata = (states: Record<string, unknown>) => pretty({ QueryLanguage: 'JSONata', StartAt: Object.keys(states)[0], States: states });
const jsonpath = (states: Record<string, unknown>) => pretty({ StartAt: Object.keys(states)[0], States: states });
const lambda = (args: unknown) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: args, End: true });
const pass = (fields: Record<string, unknown>) => ({ Type: 'Pass', ...fields, End: true });
const distributedMap = (resultWriter: unknown) => ({
  Type: 'Map',
  ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
  ResultWriter: resultWriter,
  End: true,
});

function clean(text: string): void {
  const { diagnostics } = lintAsl(text);
  assert.deepEqual(diagnostics, [], show(diagnostics));
}

function oneAt(text: string, quoted: string, part: string | RegExp): void {
  const { diagnostics } = lintAsl(text);
  assert.equal(diagnostics.length, 1, show(diagnostics));
  assert.deepEqual(diagnostics[0].range, contentOf(text, quoted), show(diagnostics));
  if (typeof part === 'string') assert.ok(diagnostics[0].message.includes(part), diagnostics[0].message);
  else assert.match(diagnostics[0].message, part);
}

describe('ASL: JSONata as Step Functions reads it', () => {
  it('accepts expressions without spaces inside the delimiters, in Output, Condition and Arguments', () => {
    clean(jsonata({ A: pass({ Output: '{% $states.input.x%}' }) }));
    clean(jsonata({ A: pass({ Output: '{%$x%}' }) }));
    clean(jsonata({ A: { Type: 'Choice', Choices: [{ Condition: '{%$states.input.n=1%}', Next: 'B' }], Default: 'B' }, B: { Type: 'Succeed' } }));
    clean(jsonata({ A: lambda({ FunctionName: 'f', Payload: '{%$states.input%}' }) }));
  });

  it('accepts expressions spanning lines, including a ;-sequence written without the block parentheses', () => {
    clean(jsonata({ A: pass({ Output: '{% \n $a := 1; \n $a %}' }) }));
    clean(jsonata({ A: pass({ Output: { total: '{%\n  (\n    $a := 1;\n    $a + 1\n  )\n%}' } }) }));
    clean(jsonata({ A: pass({ Assign: { v: '{% $states.input.items\n  [price > 10]\n  .name %}' } }) }));
  });

  it('accepts plain strings with line breaks and the empty string in JSONata-mode fields', () => {
    clean(jsonata({ A: lambda({ FunctionName: 'f', Payload: { text: 'line one\nline two', empty: '' } }) }));
    clean(jsonata({ A: pass({ Output: { empty: '' } }) }));
    clean(jsonata({ A: { Type: 'Fail', Error: 'Broken', Cause: '' } }));
  });

  it('still reports an expression that does not parse, with or without spaces, on one line or several', () => {
    let text = jsonata({ A: pass({ Output: '{%$sum(%}' }) });
    oneAt(text, '"{%$sum(%}"', 'is not a valid JSONata expression');
    text = jsonata({ A: pass({ Output: { x: '{% \n $a := ; \n %}' } }) });
    oneAt(text, '"{% \\n $a := ; \\n %}"', 'Output.x');
    text = jsonata({ A: pass({ Output: '{%%}' }) });
    oneAt(text, '"{%%}"', 'is not a valid JSONata expression');
  });

  it('still reports a plain string where only an expression is allowed (a Choice Condition)', () => {
    const text = jsonata({ A: { Type: 'Choice', Choices: [{ Condition: 'true', Next: 'B' }], Default: 'B' }, B: { Type: 'Succeed' } });
    oneAt(text, '"true"', 'Condition');
  });
});

describe('ASL: JSONPath as Step Functions (Jayway) reads it', () => {
  it('accepts a dot before a bracket, in a Path and inside an intrinsic function', () => {
    clean(jsonpath({ A: pass({ InputPath: '$.[0]' }) }));
    clean(jsonpath({ A: pass({ Parameters: { 'body.$': 'States.StringToJson($.[0].body)', 'k.$': "$.['key']" } }) }));
  });

  it('accepts filters comparing with the root and combining tests', () => {
    clean(jsonpath({ A: pass({ Parameters: { 'hit.$': '$.items[?(@.id == $.wanted)]', 'both.$': "$.items[?(@.a > 1 && @.b == 'x')]" } }) }));
    clean(jsonpath({ A: pass({ InputPath: '$.items[?(@.id == $.wanted)].name' }) }));
  });

  it('accepts escapes inside intrinsic-function string arguments', () => {
    clean(jsonpath({ A: pass({ Parameters: { 'a.$': "States.Format('line\\nnext {}', $.x)", 'b.$': "States.StringSplit($.csv, '\\n')", 'c.$': "States.Format('a\\\\b \\{\\} it\\'s {}', $.x)" } }) }));
  });

  it('accepts several quoted names in one bracket (a property union)', () => {
    clean(jsonpath({ A: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:restoreObject', ResultSelector: { 'result.$': "$.[*].['bucket', 'key']" }, End: true } }));
  });

  it('still reports a broken filter, a dangling bracket, and a filter where a Reference Path is required', () => {
    let text = jsonpath({ A: pass({ Parameters: { 'x.$': '$.items[?(]' } }) });
    oneAt(text, '"$.items[?(]"', 'is not a valid path');
    text = jsonpath({ A: pass({ InputPath: '$.[' }) });
    oneAt(text, '"$.["', 'is not a valid Path');
    text = jsonpath({ A: pass({ ResultPath: '$.items[?(@.id == $.wanted)]' }) });
    oneAt(text, '"$.items[?(@.id == $.wanted)]"', 'is not a valid ResultPath');
  });

  it('rewrites only what the grammar lacks: recursive descent and quoted text stay as written', () => {
    assert.equal(pathForGrammar('$..[0]'), '$..[0]');
    assert.equal(pathForGrammar("$.['a.[b']"), "$['a.[b']");
    assert.equal(pathForGrammar("States.Format('x\\ny', $.a)"), "States.Format('x_y', $.a)");
    assert.equal(pathForGrammar("$.a[?(@.b == ')')]"), '$.a[?(@.x==0)]');
    assert.equal(pathForGrammar("States.Format('open"), undefined);
  });
});

describe('ASL: templates deployed with substitutions', () => {
  it('accepts ARNs built with ${…} placeholders (SAM DefinitionSubstitutions, Fn::Sub, Terraform templates)', () => {
    clean(jsonpath({ A: { Type: 'Task', Resource: 'arn:${Partition}:states:::batch:submitJob.sync', Next: 'B' }, B: { Type: 'Task', Resource: 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f', End: true } }));
  });

  it('still reports an ARN that is wrong outside its placeholders', () => {
    const text = jsonpath({ A: { Type: 'Task', Resource: 'arn:${Partition}', End: true } });
    oneAt(text, '"arn:${Partition}"', 'is not a valid ARN');
  });
});

describe('ASL: JSONata Output and templates hold any JSON value', () => {
  it('accepts an Output that is an array, a number, true/false, null or a plain string, in a state and in a Catch', () => {
    clean(jsonata({
      A: { Type: 'Pass', Output: [1, 'two', '{% $states.input.x %}'], Next: 'B' },
      B: { Type: 'Pass', Output: 42, Next: 'C' },
      C: { Type: 'Pass', Output: null, Next: 'D' },
      D: { Type: 'Pass', Output: false, Next: 'E' },
      E: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f' }, Catch: [{ ErrorEquals: ['States.ALL'], Output: ['failed'], Next: 'F' }], Next: 'F' },
      F: { Type: 'Succeed', Output: 'done' },
    }));
  });

  it('accepts arrays of scalars and arrays of arrays inside Arguments, Output and Assign', () => {
    clean(jsonata({ A: { ...lambda({ FunctionName: 'f', Payload: { m: [[1, 2], ['{% $x %}', 'a']], e: [] } }), End: undefined, Next: 'B' }, B: pass({ Assign: { list: [1, 'two', null, [3]] }, Output: { rows: [[1], [2]] } }) }));
  });

  it('still reports a whole Output string with only one delimiter, a broken expression', () => {
    oneAt(jsonata({ A: pass({ Output: '{% 10 %' }) }), '"{% 10 %"', 'has only one of the JSONata delimiters');
    oneAt(jsonata({ A: pass({ Output: '10 %}' }) }), '"10 %}"', 'has only one of the JSONata delimiters');
    clean(jsonata({ A: pass({ Output: '100% done' }) }));
  });

  it('still checks every JSONata expression inside those values', () => {
    oneAt(jsonata({ A: pass({ Output: [1, '{% 1 + %}'] }) }), '"{% 1 + %}"', 'is not a valid JSONata expression');
    oneAt(jsonata({ A: pass({ Assign: { list: [['{% $sum( %}']] } }) }), '"{% $sum( %}"', 'is not a valid JSONata expression');
  });
});

describe('ASL: Resource ARNs in every partition Step Functions runs in', () => {
  it('accepts the isolated and sovereign partitions, not only aws, aws-cn and aws-us-gov', () => {
    clean(jsonpath({
      A: { Type: 'Task', Resource: 'arn:aws-iso:lambda:us-iso-east-1:123456789012:function:f', Next: 'B' },
      B: { Type: 'Task', Resource: 'arn:aws-iso-b:states:::lambda:invoke', Next: 'C' },
      C: { Type: 'Task', Resource: 'arn:aws-eusc:states:eusc-de-east-1:123456789012:activity:a', End: true },
    }));
  });

  it('still reports a partition that is no AWS partition, and a malformed ARN in another partition', () => {
    let text = jsonpath({ A: { Type: 'Task', Resource: 'arn:azure:lambda:us-east-1:123456789012:function:f', End: true } });
    oneAt(text, '"arn:azure:lambda:us-east-1:123456789012:function:f"', 'is not a valid ARN');
    text = jsonpath({ A: { Type: 'Task', Resource: 'arn:aws-iso:lambda:us-iso-east-1:12345678901x:function:f', End: true } });
    oneAt(text, '"arn:aws-iso:lambda:us-iso-east-1:12345678901x:function:f"', 'is not a valid ARN');
  });
});

describe('ASL: Distributed Map ResultWriter', () => {
  it('accepts WriterConfig alone, Resource with Parameters, and all three', () => {
    const writer = { WriterConfig: { OutputType: 'JSONL', Transformation: 'FLATTEN' } };
    const export_ = { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } };
    clean(jsonpath({ M: distributedMap(writer) }));
    clean(jsonpath({ M: distributedMap(export_) }));
    clean(jsonpath({ M: distributedMap({ ...writer, ...export_ }) }));
    clean(jsonata({ M: distributedMap(writer) }));
  });

  it('reports an empty ResultWriter and a WriterConfig value outside its enum', () => {
    let text = jsonpath({ M: distributedMap({}) });
    let { diagnostics } = lintAsl(text);
    assert.equal(diagnostics.length, 1, show(diagnostics));
    assert.match(diagnostics[0].message, /ResultWriter must be an object with "WriterConfig" or an object with "Resource"/);
    text = jsonpath({ M: distributedMap({ WriterConfig: { OutputType: 'CSV' } }) });
    oneAt(text, '"CSV"', '"JSON" or "JSONL"');
  });
});

describe('ASL schema overlays', () => {
  it('each names its reason and fails the build when asl-validator changes the node it replaces', () => {
    const files: Record<string, Record<string, unknown>> = {};
    for (const name of new Set(ASL_SCHEMA_OVERLAYS.map((o) => o.file))) files[name] = require(`asl-validator/dist/src/schemas/${name}.json`);
    for (const o of ASL_SCHEMA_OVERLAYS) assert.ok(o.reason.length > 40, `${o.file}#${o.pointer} has no reason`);
    assert.doesNotThrow(() => applySchemaOverlays(files));
    const changed = structuredClone(files);
    (changed.jsonata as { definitions: { jsonata: { pattern: string } } }).definitions.jsonata.pattern = '^\\{%.+%\\}$';
    assert.throws(() => applySchemaOverlays(changed), /jsonata\.json#\/definitions\/jsonata changed shape/);
  });
});
