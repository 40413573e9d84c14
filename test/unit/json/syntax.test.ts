/**
 * JSON syntax problems as every file reports them (json-syntax, payload-invalid-json, asl-invalid,
 * mock-invalid all take parseJson's list): one diagnostic per problem, at the character to fix,
 * with a message that says what is wrong and what to do.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseJson } from '../../../src/core/json/jsonc';
import { SourceText, type Range } from '../../../src/core/text';

/** The problems of a one-line text as [range, message]. */
function problems(text: string, strict = true): [Range, string][] {
  const src = new SourceText('/ws/x.json', text);
  return parseJson(src, { strict }).syntax.map((p) => [src.rangeAt(p.offset, p.length), p.message]);
}

/** A range on line 0 from `start`, `length` characters long. */
function at(start: number, length: number): Range {
  return { start: { line: 0, character: start }, end: { line: 0, character: start + length } };
}

/** Asserts exactly these problems: each at its range, its message matching. */
function expectProblems(text: string, expected: [Range, RegExp][], strict = true): void {
  const found = problems(text, strict);
  assert.equal(found.length, expected.length, `${JSON.stringify(text)}:\n${found.map(([r, m]) => `${r.start.character}-${r.end.character} ${m}`).join('\n')}`);
  expected.forEach(([range, message], i) => {
    assert.deepEqual(found[i][0], range, `${JSON.stringify(text)}: range of "${found[i][1]}"`);
    assert.match(found[i][1], message);
  });
}

describe('stray commas: one problem, on the comma', () => {
  test('a trailing comma in an object (strict JSON): "Trailing comma", once, on the comma', () => {
    expectProblems('{ "a": "x", }', [[at(10, 1), /^Trailing comma: JSON allows no comma after the last entry of an object\. Remove it\.$/]]);
  });
  test('a trailing comma in an array', () => {
    expectProblems('[1,]', [[at(2, 1), /^Trailing comma: JSON allows no comma after the last entry of an array\. Remove it\.$/]]);
  });
  test('a trailing comma with a comment before the brace: the comment and the comma, in file order', () => {
    expectProblems('{"a":1, /* c */}', [
      [at(6, 1), /^Trailing comma: .*Remove it\.$/],
      [at(8, 7), /^Comments are not allowed in this JSON file\. Remove the comment/],
    ]);
  });
  test('a trailing comma is fine in JSONC (configs)', () => {
    expectProblems('{"a":1, // c\n}', [], false);
  });
  test('two commas in a row: once, on the second comma', () => {
    expectProblems('{"a":1,,"b":2}', [[at(7, 1), /^Two commas in a row: .*Remove one comma, or write the missing entry\.$/]]);
    expectProblems('[1,,2]', [[at(3, 1), /^Two commas in a row/]]);
  });
  test('two commas in a row, in JSONC too', () => {
    expectProblems('{"a":1,,"b":2}', [[at(7, 1), /^Two commas in a row/]], false);
  });
  test('two commas before the closing brace: one problem, not also a trailing comma', () => {
    expectProblems('{"a":1,,}', [[at(7, 1), /^Two commas in a row/]]);
  });
  test('a comma before the first entry', () => {
    expectProblems('[,1]', [[at(1, 1), /^A comma before the first entry: .*Remove the comma/]]);
    expectProblems('{,"a":1}', [[at(1, 1), /^A comma before the first entry/]]);
  });
});

describe('every syntax message says what is wrong and what to do', () => {
  const cases: [string, string, [Range, RegExp][], boolean?][] = [
    ['a comment in strict JSON', '{"a":1 // note\n}', [[at(7, 7), /^Comments are not allowed in this JSON file\. Remove the comment/]]],
    ['a missing colon', '{"a" 1}', [[at(5, 1), /^A colon is missing between the property name and its value\. Add `:` after the name\.$/]]],
    ['a missing comma', '{"a":1 "b":2}', [[at(7, 3), /^A comma is missing between two entries\. Add `,` after the previous entry\.$/]]],
    ['an unclosed object', '{"a":1', [[at(6, 0), /^An object is not closed\. Add the closing brace `}`\.$/]]],
    ['an unclosed array', '[1', [[at(2, 0), /^An array is not closed\. Add the closing bracket `]`\.$/]]],
    ['a second value', '{} {}', [[at(3, 1), /^Content after the end of the JSON value: a file holds exactly one value\. Remove what follows/]]],
    ['a value missing', '{"a":}', [[at(5, 1), /^A value is missing here\. Write a string, number, object, array, true, false or null\.$/]]],
    ['a number cut short', '{"a": 1.}', [[at(6, 2), /^A number ends too early\. Add the missing digits/]]],
    ['a bad escape', '{"a": "\\x"}', [[at(6, 4), /^Invalid escape in a string\. Use /]]],
    ['a short \\u escape', '{"a": "\\u12"}', [[at(6, 6), /^Invalid \\u escape\. Write \\u followed by exactly four hex digits/]]],
    ['a raw tab in a string', '{"a": "x\ty"}', [[at(6, 5), /^A string holds a control character .*Write it as an escape such as \\t, \\n or \\u0000, or remove it\.$/]]],
    ['an unclosed block comment in JSONC', '{"a":1 /* ', [[at(7, 3), /^A block comment is not closed\. Add `\*\/` at its end\.$/], [at(10, 0), /^An object is not closed/]], false],
  ];
  for (const [name, text, expected, strict] of cases) {
    test(name, () => expectProblems(text, expected, strict ?? true));
  }
  test('an unquoted word: says to quote it or fix the spelling', () => {
    const [[range, message]] = problems('{"a": yes}');
    assert.deepEqual(range, at(6, 3));
    assert.match(message, /^Unexpected character: this is not JSON\. Put strings and property names in double quotes/);
  });
  test('an unclosed string: says to add the quote', () => {
    const [[range, message]] = problems('{"a": "x');
    assert.deepEqual(range, at(6, 2));
    assert.match(message, /^A string is not closed\. Add the closing double quote/);
  });
});

