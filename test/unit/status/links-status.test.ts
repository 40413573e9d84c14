// The Links tree's store of deployed status (src/extension/links/model.ts) fed from a status
// report (src/extension/discover/deployed.ts): what each end of the tree shows after a check.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { compareDefinitions } from '../../../src/core/status/drift';
import type { StatusReport } from '../../../src/core/status/model';
import { deployedEnds } from '../../../src/extension/discover/deployed';
import { LinksModel, type LinksNode } from '../../../src/extension/links/model';

const CONFIG = path.resolve('/ws/a.bridge.jsonc');
const CONFIG_TEXT = `{
  "version": 1,
  "azure": { "factory": "f", "repoRoot": "./adf" },
  "links": {
    "orders": { "trigger": "adf-to-sfn", "adf": { "pipeline": "P", "activity": "Call" }, "gateway": { "url": "https://x.execute-api.eu-west-1.amazonaws.com/prod/go" },
                "stateMachine": { "arn": "arn:aws:states:eu-west-1:123456789012:stateMachine:M", "definition": "./m.asl.json" } }
  }
}`;
const ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:M';
const local = { StartAt: 'Go', States: { Go: { Type: 'Succeed' } } };

async function loadedModel(): Promise<LinksModel> {
  const m = new LinksModel({ read: async (f) => (f === CONFIG ? CONFIG_TEXT : undefined), problems: () => [] });
  m.setConfigs([CONFIG]);
  await m.whenLoaded();
  return m;
}

function ends(m: LinksModel): Extract<LinksNode, { kind: 'end' }>[] {
  const [config] = m.roots();
  const [link] = m.children(config);
  return m.children(link).filter((n): n is Extract<LinksNode, { kind: 'end' }> => n.kind === 'end');
}

test('links status: no end has a status before a check; after it, the state machine and the pipeline each show theirs', async () => {
  const m = await loadedModel();
  assert.deepEqual(ends(m).map((e) => m.deployedStatus(CONFIG, 'orders', e.end)), [undefined, undefined, undefined]);

  const drift = compareDefinitions(local, { ...local, Comment: 'edited in the console' }, 'asl');
  const report: StatusReport = {
    links: [
      {
        config: CONFIG,
        link: 'orders',
        ends: [
          { kind: 'stateMachine', name: ARN, state: 'drift', status: 'ACTIVE', type: 'STANDARD', localFile: '/ws/m.asl.json', drift },
          { kind: 'pipeline', name: 'P', state: 'missing', message: 'Pipeline "P" is not published in the factory.' },
        ],
      },
    ],
  };
  let redraws = 0;
  const listening = m.onDidChange.on(() => redraws++);
  m.setDeployedStatus(deployedEnds(report, '2026-12-01T22:00:00.000Z'));
  listening.dispose();
  assert.equal(redraws, 1, 'one redraw for the whole report');

  const sfn = m.deployedStatus(CONFIG, 'orders', 'sfn');
  assert.equal(sfn?.state, 'drift');
  assert.match(sfn!.summary, /^ACTIVE STANDARD, DRIFT: 1 difference from \/ws\/m\.asl\.json; no runs yet$/);
  assert.equal(sfn?.end.drift?.inSync, false, 'the drift itself is kept for Show Drift');
  const adf = m.deployedStatus(CONFIG, 'orders', 'adf');
  assert.equal(adf?.state, 'missing');
  assert.equal(adf?.summary, 'Pipeline "P" is not published in the factory.');
  assert.equal(m.deployedStatus(CONFIG, 'orders', 'gateway'), undefined, 'the gateway is not checked');
  assert.equal(m.deployedStatus(CONFIG, 'other', 'sfn'), undefined);
});

test('links status: a later check replaces an end\'s status (drift fixed → in sync)', async () => {
  const m = await loadedModel();
  const at = (state: 'drift' | 'in-sync'): StatusReport => ({
    links: [{ config: CONFIG, link: 'orders', ends: [{ kind: 'stateMachine', name: ARN, state, status: 'ACTIVE', type: 'STANDARD', drift: compareDefinitions(local, state === 'drift' ? { ...local, Comment: 'x' } : local, 'asl') }] }],
  });
  m.setDeployedStatus(deployedEnds(at('drift')));
  assert.equal(m.deployedStatus(CONFIG, 'orders', 'sfn')?.state, 'drift');
  m.setDeployedStatus(deployedEnds(at('in-sync')));
  assert.equal(m.deployedStatus(CONFIG, 'orders', 'sfn')?.state, 'in-sync');
  assert.match(m.deployedStatus(CONFIG, 'orders', 'sfn')!.summary, /in sync/);
});
