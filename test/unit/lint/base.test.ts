import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { baseFiles, describeAll, allDiagnostics, lintFiles, CONFIG, PIPELINE, ASL, MOCKS, PAYLOAD } from './support';

test('the base workspace of these tests lints clean', async () => {
  const result = await lintFiles(baseFiles());
  assert.equal(allDiagnostics(result).length, 0, describeAll(result));
  for (const f of [CONFIG, PIPELINE, ASL, MOCKS, PAYLOAD]) assert.ok(result.files.includes(f), `${f} was looked at`);
});
