/** The one reader of an ADF git repo's pipelines, shared by lint, the run engine, deployed status and the sandbox. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { adfRepoFolder, findPipeline, findPipelineFile, isFileOfPipeline, pipelineFilePath, pipelineFiles, repoJsonFiles } from '../../../src/core/adf/repo';
import { memoryHost } from '../../../src/core/node-host';
import type { FileHost } from '../../../src/core/host';
import { PIPELINE, CONFIG, allDiagnostics, baseFiles, lintFiles, without } from '../lint/support';

const ROOT = path.resolve('/repo');
const pipelineDir = adfRepoFolder(ROOT, 'pipeline');
const host = memoryHost(
  new Map([
    [path.join(pipelineDir, 'b.json'), '{"name":"B","properties":{"activities":[]}}'],
    [path.join(pipelineDir, 'A.JSON'), '{"name":"Upper","properties":{"activities":[]}}'],
    [path.join(pipelineDir, 'retrainmodel.json'), '{"name":"RetrainModel","properties":{"parameters":{"runId":{"type":"string"}},"activities":[]}}'],
    [path.join(pipelineDir, 'notes.txt'), 'not a pipeline'],
    [path.join(ROOT, 'local.sandbox.json'), '{}'],
  ]),
);

/** `host` with one file listed but unreadable (as a FIFO or a too-large file is). */
function withUnreadable(base: FileHost, file: string): FileHost {
  return {
    ...base,
    readFile: async (p) => (p === file ? undefined : base.readFile(p)),
    readDirectory: async (dir) => [...(await base.readDirectory(dir)), ...(path.dirname(file) === dir ? [path.basename(file)] : [])],
  };
}

describe('ADF repo files', () => {
  it('lists a folder\'s JSON files sorted, whatever the case of ".json", and nothing for a missing folder', async () => {
    assert.deepEqual(await repoJsonFiles(host, pipelineDir), [path.join(pipelineDir, 'A.JSON'), path.join(pipelineDir, 'b.json'), path.join(pipelineDir, 'retrainmodel.json')]);
    assert.deepEqual(await pipelineFiles(host, ROOT), await repoJsonFiles(host, pipelineDir));
    assert.deepEqual(await repoJsonFiles(host, adfRepoFolder(ROOT, 'factory')), []);
    assert.deepEqual(await repoJsonFiles(host, ROOT, '.sandbox.json'), [path.join(ROOT, 'local.sandbox.json')]);
  });

  it('finds a pipeline by its name in a file named otherwise, through the same listing', async () => {
    assert.equal((await findPipeline(host, ROOT, 'Upper'))?.name, 'Upper');
    assert.equal((await findPipeline(host, ROOT, 'upper'))?.name, 'Upper', 'the declared name, in any case');
    assert.equal(await findPipeline(host, ROOT, 'Nope'), undefined);
  });

  it('finds pipeline/<name>.json first, then a file named so in another case (ADF names ignore case)', async () => {
    assert.equal((await findPipelineFile(host, ROOT, 'B'))?.file, path.join(pipelineDir, 'b.json'));
    const retrain = await findPipelineFile(host, ROOT, 'RetrainModel');
    assert.equal(retrain?.file, path.join(pipelineDir, 'retrainmodel.json'));
    assert.match(retrain?.text ?? '', /"runId"/);
    assert.deepEqual([...((await findPipeline(host, ROOT, 'RETRAINMODEL'))?.parameters.keys() ?? [])], ['runId']);
    assert.equal(isFileOfPipeline(path.join(pipelineDir, 'retrainmodel.json'), 'RetrainModel'), true);
    assert.equal(isFileOfPipeline(path.join(pipelineDir, 'retrainmodel.json.bak'), 'RetrainModel'), false);
  });

  it('names a file that is there but cannot be read, so the caller can say why; findPipeline has no facts for it', async () => {
    const fifo = path.join(pipelineDir, 'Ingest.json');
    const odd = withUnreadable(host, fifo);
    assert.deepEqual(await findPipelineFile(odd, ROOT, 'ingest'), { file: fifo, text: undefined });
    assert.deepEqual(await findPipelineFile(odd, ROOT, 'Ingest'), { file: fifo, text: undefined });
    assert.equal(await findPipeline(odd, ROOT, 'Ingest'), undefined);
  });

  it('says where ADF\'s git integration writes a pipeline, whether or not it is there', () => {
    assert.equal(pipelineFilePath(ROOT, 'Nope'), path.join(ROOT, 'pipeline', 'Nope.json'));
  });

  it('lint reads a link\'s pipeline by the same rule: a file named otherwise is the pipeline, not "pipeline-not-found"', async () => {
    const renamed = path.join(path.dirname(PIPELINE), 'retrain-v2.json');
    const files = without(baseFiles(), PIPELINE).set(renamed, baseFiles().get(PIPELINE)!);
    const clean = allDiagnostics(await lintFiles(baseFiles()));
    const result = await lintFiles(files);
    assert.deepEqual(allDiagnostics(result).map((d) => d.code), clean.map((d) => d.code), 'the same findings as with pipeline/RetrainModel.json');
    assert.ok(result.dependencies.get(CONFIG)?.has(renamed), 'an edit of the file it read relints the config');
    const gone = allDiagnostics(await lintFiles(without(baseFiles(), PIPELINE))).map((d) => d.code);
    assert.ok(gone.includes('pipeline-not-found'), 'and without it the pipeline is not found');
  });
});
