import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { absolutePath, memoryHost, overlayHost } from '../../../src/core/node-host';

describe('absolutePath', () => {
  test('is path.resolve for every shape of path, normalized or not', () => {
    for (const p of ['/a/b', '/a/./b', '/a/../b', '/a//b', '/a/b/', '/', '/a/.b', '/a/..b', '/a/b/..', '/a/b/.', 'rel/x', './x', '../x', '']) {
      assert.equal(absolutePath(p), path.resolve(p), p);
    }
  });
  test('an unsaved buffer is found whatever way the path to it is written', async () => {
    const host = overlayHost(memoryHost(new Map([['/ws/a.json', 'disk']])), new Map([['/ws/a.json', 'buffer']]));
    for (const p of ['/ws/a.json', '/ws/./a.json', '/ws/x/../a.json', '/ws//a.json']) assert.equal(await host.readFile(p), 'buffer', p);
  });
});
