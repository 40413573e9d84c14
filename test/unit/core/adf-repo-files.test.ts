/** The one listing of an ADF git repo's folders, shared by lint, the run engine and the sandbox. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { adfRepoFolder, findPipeline, repoJsonFiles } from '../../../src/core/adf/repo';
import { memoryHost } from '../../../src/core/node-host';

const ROOT = path.resolve('/repo');
const pipelineDir = adfRepoFolder(ROOT, 'pipeline');
const host = memoryHost(
  new Map([
    [path.join(pipelineDir, 'b.json'), '{"name":"B","properties":{"activities":[]}}'],
    [path.join(pipelineDir, 'A.JSON'), '{"name":"Upper","properties":{"activities":[]}}'],
    [path.join(pipelineDir, 'notes.txt'), 'not a pipeline'],
    [path.join(ROOT, 'local.sandbox.json'), '{}'],
  ]),
);

describe('ADF repo files', () => {
  it('lists a folder\'s JSON files sorted, whatever the case of ".json", and nothing for a missing folder', async () => {
    assert.deepEqual(await repoJsonFiles(host, pipelineDir), [path.join(pipelineDir, 'A.JSON'), path.join(pipelineDir, 'b.json')]);
    assert.deepEqual(await repoJsonFiles(host, adfRepoFolder(ROOT, 'factory')), []);
    assert.deepEqual(await repoJsonFiles(host, ROOT, '.sandbox.json'), [path.join(ROOT, 'local.sandbox.json')]);
  });

  it('finds a pipeline by its name in a file named otherwise, through the same listing', async () => {
    assert.equal((await findPipeline(host, ROOT, 'Upper'))?.name, 'Upper');
    assert.equal(await findPipeline(host, ROOT, 'Nope'), undefined);
  });
});
