// The Links view's first level is read from a config's outline before its full model: the outline
// must name the same links at the same places as `readBridgeConfig`, whatever the text.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBridgeConfig } from '../../../src/core/config/model';
import { readConfigOutline, scanLinkEntries } from '../../../src/core/config/outline';

const CONFIG = path.resolve('/ws/a.bridge.jsonc');
const SAMPLES = path.join(__dirname, '..', '..', '..', '..', 'samples');

function fromModel(text: string) {
  return readBridgeConfig(CONFIG, text).links.map((l) => ({ name: l.name, key: l.locations!.key, entry: l.locations!.entry }));
}

function assertSameAsModel(text: string, why: string): void {
  assert.deepEqual(readConfigOutline(CONFIG, text).links, fromModel(text), why);
}

const WELL_FORMED: [string, string][] = [
  ['comments everywhere, a trailing comma, nested arrays and every literal', `// a config
{
  /* before */ "version": 1, // after
  "environments": { "dev": {}, "prod": { "protected": true } },
  "links": {
    // the first link
    "first": { "environment": "prod", "trigger": "adf-to-sfn", "payloads": ["./a.json", "./b.json",], "x": [[1, -2.5e3], null, false, true] },
    "second" /* odd place */ : {
      "s3": { "bucket": "b" }
    },
  },
}
`],
  ['no links key at all', '{ "version": 1, "aws": { "region": "eu-west-1" } }'],
  ['an empty links object', '{ "version": 1, "links": {} }'],
  ['a link whose value is not an object (the model leaves it out)', '{ "links": { "a": 1, "b": { }, "c": [ {} ], "d": "x" } }'],
  ['links that is not an object', '{ "links": [ { "a": {} } ] }'],
  ['the same link name twice', '{ "links": { "a": { "trigger": "adf-to-sfn" }, "a": {} } }'],
  ['links twice: the first counts', '{ "links": { "one": {} }, "x": { "links": { "nested": {} } }, "links": { "two": {} } }'],
  ['escapes in names, non-ASCII, CRLF line ends', '{\r\n  "links": {\r\n    "caf\\u00e9 \\"quoted\\"": {},\r\n    "naïve 😀": {\r\n    }\r\n  }\r\n}'],
];

for (const [why, text] of WELL_FORMED) {
  test(`config outline, read by the scanner: ${why}`, () => {
    assert.ok(scanLinkEntries(text), 'a well-formed config is read without the parser');
    assertSameAsModel(text, why);
  });
}

const BROKEN: [string, string][] = [
  ['a missing comma between links', '{ "links": { "a": { "x": 1 } "b": {} } }'],
  ['a missing closing brace in a link', '{ "links": { "a": { "x": 1 , "b": {} } }'],
  ['a missing colon', '{ "links": { "a" {}, "b": {} } }'],
  ['an unquoted key', '{ "links": { a: {}, "b": {} } }'],
  ['a value cut off at the end of the file', '{ "links": { "a": {}, "b": '],
  ['an unterminated string', '{ "links": { "a": {}, "b: {} } }'],
  ['an unterminated block comment', '{ "links": { "a": {} } } /* never closed'],
  ['content after the root object', '{ "links": { "a": {} } } { "links": { "b": {} } }'],
  ['an invalid number', '{ "version": 01, "links": { "a": {} } }'],
  ['a bad escape in a name', '{ "links": { "a\\q": {} } }'],
  ['a byte order mark (the parser decides what it means)', '\ufeff{ "links": { "a": {} } }'],
  ['an empty file', ''],
  ['only a comment', '// nothing yet'],
  ['an array at the root', '[ { "links": { "a": {} } } ]'],
  ['a NUL byte in a comment: the file is binary', '{ "links": { "a": {} } } // \u0000'],
  ['nesting deeper than the scan goes', `{ "links": { "a": { "deep": ${'['.repeat(100)}${']'.repeat(100)} }, "b": {} } }`],
];

for (const [why, text] of BROKEN) {
  test(`config outline, handed to the parser: ${why}`, () => {
    assert.equal(scanLinkEntries(text), undefined, 'the scanner gives up on what is not well-formed');
    assertSameAsModel(text, why);
  });
}

test('config outline: every sample config, as the model reads it, by the scanner', () => {
  const configs = fs.readdirSync(SAMPLES).filter((f) => /\.bridge\.jsonc?$/.test(f));
  assert.ok(configs.length > 0);
  for (const f of configs) {
    const text = fs.readFileSync(path.join(SAMPLES, f), 'utf8');
    assert.ok(scanLinkEntries(text), f);
    assert.ok(fromModel(text).length > 0, f);
    assertSameAsModel(text, f);
  }
});

test('config outline: ranges cover the key with its quotes and the whole entry', () => {
  const text = '{\n  "links": {\n    "first": {\n      "x": 1\n    },\n    "second": {}\n  }\n}';
  const [first, second] = readConfigOutline(CONFIG, text).links;
  assert.deepEqual(first.key, { start: { line: 2, character: 4 }, end: { line: 2, character: 11 } });
  assert.deepEqual(first.entry, { start: { line: 2, character: 4 }, end: { line: 4, character: 5 } });
  assert.deepEqual(second.entry, { start: { line: 5, character: 4 }, end: { line: 5, character: 16 } });
});
