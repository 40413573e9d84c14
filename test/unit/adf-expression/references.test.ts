import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeAdfString } from '../../../src/core/adf/expression/references';
import { expressionStrings, forEachExpressionString, isExpressionObject } from '../../../src/core/adf/expression/json-strings';
import { parseJson, nodeAt } from '../../../src/core/json/jsonc';
import { SourceText } from '../../../src/core/text';

test('pipeline parameter reference with the range of its name', () => {
  const v = "@concat('x', pipeline().parameters.correlationId)";
  const a = analyzeAdfString(v);
  assert.deepEqual(a.errors, []);
  assert.equal(a.isExpression, true);
  assert.equal(a.isWholeExpression, true);
  assert.equal(a.references.parameters.length, 1);
  const p = a.references.parameters[0];
  assert.equal(p.name, 'correlationId');
  assert.equal(v.slice(p.nameSpan.offset, p.nameSpan.offset + p.nameSpan.length), 'correlationId');
  assert.equal(v.slice(p.span.offset, p.span.offset + p.span.length), 'pipeline().parameters.correlationId');
});

test("bracket access pipeline().parameters['name'] is a parameter reference too", () => {
  const v = "@pipeline().parameters['my p']";
  const p = analyzeAdfString(v).references.parameters[0];
  assert.equal(p.name, 'my p');
  assert.deepEqual(p.nameSpan, { offset: 24, length: 4 });
});

test('global parameters, variables, activities, item()', () => {
  const v = "@if(equals(variables('v'), pipeline().globalParameters.env), activity('Lookup 1').output, item())";
  const r = analyzeAdfString(v).references;
  assert.deepEqual(r.globalParameters.map((g) => g.name), ['env']);
  assert.deepEqual(r.variables.map((x) => x.name), ['v']);
  assert.deepEqual(r.variables[0].nameSpan, { offset: 22, length: 1 });
  assert.deepEqual(r.activities.map((x) => x.name), ['Lookup 1']);
  const act = r.activities[0];
  assert.equal(v.slice(act.nameSpan.offset, act.nameSpan.offset + act.nameSpan.length), 'Lookup 1');
  assert.equal(r.items.length, 1);
  assert.equal(v.slice(r.items[0].offset, r.items[0].offset + r.items[0].length), 'item()');
  assert.deepEqual(r.parameters, []);
});

test('system variables, case-insensitively, with the canonical spelling', () => {
  const v = '@{pipeline().RunId}/@{pipeline().triggertime}/@{pipeline().TriggeredByPipelineRunId}';
  const r = analyzeAdfString(v);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.references.systemVariables.map((s) => [s.name, s.variable]), [
    ['RunId', 'RunId'],
    ['triggertime', 'TriggerTime'],
    ['TriggeredByPipelineRunId', 'TriggeredByPipelineRunId'],
  ]);
});

test('an unknown pipeline() property is an error at the property name', () => {
  const a = analyzeAdfString('@pipeline().RunID2');
  assert.equal(a.errors.length, 1);
  assert.equal(a.errors[0].code, 'unknown-property');
  assert.deepEqual([a.errors[0].offset, a.errors[0].length], [12, 6]);
  assert.match(a.errors[0].message, /pipeline\(\) has no property 'RunID2'/);
});

test('names computed at run time are reported as dynamic references', () => {
  const r = analyzeAdfString("@{variables(concat('a', 'b'))} @{pipeline().parameters[variables('key')]}").references;
  assert.deepEqual(r.dynamic.map((d) => d.kind), ['variable', 'parameter']);
  assert.deepEqual(r.variables.map((x) => x.name), ['key']);
});

test('a correlation id forwarded in an interpolated JSON body', () => {
  const body = '{"correlationId":"@{pipeline().parameters.correlationId}","runId":"@{pipeline().RunId}"}';
  const a = analyzeAdfString(body);
  assert.equal(a.isExpression, true);
  assert.equal(a.isWholeExpression, false);
  assert.deepEqual(a.references.parameters.map((p) => p.name), ['correlationId']);
  assert.deepEqual(a.references.systemVariables.map((s) => s.variable), ['RunId']);
});

