/** The sandbox's view of an ADF git repo: pipelines by the name they declare, one per name whatever its case. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRepo } from '../../../src/sandbox/datafactory/repo';

const pipeline = (name: string, activity: string) => JSON.stringify({ name, properties: { activities: [{ name: activity, type: 'Wait', typeProperties: { waitTimeInSeconds: 1 } }] } });

describe('ADF sandbox repo: pipeline names', () => {
  let repo: string;
  before(() => {
    repo = mkdtempSync(join(tmpdir(), 'bridge-repo-names-'));
    mkdirSync(join(repo, 'pipeline'));
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  it('finds a pipeline in any case, and keeps the file named after it when two files declare one name', async () => {
    writeFileSync(join(repo, 'pipeline', 'A-copy.json'), pipeline('ingest', 'FromCopy'));
    writeFileSync(join(repo, 'pipeline', 'Ingest.json'), pipeline('Ingest', 'FromIngest'));
    writeFileSync(join(repo, 'pipeline', 'Other.json'), pipeline('Other', 'Only'));
    const loaded = await loadRepo(repo);
    assert.deepEqual([...loaded.pipelines.values()].map((p) => p.name).sort(), ['Ingest', 'Other']);
    assert.equal(loaded.pipelines.get('INGEST')?.json.properties.activities?.[0].name, 'FromIngest');
    assert.equal(loaded.pipelines.get('other')?.name, 'Other');
    assert.deepEqual(
      loaded.problems.map((p) => [p.file, p.message]),
      [[join(repo, 'pipeline', 'A-copy.json'), `It declares pipeline "ingest" too, as ${join(repo, 'pipeline', 'Ingest.json')} does: a factory's pipeline names are unique (case-insensitively). Rename or remove one of them; the sandbox runs ${join(repo, 'pipeline', 'Ingest.json')}.`]],
    );
  });
});
