import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDefinitions, describeDifference, driftPatch } from '../../../src/core/status/drift';
import { endSummary, statusExitCode, type StatusReport } from '../../../src/core/status/model';

const asl = {
  StartAt: 'Train',
  States: { Train: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync', Parameters: { 'ModelName.$': '$.model' }, Next: 'Done' }, Done: { Type: 'Succeed' } },
};

describe('semantic drift of ASL and pipeline JSON', () => {
  it('key order and formatting are not drift', () => {
    const reordered = JSON.parse(JSON.stringify({ States: { Done: { Type: 'Succeed' }, Train: { Next: 'Done', Parameters: { 'ModelName.$': '$.model' }, Resource: asl.States.Train.Resource, Type: 'Task' } }, StartAt: 'Train' }));
    const drift = compareDefinitions(asl, reordered, 'asl');
    assert.equal(drift.inSync, true);
    assert.deepEqual(drift.differences, []);
  });

  it('a changed value is named by its path, with both sides', () => {
    const deployed = structuredClone(asl);
    deployed.States.Train.Parameters['ModelName.$'] = '$.name';
    const drift = compareDefinitions(asl, deployed, 'asl');
    assert.equal(drift.inSync, false);
    assert.deepEqual(drift.differences, [{ path: '$.States.Train.Parameters["ModelName.$"]', change: 'changed', local: '$.model', deployed: '$.name' }]);
    assert.equal(describeDifference(drift.differences[0]), '$.States.Train.Parameters["ModelName.$"]: deployed "$.name", local "$.model"');
    const patch = driftPatch(drift, 'deployed/Retrain', 'retrain.asl.json');
    assert.match(patch, /^-\s+"ModelName\.\$": "\$\.name"$/m);
    assert.match(patch, /^\+\s+"ModelName\.\$": "\$\.model"$/m);
  });

  it('array order counts (states of a Parallel, activities)', () => {
    const drift = compareDefinitions({ a: [1, 2] }, { a: [2, 1] }, 'asl');
    assert.equal(drift.differences.length, 2);
  });

  it('pipelines: what ADF fills in on publish is not drift', () => {
    const repo = { activities: [{ name: 'Start', type: 'WebActivity', dependsOn: [], userProperties: [], typeProperties: { url: 'https://x' } }], annotations: [] };
    const published = { activities: [{ name: 'Start', type: 'WebActivity', typeProperties: { url: 'https://x' } }], lastPublishTime: '2026-01-01T00:00:00Z', policy: {} };
    assert.equal(compareDefinitions(repo, published, 'pipeline').inSync, true);
    const changed = structuredClone(published);
    changed.activities[0].typeProperties.url = 'https://y';
    const drift = compareDefinitions(repo, changed, 'pipeline');
    assert.deepEqual(drift.differences.map((d) => d.path), ['$.activities[0].typeProperties.url']);
  });

  it('many differences are capped and say so', () => {
    const local = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`k${i}`, i]));
    const drift = compareDefinitions(local, {}, 'asl');
    assert.equal(drift.differences.length, 50);
    assert.equal(drift.truncated, true);
  });

  it('the exit code is 1 for drift, missing or failed checks, 0 otherwise', () => {
    const report = (state: 'in-sync' | 'unchecked' | 'drift' | 'missing' | 'error'): StatusReport => ({ links: [{ config: 'c', link: 'l', ends: [{ kind: 'pipeline', name: 'P', state }] }] });
    assert.equal(statusExitCode(report('in-sync')), 0);
    assert.equal(statusExitCode(report('unchecked')), 0);
    for (const s of ['drift', 'missing', 'error'] as const) assert.equal(statusExitCode(report(s)), 1);
    assert.equal(endSummary({ kind: 'pipeline', name: 'P', state: 'in-sync', lastRun: { id: 'r', status: 'Succeeded', start: '2026-01-01T00:00:00.000Z' } }), 'published, in sync; last run Succeeded 2026-01-01T00:00:00.000Z');
  });
});
