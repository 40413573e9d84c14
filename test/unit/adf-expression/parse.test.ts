import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAdfValue, parseAdfExpression, isAdfExpressionString, MAX_EXPRESSION_DEPTH } from '../../../src/core/adf/expression/parse';
import type { CallNode, ExprError, ExprNode, MemberNode } from '../../../src/core/adf/expression/ast';

function expr(value: string): ExprNode {
  const r = parseAdfValue(value);
  assert.deepEqual(r.errors, [], `unexpected errors for ${value}`);
  assert.equal(r.value.kind, 'expression');
  if (r.value.kind !== 'expression' || !r.value.expr) throw new Error('no expression');
  return r.value.expr;
}

function onlyError(value: string): ExprError {
  const r = parseAdfValue(value);
  assert.equal(r.errors.length, 1, `expected one error for ${value}, got ${JSON.stringify(r.errors)}`);
  return r.errors[0];
}

/** Expressions taken from the Microsoft ADF documentation and real pipelines: all must parse cleanly. */
const REAL_EXPRESSIONS = [
  '@pipeline().parameters.password',
  "@concat('Answer is: ', string(pipeline().parameters.myNumber))",
  "@activity('Web1').output.data",
  "@activity('activityName').output.subfield1.subfield2[pipeline().parameters.subfield3].subfield4",
  "@concat('Test_',  formatDateTime(utcnow(), 'yyyy-dd-MM'))",
  "@concat('Test_',  convertFromUtc(utcnow(), 'Pacific Standard Time'))",
  "@concat('Test_',  pipeline().TriggerTime)",
  "@uriComponentToString(replace(uriComponent(variables('companyName')), '%0A', ''))",
  "@concat('Baba', '''s ', 'book store')",
  '@dataset().path',
  '@range(0,10)',
  "@activity('Lookup1').output.firstRow.col",
  '@item().name',
  "@if(equals(variables('v'),'x'), 'a', 'b')",
  "@formatDateTime(utcNow(), 'yyyy-MM-dd')",
  '@json(string(pipeline().parameters.obj))',
  "@addDays('2018-03-15T00:00:00Z', -5)",
  '@sub(10.3, .3)',
  '@coalesce(null, true, false)',
  "@activity('Get Metadata1').output.childItems",
  "@greater(activity('Lookup1').output.count, 0)",
  "@activity('A').output?.value?[0]?['name']",
  "@and(equals(1, 1), or(less(1, 2), not(true)))",
  "@split(pipeline().parameters.list, ',')[0]",
  "@createArray('h', 'e', 'l', 'l', 'o')",
  "@xpath(xml(pipeline().parameters.doc), 'sum(/produce/item/count)')",
  '@trigger().outputs.body.fileName',
  '@triggerBody().folderPath',
  '@linkedService().accountName',
  '@pipeline().globalParameters.environment',
  "@guid('P')",
  '@mul(1.5, 2)',
  "@concat(\n  'a',\n  pipeline().parameters.b\n)",
  "@activity('Until1').output",
  '@max(createArray(1, 2, 3))',
  "@addToTime('2018-01-01T00:00:00Z', 1, 'Day', 'D')",
];

test('real ADF expressions parse without errors', () => {
  for (const e of REAL_EXPRESSIONS) {
    const r = parseAdfValue(e);
    assert.deepEqual(r.errors, [], e);
    assert.equal(r.value.kind, 'expression', e);
  }
});

test('@concat with a parameter: call node, arguments and offsets', () => {
  const node = expr("@concat('a', pipeline().parameters.x)") as CallNode;
  assert.equal(node.kind, 'call');
  assert.equal(node.name, 'concat');
  assert.deepEqual({ offset: node.offset, length: node.length }, { offset: 1, length: 36 });
  assert.equal(node.args.length, 2);
  assert.deepEqual(node.args[0], { kind: 'string', value: 'a', offset: 8, length: 3 });
  const member = node.args[1] as MemberNode;
  assert.equal(member.kind, 'member');
  assert.equal(member.name, 'x');
  assert.deepEqual(member.nameSpan, { offset: 35, length: 1 });
  assert.equal((member.object as MemberNode).name, 'parameters');
});

test('@@ at the start escapes a literal @', () => {
  assert.deepEqual(parseAdfValue('@@literal'), { value: { kind: 'literal', text: '@literal' }, errors: [] });
  assert.deepEqual(parseAdfValue('@@'), { value: { kind: 'literal', text: '@' }, errors: [] });
  assert.deepEqual(parseAdfValue(' @'), { value: { kind: 'literal', text: ' @' }, errors: [] });
  assert.deepEqual(parseAdfValue('parameters[1]'), { value: { kind: 'literal', text: 'parameters[1]' }, errors: [] });
});