test('literals have no references and are not expressions', () => {
  for (const v of ['plain text', '@@pipeline().RunId', 'mail@example.com', 'a @@{pipeline().RunId}']) {
    const a = analyzeAdfString(v);
    assert.equal(a.isExpression, false, v);
    assert.deepEqual(a.references.systemVariables, [], v);
  }
});

test('calls lists every known function by canonical name', () => {
  const r = analyzeAdfString("@formatDateTime(UTCNOW(), 'yyyy')").references;
  assert.deepEqual(r.calls.map((c) => c.name), ['formatDateTime', 'utcNow']);
});

// ---- The JSON walk

const PIPELINE = `{
  "name": "RetrainModel",
  "properties": {
    "activities": [
      {
        "name": "StartRetrain",
        "type": "WebActivity",
        "typeProperties": {
          "url": "https://example.invalid/retrain",
          "method": "POST",
          "headers": { "x-correlation-id": "@{pipeline().parameters.correlationId}", "@notAnExpressionKey": "plain" },
          "body": {
            "value": "{\\"id\\": \\"@{pipeline().parameters.correlationId}\\", \\"when\\": \\"@{concatt('a')}\\"}",
            "type": "Expression"
          },
          "extra": ["@@escaped", "@variables('v')"]
        }
      }
    ]
  }
}`;

test('forEachExpressionString finds plain and Expression-object strings, with file ranges', () => {
  const src = new SourceText('/ws/pipeline/RetrainModel.json', PIPELINE);
  const { root, syntax } = parseJson(src, { strict: true });
  assert.deepEqual(syntax, []);
  const tp = nodeAt(root, ['properties', 'activities', 0, 'typeProperties']);
  const found = expressionStrings(tp, src);
  assert.deepEqual(found.map((f) => f.path.join('.')), ['headers.x-correlation-id', 'body.value', 'extra.1']);

  const body = found[1];
  assert.ok(body.expressionObject, 'the Expression object is reported');
  assert.equal(isExpressionObject(body.expressionObject), true);
  assert.equal(found[0].expressionObject, undefined);

  // The parameter name inside the escaped JSON body maps to the exact file text.
  const p = body.analysis.references.parameters[0];
  const o = body.sourceOffsets(p.nameSpan);
  assert.equal(PIPELINE.slice(o.offset, o.offset + o.length), 'correlationId');
  const wholeRef = body.sourceOffsets(p.span);
  assert.equal(PIPELINE.slice(wholeRef.offset, wholeRef.offset + wholeRef.length), 'pipeline().parameters.correlationId');

  // The error after several \" escapes lands on `concatt` in the file.
  assert.equal(body.analysis.errors.length, 1);
  const e = body.analysis.errors[0];
  const eo = body.sourceOffsets(e);
  assert.equal(PIPELINE.slice(eo.offset, eo.offset + eo.length), 'concatt');
  const range = body.sourceRange(e);
  const line = PIPELINE.split('\n')[range.start.line];
  assert.equal(line.slice(range.start.character, range.end.character), 'concatt');
});

test('includeLiterals visits every string value, and keys are never visited', () => {
  const src = new SourceText('/p.json', PIPELINE);
  const { root } = parseJson(src, { strict: true });
  const values: string[] = [];
  forEachExpressionString(root, src, (s) => values.push(s.value), { includeLiterals: true });
  assert.ok(values.includes('RetrainModel'));
  assert.ok(values.includes('@@escaped'));
  assert.ok(!values.includes('@notAnExpressionKey'));
});

test('walking undefined or a deep tree does not throw', () => {
  const src = new SourceText('/x.json', '[]');
  assert.deepEqual(expressionStrings(undefined, src), []);
  const deep = '['.repeat(200) + '"@pipeline().RunId"' + ']'.repeat(200);
  const dsrc = new SourceText('/d.json', deep);
  const { root } = parseJson(dsrc, { strict: true });
  const found = expressionStrings(root, dsrc);
  assert.equal(found.length, 1);
  assert.equal(found[0].path.length, 200);
});
