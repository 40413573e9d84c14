// The stand-in the build gives asl-path-validator for jsonpath-plus (src/core/asl/path-ast-query.ts)
// must answer its three queries exactly as jsonpath-plus does, on the trees its parser makes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { JSONPath as jsonpathPlus } from 'jsonpath-plus';
import { JSONPath as pathAstQuery } from '../../../src/core/asl/path-ast-query';
import { ROOT, bridge, parseReport, tempDir, type JsonReport } from '../cli/support';

const { parse } = require('asl-path-validator/dist/generated/aslPaths') as { parse: (path: string) => unknown };

// asl-path-validator/dist/ast.js, word for word.
const QUERIES = ['$..[atmark,wildcard,negOffset,slice,recursiveDescent,multipleIndex,filter]', '$..[func]', '$..[var]'];

const PATHS = [
  '$',
  '$.a.b',
  '$$.Execution.Id',
  '$$.Map.Item.Value',
  '$..a',
  '$.a[?(@.b == 1)]',
  '$.items[?(@.id == $.wanted)]',
  '$.a[0:2]',
  '$.a[-1]',
  '$.a[*]',
  '$.a[0,1]',
  "$.a['x','y']",
  '$.a[0].b',
  "$['with space']",
  '$var.x',
  '$var',
  "States.Format('{}-{}', $.a, $$.Execution.Name)",
  'States.StringToJson($.body)',
  'States.ArrayGetItem(States.Array($.a, $.b), 0)',
  "States.Format('{}', States.JsonToString($.x[0]))",
  'States.MathAdd($.n, -1)',
  'States.UUID()',
];

test('path-ast-query: every query asl-path-validator makes gets jsonpath-plus\'s answer, on every kind of path', () => {
  let parsed = 0;
  for (const p of PATHS) {
    let ast: unknown;
    try {
      ast = parse(p);
    } catch {
      continue; // the validator answers "not valid" before it asks anything
    }
    parsed++;
    for (const q of QUERIES) {
      const expected = jsonpathPlus({ path: q, json: ast as object });
      const actual = pathAstQuery({ path: q, json: ast });
      assert.equal(actual.length > 0, expected.length > 0, `${q} on ${p}`);
      assert.deepEqual(actual.map((v) => JSON.stringify(v)).sort(), (expected as unknown[]).map((v) => JSON.stringify(v)).sort(), `${q} on ${p}`);
    }
  }
  assert.ok(parsed >= 18, `only ${parsed} of the paths parsed: the grammar changed`);
});

test('path-ast-query refuses a query it was not written for, so a new asl-path-validator cannot be answered wrongly', () => {
  assert.throws(() => pathAstQuery({ path: '$.a[?(@.b)]', json: {} }), /answers only/);
  assert.throws(() => pathAstQuery({ path: '$..func', json: {} }), /answers only/);
});

test('the packaged bridge (asl-path-validator on path-ast-query) reports every path of a definition as the sources do (on jsonpath-plus)', async () => {
  const dir = tempDir('path-ast-query');
  try {
    // Each path in a field where asl-path-validator asks one of its queries: functions are refused
    // in InputPath, ResultPath and OutputPath; filters, slices and wildcards in ResultPath.
    const states: Record<string, unknown> = {};
    const fields: [string, string][] = [];
    for (const p of PATHS) for (const field of ['InputPath', 'ResultPath', 'OutputPath']) fields.push([field, p]);
    fields.push(['Parameters', "States.Format('{}', $var.x)"], ['Parameters', 'States.Array($..a)']);
    fields.forEach(([field, p], i) => {
      const name = `S${i}`;
      const state: Record<string, unknown> = { Type: 'Pass' };
      if (field === 'Parameters') state.Parameters = { 'v.$': p };
      else state[field] = p;
      if (i < fields.length - 1) state.Next = `S${i + 1}`;
      else state.End = true;
      states[name] = state;
    });
    fs.writeFileSync(path.join(dir, 'm.asl.json'), JSON.stringify({ StartAt: 'S0', States: states }, null, 2));
    fs.writeFileSync(
      path.join(dir, 'x.bridge.jsonc'),
      JSON.stringify({ version: 1, aws: { accountId: '123456789012', region: 'eu-west-1' }, links: { l: { trigger: 's3-to-sfn', s3: { bucket: 'abc', prefix: 'p/' }, stateMachine: { arn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:M', definition: './m.asl.json' }, identity: { awsRoleArn: 'arn:aws:iam::123456789012:role/r' } } } }),
    );
    const sources = await bridge(['lint', '--format', 'json', dir]);
    const spawned = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'bridge.js'), 'lint', '--format', 'json', dir], { encoding: 'utf8' });
    const codes = (report: JsonReport) => report.files.flatMap((f) => f.diagnostics.map((d) => `${path.basename(f.path)} ${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`));
    const expected = codes(parseReport(sources.stdout));
    assert.ok(expected.filter((c) => c.includes('m.asl.json')).length >= 10, `the definition should hold refused paths:\n${expected.join('\n')}`);
    assert.deepEqual(codes(parseReport(spawned.stdout)), expected);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
