// Deployed status on the Links tree's ends, in a real VS Code, against the sandbox the extension
// starts as a child process: "Check Deployed Status" and Refresh fill each end's description,
// icon and tooltip (the samples are deployed to the sandbox as they are, so they read "in sync").
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { BridgeExtensionApi } from '../../src/extension/extension';
import type { LinksNode } from '../../src/extension/links/model';
import { activateWithSandboxTarget, eventually, inWorkspace, revertAndCloseAll } from './helpers';

type EndNode = Extract<LinksNode, { kind: 'end' }>;
const SAMPLES = () => inWorkspace('samples/analytics.bridge.jsonc').fsPath;
/** The first check starts the sandbox (a child process). */
const CHECK_MS = 90_000;

/** The state machine and pipeline ends of every sample link, as the tree shows them. */
function sampleEnds(api: BridgeExtensionApi): EndNode[] {
  const config = api.links.roots().find((n) => n.kind === 'config' && n.path === SAMPLES());
  assert.ok(config, `the Links view lists the samples; it lists ${api.links.roots().map((n) => n.id).join(', ')}`);
  return api.links
    .children(config)
    .flatMap((link) => api.links.children(link))
    .filter((n): n is EndNode => n.kind === 'end' && (n.end === 'adf' || n.end === 'sfn'));
}

/** Resolves once every sample end has a status checked at or after `since`. */
function checkedSince(api: BridgeExtensionApi, since: string): Promise<EndNode[]> {
  return eventually(
    () => {
      const ends = sampleEnds(api);
      return ends.length && ends.every((e) => (api.links.deployedStatus(e.config.path, e.link.name, e.end)?.checkedAt ?? '') >= since) ? ends : undefined;
    },
    'every sample end to have a deployed status',
    CHECK_MS,
    () => sampleEnds(api).map((e) => `${e.id}: ${JSON.stringify(api.links.deployedStatus(e.config.path, e.link.name, e.end)?.summary)}`).join('\n    '),
  );
}

suite('Deployed status in the Links tree', function () {
  this.timeout(CHECK_MS * 2);
  let api: BridgeExtensionApi;
  suiteSetup(async () => {
    api = await activateWithSandboxTarget();
    await api.links.whenLoaded();
  });
  teardown(revertAndCloseAll);

  test('after "Check Deployed Status" on the sandbox, each sample link\'s state machine and pipeline read "in sync"', async () => {
    const since = new Date().toISOString();
    // Not awaited: other fixture configs name ends the sandbox lacks, and that warning waits for the user.
    void vscode.commands.executeCommand('bridge.checkStatus');
    const ends = await checkedSince(api, since);
    assert.deepStrictEqual([...new Set(ends.map((e) => e.link.name))].sort(), ['ingest-landing', 'landing-csv', 'nightly-retrain']);
    assert.strictEqual(ends.length, 5, 'three state machines and two pipelines');
    for (const end of ends) {
      const item = api.linksTree.getTreeItem(end);
      assert.match(String(item.description), /\bin sync\b/, `${end.id}: ${item.description}`);
      assert.doesNotMatch(String(item.description), /not checked yet/);
      assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'pass', `${end.id}: the in-sync icon`);
      assert.strictEqual(item.contextValue, `bridge:end+${end.end}+in-sync`, 'no Show Drift on an end in sync');
      assert.match(String(item.tooltip), end.end === 'sfn' ? /Deployed: ACTIVE STANDARD, in sync/ : /Deployed: published, in sync/);
    }
  });

  test('Refresh checks again, silently, against the running sandbox', async () => {
    const since = new Date().toISOString();
    await vscode.commands.executeCommand('bridge.refresh');
    const ends = await checkedSince(api, since);
    for (const end of ends) assert.strictEqual(api.links.deployedStatus(end.config.path, end.link.name, end.end)?.state, 'in-sync', end.id);
  });

  test('the gateway end has no deployed status to show', () => {
    const config = api.links.roots().find((n) => n.kind === 'config' && n.path === SAMPLES())!;
    const gateway = api.links.children(config).flatMap((l) => api.links.children(l)).find((n): n is EndNode => n.kind === 'end' && n.end === 'gateway');
    assert.ok(gateway, 'a sample link has a gateway end');
    const item = api.linksTree.getTreeItem(gateway);
    assert.doesNotMatch(String(item.description), /in sync|not checked/);
    assert.strictEqual(item.contextValue, 'bridge:end+gateway');
  });
});