test('@@{ inside text is a literal @{', () => {
  const r = parseAdfValue('Answer is: @@{pipeline().parameters.myNumber}');
  assert.deepEqual(r, { value: { kind: 'literal', text: 'Answer is: @{pipeline().parameters.myNumber}' }, errors: [] });
  assert.equal(isAdfExpressionString('Answer is: @@{pipeline().parameters.myNumber}'), false);
});

test('@{…} alone is an interpolation (result is a string), not a whole expression', () => {
  const r = parseAdfValue('@{pipeline().RunId}');
  assert.deepEqual(r.errors, []);
  assert.equal(r.value.kind, 'interpolation');
  if (r.value.kind !== 'interpolation') return;
  assert.equal(r.value.segments.length, 1);
  assert.deepEqual({ kind: r.value.segments[0].kind, offset: r.value.segments[0].offset, length: r.value.segments[0].length }, { kind: 'interpolation', offset: 0, length: 19 });
});

test('interpolation segments and their offsets', () => {
  const v = 'First Name: @{pipeline().parameters.firstName} Last Name: @{pipeline().parameters.lastName}';
  const r = parseAdfValue(v);
  assert.deepEqual(r.errors, []);
  if (r.value.kind !== 'interpolation') assert.fail('not an interpolation');
  const kinds = r.value.segments.map((s) => [s.kind, s.offset, s.length]);
  assert.deepEqual(kinds, [
    ['text', 0, 12],
    ['interpolation', 12, 34],
    ['text', 46, 12],
    ['interpolation', 58, 33],
  ]);
  assert.equal(v.slice(58, 58 + 33), '@{pipeline().parameters.lastName}');
});

test('a closing brace inside a string literal does not end the interpolation', () => {
  const r = parseAdfValue("x @{concat('}', 'y')} z");
  assert.deepEqual(r.errors, []);
  if (r.value.kind !== 'interpolation') assert.fail('not an interpolation');
  assert.deepEqual(r.value.segments.map((s) => s.kind), ['text', 'interpolation', 'text']);
  assert.equal(r.value.segments[2].kind === 'text' && r.value.segments[2].text, ' z');
});

test('JSON text written in the dynamic content editor (the docs example)', () => {
  const v = "{ \n  \"type\": \"@{if(equals(1, 2), 'Blob', 'Table' )}\",\n  \"name\": \"@{toUpper('myData')}\"\n}";
  const r = parseAdfValue(v);
  assert.deepEqual(r.errors, []);
  assert.equal(r.value.kind, 'interpolation');
});

test("string literals: doubled quotes, empty string, text with @ and {", () => {
  const node = expr("@concat('Baba', '''s ', '', '@{x}')") as CallNode;
  assert.deepEqual(node.args.map((a) => (a.kind === 'string' ? a.value : null)), ['Baba', "'s ", '', '@{x}']);
});

test('numbers: integers, floats, negatives, leading dot, exponent', () => {
  const node = expr('@createArray(1, -5, 1.5, .3, -0.25, 1e3)') as CallNode;
  assert.deepEqual(
    node.args.map((a) => (a.kind === 'number' ? [a.value, a.isInteger] : null)),
    [[1, true], [-5, true], [1.5, false], [0.3, false], [-0.25, false], [1000, false]],
  );
});

test('true, false and null literals', () => {
  const node = expr('@coalesce(null, true, FALSE)') as CallNode;
  assert.deepEqual(node.args.map((a) => a.kind), ['null', 'boolean', 'boolean']);
});

test('null-safe member and index access', () => {
  const node = expr("@activity('A').output?.value?[0]");
  assert.equal(node.kind, 'index');
  if (node.kind !== 'index') return;
  assert.equal(node.nullSafe, true);
  assert.equal(node.object.kind === 'member' && node.object.nullSafe, true);
});

test('function names are case-insensitive and resolve to the canonical spelling', () => {
  const node = expr('@UTCNOW()') as CallNode;
  assert.equal(node.canonicalName, 'utcNow');
});

test('bare expression parsing (no @)', () => {
  const r = parseAdfExpression("equals(pipeline().parameters.env, 'prod')");
  assert.deepEqual(r.errors, []);
  assert.equal(r.expr?.kind, 'call');
  assert.equal(parseAdfExpression('   ').errors.length, 1);
});

test('isAdfExpressionString', () => {
  assert.equal(isAdfExpressionString('@x()'), true);
  assert.equal(isAdfExpressionString('a @{x()} b'), true);
  assert.equal(isAdfExpressionString('@@x'), false);
  assert.equal(isAdfExpressionString('user@example.com'), false);
  assert.equal(isAdfExpressionString('plain'), false);
});

// ---- Errors, with exact ranges

test('unclosed parenthesis: names the function and says what to add', () => {
  const e = onlyError("@concat('a', 'b'");
  assert.equal(e.code, 'syntax');
  assert.deepEqual([e.offset, e.length], [1, 7]);
  assert.match(e.message, /Unclosed parenthesis in call to concat: add '\)'/);
});

