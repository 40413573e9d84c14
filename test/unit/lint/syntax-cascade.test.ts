// A config with syntax errors: the syntax errors, and the rules' findings that the parser's
// recovery did not make up (no "missing" key the parser dropped, nothing on a broken line).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lintConfigs } from '../../../src/core/lint/engine';
import { memoryHost } from '../../../src/core/node-host';

async function lint(text: string): Promise<string[]> {
  const file = '/ws/a.bridge.jsonc';
  const result = await lintConfigs([file], memoryHost(new Map([[file, text]])));
  return (result.diagnostics.get(file) ?? []).map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`);
}

describe('configs with syntax errors', () => {
  test('an unquoted "version" key is one json-syntax, not also a missing "version"', async () => {
    assert.deepEqual(await lint('{\n  version: 1,\n  "links": {}\n}\n'), ['2:3 json-syntax']);
  });
  test('"version": 01 is one json-syntax, not also "version 0 is not supported"', async () => {
    assert.deepEqual(await lint('{\n  "version": 01,\n  "links": {}\n}\n'), ['2:14 json-syntax']);
  });
  test('problems on intact lines are still reported beside the syntax error', async () => {
    const codes = await lint('{\n  "version": 2,\n  "links": {},,\n  "aws": { "region": "Europe" }\n}\n');
    assert.deepEqual(codes, ['2:14 unsupported-version', '3:15 json-syntax', '4:23 invalid-value']);
  });
});
