import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAdfValue } from '../../../src/core/adf/expression/parse';
import { analyzeAdfString } from '../../../src/core/adf/expression/references';
import { evaluateAdfString, ExpressionEvaluationError } from '../../../src/core/adf/expression/evaluate';
import { expressionsOf, walkExpr, type Span } from '../../../src/core/adf/expression/ast';

/** Fragments that make generated strings look like (broken) ADF expressions. */
const FRAGMENTS = [
  '@', '@@', '@{', '}', '{', '(', ')', "'", "''", ',', '.', '?.', '?[', '[', ']', ' ', '\n', '-', '1', '2.5', '.3',
  'concat', 'pipeline()', '.parameters', '.x', 'activity', "('A')", 'variables', 'item()', 'if', 'equals', 'true', 'null',
  'utcNow()', 'formatDateTime', "'yyyy'", 'json', 'string', 'int', 'div', 'add', '"', '+', '==', 'é', '😀', '\\',
];

const adfLike = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join(''));
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), adfLike, adfLike.map((s) => '@' + s));

function inside(span: Span, length: number): boolean {
  return Number.isInteger(span.offset) && Number.isInteger(span.length) && span.offset >= 0 && span.length >= 0 && span.offset + span.length <= length;
}

test('property: the parser never throws and every error and node range lies inside the string', () => {
  fc.assert(
    fc.property(anyString, (s) => {
      const parsed = parseAdfValue(s);
      for (const e of parsed.errors) {
        assert.ok(inside(e, s.length), `error ${JSON.stringify(e)} outside ${JSON.stringify(s)}`);
        assert.ok(e.message.length > 10);
      }
      for (const root of expressionsOf(parsed.value)) {
        walkExpr(root, (n) => assert.ok(inside(n, s.length), `node ${n.kind} outside ${JSON.stringify(s)}`));
      }
      const analysis = analyzeAdfString(s);
      for (const e of analysis.errors) assert.ok(inside(e, s.length));
      const r = analysis.references;
      for (const ref of [...r.parameters, ...r.globalParameters, ...r.variables, ...r.activities, ...r.systemVariables]) {
        assert.ok(inside(ref.span, s.length) && inside(ref.nameSpan, s.length));
      }
    }),
    { numRuns: 3000 },
  );
});

test('property: evaluation either returns a value or throws ExpressionEvaluationError with a range inside the string', () => {
  const ctx = {
    pipeline: { parameters: { x: 'X' }, RunId: 'r' },
    variables: { v: 1 },
    activityOutputs: (n: string) => (n === 'A' ? { value: [1] } : undefined),
    now: () => new Date('2020-01-01T00:00:00Z'),
    random: () => 0.25,
  };
  fc.assert(
    fc.property(anyString, (s) => {
      try {
        evaluateAdfString(s, ctx);
      } catch (e) {
        assert.ok(e instanceof ExpressionEvaluationError, `raw exception ${String(e)} for ${JSON.stringify(s)}`);
        if (e.offset !== undefined) assert.ok(inside({ offset: e.offset, length: e.length ?? 0 }, s.length));
      }
    }),
    { numRuns: 2000 },
  );
});

test('property: any text survives a round trip through a quoted string literal', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
      const literal = `'${text.replace(/'/g, "''")}'`;
      const parsed = parseAdfValue(`@${literal}`);
      assert.deepEqual(parsed.errors, []);
      assert.equal(parsed.value.kind === 'expression' && parsed.value.expr?.kind === 'string' && parsed.value.expr.value, text);
      assert.equal(evaluateAdfString(`@concat(${literal}, '')`, {}), text);
    }),
  );
});

test('property: text without @ is a literal, unchanged', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('@')), (s) => {
      assert.deepEqual(parseAdfValue(s), { value: { kind: 'literal', text: s }, errors: [] });
      assert.equal(evaluateAdfString(s, {}), s);
    }),
  );
});