test('missing comma between arguments', () => {
  const e = onlyError("@concat('a, 'b')");
  assert.deepEqual([e.offset, e.length], [13, 1]);
  assert.match(e.message, /Expected ',' or '\)' after argument 1 of concat, found 'b'/);
});

test('unknown function, with a suggestion', () => {
  const e = onlyError("@concatt('a')");
  assert.equal(e.code, 'unknown-function');
  assert.deepEqual([e.offset, e.length], [1, 7]);
  assert.match(e.message, /Unknown function 'concatt'\. Did you mean 'concat'\?/);
});

test('wrong number of arguments for a known function', () => {
  const e = onlyError("@substring('abc')");
  assert.equal(e.code, 'arity');
  assert.deepEqual([e.offset, e.length], [1, 16]);
  assert.match(e.message, /'substring' takes 2 to 3 arguments, but 1 was given/);
  assert.equal(onlyError('@pipeline(1)').code, 'arity');
  assert.equal(onlyError("@if(true, 'a')").code, 'arity');
  assert.match(onlyError("@variables('a', 'b')").message, /takes 1 argument, but 2 were given/);
});

test('unclosed interpolation', () => {
  const e = onlyError('x @{pipeline().RunId');
  assert.deepEqual([e.offset, e.length], [2, 2]);
  assert.match(e.message, /Unclosed interpolation '@\{': add '\}'/);
});

test('empty interpolation and empty expression', () => {
  assert.match(onlyError('a @{ } b').message, /Empty interpolation/);
  const e = onlyError('@');
  assert.deepEqual([e.offset, e.length], [0, 1]);
  assert.match(e.message, /'@@' for a literal '@'/);
});

test('double-quoted strings get a single-quote hint at the exact range', () => {
  const e = onlyError('@concat("a", \'b\')');
  assert.deepEqual([e.offset, e.length], [8, 3]);
  assert.match(e.message, /single quotes/);
});

test('operators are explained: use the function instead', () => {
  const eq = onlyError('@equals(1, 2) == true');
  assert.equal(eq.offset, 14);
  assert.match(eq.message, /equals\(a, b\)/);
  const plus = onlyError("@concat('a' + 'b')");
  assert.equal(plus.offset, 12);
  assert.match(plus.message, /concat\(a, b\)/);
});

test('unclosed string literal spans from its quote to the end', () => {
  const e = onlyError("@concat('abc");
  assert.deepEqual([e.offset, e.length], [8, 4]);
  assert.match(e.message, /Unclosed string/);
});

test('a function used without parentheses', () => {
  const e = onlyError('@pipeline.parameters.x');
  assert.deepEqual([e.offset, e.length], [1, 8]);
  assert.match(e.message, /'pipeline' is a function: call it with parentheses, e\.g\. pipeline\(\)/);
});

test('a stray @ inside an expression', () => {
  const e = onlyError('@concat(@pipeline().RunId)');
  assert.equal(e.offset, 8);
  assert.match(e.message, /Remove this '@'/);
});

test('a dot without a property name, an unclosed index', () => {
  const e = onlyError("@activity('A').output.");
  assert.deepEqual([e.offset, e.length], [21, 1]);
  assert.match(e.message, /Expected a property name after '\.'/);
  assert.match(onlyError('@item()[0').message, /Unclosed '\['/);
});

test('two expressions inside one interpolation', () => {
  const e = onlyError("@{ 'a' 'b' }");
  assert.equal(e.offset, 7);
  assert.match(e.message, /Expected '\}' to close the interpolation/);
});

test('after a broken interpolation, later interpolations are still parsed', () => {
  const r = parseAdfValue("a @{concat('x'} b @{pipeline().RunId}");
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].offset, 14);
  if (r.value.kind !== 'interpolation') assert.fail('not an interpolation');
  const last = r.value.segments[r.value.segments.length - 1];
  assert.equal(last.kind === 'interpolation' && last.expr?.kind, 'member');
});

test('nesting beyond the depth cap is an error, not a stack overflow', () => {
  const deep = '@' + 'concat('.repeat(MAX_EXPRESSION_DEPTH + 5) + "'a'" + ')'.repeat(MAX_EXPRESSION_DEPTH + 5);
  const r = parseAdfValue(deep);
  assert.ok(r.errors.some((e) => e.code === 'too-deep'));
  const veryDeep = '@' + 'concat('.repeat(100000);
  assert.ok(parseAdfValue(veryDeep).errors.length > 0);
  const ok = '@' + 'concat('.repeat(MAX_EXPRESSION_DEPTH - 1) + "'a'" + ')'.repeat(MAX_EXPRESSION_DEPTH - 1);
  assert.deepEqual(parseAdfValue(ok).errors, []);
});

test('very long property chains parse without recursion', () => {
  const r = parseAdfValue('@pipeline().parameters' + '.a'.repeat(50000));
  assert.deepEqual(r.errors, []);
});
