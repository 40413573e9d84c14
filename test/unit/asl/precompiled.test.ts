// The ASL validators are compiled at build time (src/core/asl/compile-schemas.ts); these tests
// check that the generated module and the run-time pieces it refers to agree, so a changed
// asl-validator or a renamed format fails here rather than as a TypeError in a user's lint.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { aslFormats } from '../../../src/core/asl/formats';
import { aslSchemas } from '../../../src/core/asl/schemas';
import { QUERY_LANGUAGES, STATE_TYPES } from '../../../src/core/asl/model';
import { lintAsl, pretty } from './support';

const GENERATED = path.join(__dirname, '..', '..', '..', '..', 'src', 'core', 'asl', 'generated', 'validators.ts');

describe('precompiled ASL validators', () => {
  it('every format the generated code calls exists, with the kind it was compiled against', () => {
    const code = readFileSync(GENERATED, 'utf8');
    const used = new Set([...code.matchAll(/aslFormats(?:\.([a-z_]+)|\["([^"]+)"\])/g)].map((m) => m[1] ?? m[2]));
    assert.ok(used.has('asl_path') && used.has('date-time'), `unexpected format references: ${[...used].join(', ')}`);
    for (const name of used) {
      const format = aslFormats[name];
      assert.ok(format, `the generated validators call format ${name}, which src/core/asl/formats.ts lacks`);
      // ajv compiles a call for a function and `.validate` for an object: the kind must not change.
      assert.ok(typeof format === 'function' || typeof (format as { validate?: unknown }).validate === 'function', name);
    }
  });

  it('has a validator and a field list for every state type in both query languages', () => {
    const schemas = aslSchemas();
    for (const type of STATE_TYPES) {
      for (const lang of QUERY_LANGUAGES) {
        assert.equal(typeof schemas.state(type, lang), 'function', `${type}/${lang}`);
        assert.ok(schemas.fields(type, lang).includes('Type'), `${type}/${lang} fields: ${schemas.fields(type, lang).join(',')}`);
      }
    }
    assert.ok(schemas.choiceOperators.includes('StringEquals') && schemas.choiceOperators.includes('NumericLessThanPath'));
  });

  it('runs the formats: a bad path, a bad JSONata expression and a bad timestamp are each reported', () => {
    const { diagnostics } = lintAsl(
      pretty({
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', InputPath: 'no-dollar', Next: 'B' },
          B: { Type: 'Wait', Timestamp: 'yesterday-ish', Next: 'C' },
          C: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input. %}', End: true },
        },
      }),
    );
    const messages = diagnostics.map((d) => d.message).join('\n');
    assert.match(messages, /InputPath/, messages);
    assert.match(messages, /Timestamp/, messages);
    assert.match(messages, /Output/, messages);
    assert.equal(diagnostics.length, 3, messages);
  });

  it('accepts plain dotted paths in every path field and still reports near misses of them', () => {
    const plain = lintAsl(
      pretty({
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', InputPath: '$', OutputPath: '$.a.b_2', ResultPath: '$.result', Parameters: { 'x.$': '$.input.x' }, Next: 'B' },
          B: { Type: 'Wait', SecondsPath: '$.wait.seconds', End: true },
        },
      }),
    );
    assert.deepEqual(plain.diagnostics.map((d) => d.message), []);
    const nearMisses = lintAsl(
      pretty({
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', InputPath: '$.a.', Next: 'B' },
          B: { Type: 'Pass', ResultPath: '$.', Next: 'C' },
          C: { Type: 'Wait', SecondsPath: '$.a.', End: true },
        },
      }),
    );
    const messages = nearMisses.diagnostics.map((d) => d.message).join('\n');
    assert.match(messages, /InputPath/, messages);
    assert.match(messages, /ResultPath/, messages);
    assert.match(messages, /SecondsPath/, messages);
  });
});