describe('Windows line ends (CRLF)', () => {
  test('a string broken by a CRLF after a backslash: every problem stays on its line, none past its end', () => {
    // fast-check found it (seed 1257964550): the problem that covers the CR ended between the CR
    // and the LF, which was reported as a character past the end of line 0.
    for (const text of ['"\\\r\n', '{"a": "\\\r\n"}', '{"a": "x\r\n"}']) {
      const src = new SourceText('/ws/x.json', text);
      const lines = text.split(/\r\n|\r|\n/);
      for (const p of parseJson(src, { strict: true }).syntax) {
        for (const pos of [src.positionAt(p.offset), src.positionAt(p.offset + p.length)]) {
          assert.ok(pos.line < lines.length && pos.character <= lines[pos.line].length, `${JSON.stringify(text)}: "${p.message}" at ${pos.line}:${pos.character}`);
        }
      }
    }
    const src = new SourceText('/ws/x.json', 'ab\r\ncd');
    assert.deepEqual(src.positionAt(3), { line: 0, character: 2 });
    assert.deepEqual(src.positionAt(4), { line: 1, character: 0 });
  });
});

describe('nesting', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '[1]' + '}'.repeat(depth - 1);
  test('256 levels parse', () => {
    const parsed = parseJson(new SourceText('/ws/x.json', nested(256)), { strict: true });
    assert.deepEqual(parsed.syntax, []);
    assert.ok(parsed.root);
  });
  for (const depth of [257, 2_000, 50_000]) {
    test(`${depth} levels: one problem, at the bracket that goes past 256, and no tree for the rules to walk`, () => {
      expectProblems(nested(depth), [[at(5 * 256, 1), /Nesting deeper than 256 levels/]]);
      assert.equal(parseJson(new SourceText('/ws/x.json', nested(depth))).root, undefined);
    });
  }
});

describe('follow-on problems', () => {
  test('an unquoted key: one problem on its line, not one per skipped token', () => {
    expectProblems('{version: 1, "a": 2}', [[at(1, 7), /^Unexpected character/]], false);
  });
  test('a leading zero: named as such, on the whole number', () => {
    expectProblems('{"a": 01}', [[at(6, 2), /^Numbers cannot start with 0 in JSON: write 1 instead of 01/]]);
    expectProblems('{"a": [007, 1.05, 2e05]}', [[at(7, 3), /write 7 instead of 007/]]);
  });
  test('mistakes on different lines are each reported', () => {
    const found = problems('{\n  a: 1,\n  "b": tru\n}', false);
    assert.deepEqual(found.map(([r]) => r.start.line), [1, 2]);
  });
});

describe('brackets that do not match', () => {
  test('a comma before a brace that closes an enclosing object is not a "trailing comma": the array is not closed', () => {
    const found = problems('{"a":[1,}', false).map(([r, m]) => `${r.start.character} ${m}`);
    assert.ok(!found.some((m) => /Trailing comma/.test(m)), found.join('\n'));
    assert.ok(found.some((m) => /^\d+ An array is not closed/.test(m)), found.join('\n'));
  });
  test('a comma before a bracket inside an object is not a trailing comma of an array', () => {
    const found = problems('{"a":{"b":1,]}').map(([, m]) => m);
    assert.ok(!found.some((m) => /Trailing comma/.test(m)), found.join('\n'));
  });
  test('at the end of a truncated file the "not closed" problem is kept beside the missing entry', () => {
    const found = problems('{"a": [1, 2,', false).map(([, m]) => m);
    assert.ok(found.some((m) => /^An array is not closed/.test(m)), found.join('\n'));
    assert.ok(found.some((m) => /^An object is not closed/.test(m)), found.join('\n'));
  });
});

describe('a million stray tokens', () => {
  test('lists at most 50 problems and then says more follow', () => {
    const found = problems('[' + ','.repeat(1_000_000) + ']');
    assert.equal(found.length, 51);
    assert.match(found[50][1], /^More syntax errors after this point are not listed: fix the ones above first\.$/);
  });
  test('one broken line per problem: every line with a stray word is listed', () => {
    const found = problems('[x,\nx,\nx]');
    assert.deepEqual(found.map(([r]) => r.start.line), [0, 1, 2]);
  });
});
