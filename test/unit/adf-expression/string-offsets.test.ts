import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodedRangeToSource, decodedToRawOffsets, rawStartsOfDecodedUnits } from '../../../src/core/json/string-offsets';

test('plain literal: decoded offset 0 is just after the opening quote, the end is the closing quote', () => {
  const map = decodedToRawOffsets('"abc"');
  assert.equal(map(0), 1);
  assert.equal(map(2), 3);
  assert.equal(map(3), 4);
});

test('two-character escapes count as one decoded character', () => {
  // raw: " a \ " b \ \ c \ n d "   decoded: a " b \ c <newline> d
  const raw = '"a\\"b\\\\c\\nd"';
  assert.equal(JSON.parse(raw), 'a"b\\c\nd');
  assert.deepEqual(rawStartsOfDecodedUnits(raw), [1, 2, 4, 5, 7, 8, 10, 11]);
});

test('\\uXXXX escapes span six raw characters; surrogate pairs are two decoded units', () => {
  const map = decodedToRawOffsets('"x\\u00e9y"');
  assert.equal(map(1), 2);
  assert.equal(map(2), 8);
  assert.equal(map(3), 9);
  const pair = rawStartsOfDecodedUnits('"\\ud83d\\ude00!"');
  assert.deepEqual(pair, [1, 7, 13, 14]);
});

test('offsets outside the value are clamped, never outside the literal', () => {
  const map = decodedToRawOffsets('"ab"');
  assert.equal(map(-3), 1);
  assert.equal(map(99), 3);
  assert.equal(map(Number.NaN), 3);
});

test('malformed literals (no closing quote, trailing backslash) do not throw', () => {
  assert.deepEqual(rawStartsOfDecodedUnits('"ab'), [1, 2, 3]);
  const starts = rawStartsOfDecodedUnits('"a\\');
  assert.ok(starts.every((o) => o >= 0 && o <= 3));
  assert.deepEqual(rawStartsOfDecodedUnits(''), [0]);
});

test('decodedRangeToSource adds the literal offset and spans escapes', () => {
  // The literal starts at file offset 10; decoded range covers `"b` (2 chars) = raw `\"b` (3 chars).
  assert.deepEqual(decodedRangeToSource('"a\\"b"', 10, 1, 2), { offset: 12, length: 3 });
});

test('property: every decoded unit maps to the raw text that encodes exactly that unit', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 10 }), (s, ascii) => {
      const value = s + '"\\\n\t' + ascii;
      const raw = JSON.stringify(value);
      const starts = rawStartsOfDecodedUnits(raw);
      assert.equal(starts.length, value.length + 1);
      assert.equal(starts[value.length], raw.length - 1);
      for (let i = 0; i < value.length; i++) {
        const piece = raw.slice(starts[i], starts[i + 1]);
        assert.equal(JSON.parse(`"${piece}"`), value[i]);
      }
    }),
  );
});
