// The Bridge view and the run commands in a real VS Code, on the samples (copied into the test
// workspace as samples/ by the harness) and on runs/ (a link whose Task mock throws, one in a
// protected environment, one that waits to be stopped). Runs go to the sandbox the extension
// starts itself as a child process, and go through the real run engine.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import type { BridgeExtensionApi } from '../../src/extension/extension';
import type { LinksNode } from '../../src/extension/links/model';
import type { RunRecord } from '../../src/extension/runs/model';
import type { RunResult } from '../../src/core/run/events';
import { EXTENSION_ID, WAIT_MS, activateWithSandboxTarget, inWorkspace, revertAndCloseAll } from './helpers';

const SAMPLES = () => inWorkspace('samples/analytics.bridge.jsonc').fsPath;
const RUNS = () => inWorkspace('runs/runs.bridge.jsonc').fsPath;
/** A sandbox run: the sandbox starts on the first one (a child process), then runs take a second or two. */
const RUN_MS = 120_000;

const runLink = (arg: Record<string, unknown>) => vscode.commands.executeCommand<RunResult>('bridge.runLink', arg);

/** Resolves with the first run the predicate accepts, now or when the runs model next changes; fails after `timeoutMs`. */
function waitForRun(api: BridgeExtensionApi, accept: (r: RunRecord) => boolean, what: string, timeoutMs = WAIT_MS): Promise<RunRecord> {
  const now = api.runs.list().find(accept);
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Waited ${timeoutMs} ms for ${what}; runs: ${api.runs.list().map((r) => `${r.link} ${r.status}`).join(', ') || '(none)'}`));
    }, timeoutMs);
    const sub = api.runs.onDidChange.on(() => {
      const found = api.runs.list().find(accept);
      if (!found) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(found);
    });
  });
}

function configNode(api: BridgeExtensionApi, file: string): LinksNode {
  const node = api.links.roots().find((n) => n.kind === 'config' && n.path === file);
  assert.ok(node, `the Links view lists ${file}; it lists ${api.links.roots().map((n) => n.id).join(', ')}`);
  return node;
}

suite('The Bridge view and test runs', function () {
  this.timeout(RUN_MS * 2);
  let api: BridgeExtensionApi;
  suiteSetup(async () => {
    api = await activateWithSandboxTarget();
  });
  teardown(revertAndCloseAll);

  test('the view container "Bridge" holds the Links, Runs and Discover views', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { viewsContainers: { activitybar: { id: string; title: string; icon: string }[] }; views: Record<string, { id: string }[]> };
    };
    const container = pkg.contributes.viewsContainers.activitybar.find((c) => c.id === 'bridge');
    assert.ok(container, 'an activity bar container "bridge"');
    assert.strictEqual(container.title, 'Bridge');
    assert.ok(fs.existsSync(vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, container.icon).fsPath), `its icon ${container.icon} exists`);
    assert.deepStrictEqual(pkg.contributes.views.bridge.map((v) => v.id), ['bridge.links', 'bridge.runs', 'bridge.discover']);
    // Focusing the views works (they exist in the workbench, not only in package.json).
    await vscode.commands.executeCommand('bridge.links.focus');
    await vscode.commands.executeCommand('bridge.runs.focus');
  });

  test('the Links tree: configs, links with their trigger and protection in the context value, ends in flow order, payloads', async () => {
    await api.links.whenLoaded();
    const samples = configNode(api, SAMPLES());
    const links = api.linksTree.getChildren(samples) as LinksNode[];
    assert.deepStrictEqual(links.map((l) => (l.kind === 'link' ? l.link.name : l.kind)), ['nightly-retrain', 'ingest-landing', 'landing-csv']);
    const items = links.map((l) => api.linksTree.getTreeItem(l));
    assert.deepStrictEqual(items.map((i) => i.contextValue), ['bridge:link+adf-to-sfn', 'bridge:link+sfn-to-adf', 'bridge:link+s3-to-sfn']);
    assert.deepStrictEqual(items.map((i) => (i.iconPath as vscode.ThemeIcon).id), ['arrow-right', 'arrow-left', 'package'], 'an icon per trigger');
    assert.match(String(items[0].description), /^dev/, 'the description names the environment');
    const tooltip = (items[0].tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /RetrainModel/, 'the tooltip names the pipeline');
    assert.match(tooltip, /stateMachine:Retrain/, 'and the state machine');

    const guarded = (api.linksTree.getChildren(configNode(api, RUNS())) as LinksNode[]).find((l) => l.kind === 'link' && l.link.name === 'guarded-load')!;
    assert.strictEqual(api.linksTree.getTreeItem(guarded).contextValue, 'bridge:link+s3-to-sfn+protected');

    // Under a link: its ends in the order the run flows, then its payloads.
    const children = api.linksTree.getChildren(links[0]) as LinksNode[];
    assert.deepStrictEqual(
      children.map((c) => (c.kind === 'end' ? `end:${c.end}` : c.kind === 'payload' ? `payload:${c.label}` : c.kind)),
      ['end:adf', 'end:gateway', 'end:sfn', 'payload:retrain-small.json', 'payload:retrain-full.json'],
    );
    assert.strictEqual(api.linksTree.getTreeItem(children[3]).contextValue, 'bridge:payload+file');
  });

  test('selecting a link opens its config at the link; its ADF end opens the pipeline JSON at the activity', async () => {
    await api.links.whenLoaded();
    const link = (api.linksTree.getChildren(configNode(api, SAMPLES())) as LinksNode[])[0];
    const item = api.linksTree.getTreeItem(link);
    assert.ok(item.command, 'a link opens something when selected');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.document.uri.fsPath, SAMPLES());
    assert.strictEqual(editor.document.getText(editor.selection), '"nightly-retrain"', 'the link\'s key is selected');

    // The ends' places in their own files are read in the background once the link is expanded.
    api.linksTree.getChildren(link);
    const adfEnd = await new Promise<LinksNode>((resolve, reject) => {
      const find = () => (api.linksTree.getChildren(link) as LinksNode[]).find((c) => c.kind === 'end' && c.end === 'adf' && c.location.file.endsWith('RetrainModel.json'));
      const now = find();
      if (now) return resolve(now);
      const timer = setTimeout(() => (sub.dispose(), reject(new Error('the ADF end never pointed at the pipeline JSON'))), WAIT_MS);
      const sub = api.links.onDidChange.on(() => {
        const found = find();
        if (found) (clearTimeout(timer), sub.dispose(), resolve(found));
      });
    });
    const endItem = api.linksTree.getTreeItem(adfEnd);
    await vscode.commands.executeCommand(endItem.command!.command, ...(endItem.command!.arguments ?? []));
    const pipelineEditor = vscode.window.activeTextEditor!;
    assert.ok(pipelineEditor.document.uri.fsPath.endsWith('RetrainModel.json'));
    assert.strictEqual(pipelineEditor.document.getText(pipelineEditor.selection), '"StartRetrain"', 'the activity is selected');
  });

  test('bridge.runLink with arguments runs each sample link on the sandbox: Succeeded, with its ids, every log line carrying the correlation id', async () => {
    const expected: Record<string, { pipelineRun: boolean; execution: boolean }> = {
      'nightly-retrain': { pipelineRun: true, execution: true },
      'ingest-landing': { pipelineRun: true, execution: true },
      'landing-csv': { pipelineRun: false, execution: true },
    };
    for (const [link, ids] of Object.entries(expected)) {
      const result = await runLink({ config: SAMPLES(), link, target: 'sandbox' });
      assert.ok(result, `${link}: the command resolves to the summary`);
      assert.strictEqual(result.status, 'Succeeded', `${link}: ${JSON.stringify(result)}`);
      assert.match(result.correlationId, /^\S{8,}$/);
      assert.ok(result.events > 0, `${link}: events were followed`);
      assert.strictEqual(!!result.pipelineRunId, ids.pipelineRun, `${link}: pipelineRunId ${result.pipelineRunId}`);
      assert.strictEqual(!!result.executionArn, ids.execution, `${link}: executionArn ${result.executionArn}`);
      if (result.executionArn) assert.match(result.executionArn, /^arn:aws:states:eu-west-1:123456789012:execution:/);
      const record = api.runs.get(result.correlationId);
      assert.ok(record, `${link}: the run is in the Runs view`);
      assert.strictEqual(record.status, 'Succeeded');
      assert.ok(record.lines.length >= result.events + 2, `${link}: a log line per event, plus the start and the summary`);
      for (const line of record.lines) assert.ok(line.includes(`[${result.correlationId}]`), `${link}: every line carries the correlation id: ${line}`);
      assert.ok(record.roots.length > 0, `${link}: the run expands into its pipeline runs and executions`);
    }
    // The link's description and its recent runs show the last run.
    const link = (api.linksTree.getChildren(configNode(api, SAMPLES())) as LinksNode[])[0];
    assert.match(String(api.linksTree.getTreeItem(link).description), /last run Succeeded/);
    assert.ok(api.linksTree.getChildren(link).some((c) => c.kind === 'run'), 'its recent runs are listed under it');
    // The sandbox is a child process of the extension host, not loaded into it.
    const side = await api.runSide();
    assert.ok(side.sandbox.running && side.sandbox.pid && side.sandbox.pid !== process.pid, 'the sandbox runs in its own process');
  });

  test('the Runs view shows a run with its activities and states, each with a status and a duration', async () => {
    const result = await runLink({ config: SAMPLES(), link: 'nightly-retrain' });
    const record = api.runs.get(result.correlationId)!;
    const roots = record.roots.map((k) => record.steps.get(k)!);
    assert.ok(roots.some((s) => s.of === 'pipeline' && s.status === 'Succeeded'), `a pipeline run: ${roots.map((s) => `${s.of} ${s.name} ${s.status}`).join(', ')}`);
    const steps = [...record.steps.values()];
    assert.ok(steps.some((s) => s.of === 'activity' && s.name === 'StartRetrain'), 'the Web activity that starts the state machine');
    assert.ok(steps.some((s) => s.of === 'state'), 'the states of the execution');
    assert.ok(steps.every((s) => s.status !== 'Running'), 'nothing left running once the run is over');
    const top = (await import('../../src/extension/runs/tree')).runNode(record, 'test');
    assert.strictEqual(top.record.correlationId, result.correlationId);
  });

  test('a Task mock that throws makes a Failed run, with the reason', async () => {
    const result = await runLink({ config: RUNS(), link: 'load-fails' });
    assert.strictEqual(result.status, 'Failed', JSON.stringify(result));
    assert.ok(result.executionArn, 'the execution that failed');
    assert.match(result.reason ?? '', /Glue\.JobRunFailed|rejected the load|LoadToWarehouse/, `the reason names the failure: ${result.reason}`);
  });

  test('a protected link against the cloud without confirm is Refused before any credential is read or any call made', async () => {
    const touched: string[] = [];
    const calls: string[] = [];
    const saved = { ...process.env };
    const tripwire = inWorkspace('runs/.tripwire').fsPath;
    process.env.AWS_SHARED_CREDENTIALS_FILE = `${tripwire}/credentials`;
    process.env.AWS_CONFIG_FILE = `${tripwire}/config`;
    process.env.AZURE_CONFIG_DIR = tripwire;
    // The modules themselves (not TypeScript's read-only import namespaces): the engine's bundle requires the same objects.
    const nodeFs = require('fs') as Record<string, unknown> & { promises: Record<string, unknown> };
    const fsp = nodeFs.promises;
    const patched: [Record<string, unknown>, string, unknown][] = [];
    const patch = (target: Record<string, unknown>, name: string, wrap: (orig: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown) => {
      patched.push([target, name, target[name]]);
      target[name] = wrap(target[name] as (...a: unknown[]) => unknown);
    };
    const noteFile = (orig: (...a: unknown[]) => unknown) =>
      function (this: unknown, ...a: unknown[]) {
        touched.push(String(a[0]));
        return orig.apply(this, a);
      };
    const noteCall = (orig: (...a: unknown[]) => unknown) =>
      function (this: unknown, ...a: unknown[]) {
        const first = a[0] as { hostname?: string; host?: string } | string | URL;
        calls.push(typeof first === 'string' ? first : first instanceof URL ? first.href : `${first?.hostname ?? first?.host}`);
        return orig.apply(this, a);
      };
    for (const name of ['readFile', 'readFileSync', 'open', 'openSync', 'existsSync', 'statSync', 'stat']) patch(nodeFs, name, noteFile);
    for (const name of ['readFile', 'open', 'stat']) patch(fsp, name, noteFile);
    patch(require('http') as Record<string, unknown>, 'request', noteCall);
    patch(require('https') as Record<string, unknown>, 'request', noteCall);
    let result: RunResult;
    try {
      result = await runLink({ config: RUNS(), link: 'guarded-load', target: 'cloud' });
    } finally {
      for (const [target, name, orig] of patched.reverse()) target[name] = orig;
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    assert.strictEqual(result.status, 'Refused', JSON.stringify(result));
    assert.match(result.reason ?? '', /prod|protected/i, `the reason names the environment: ${result.reason}`);
    const credentialReads = touched.filter((p) => p.startsWith(tripwire) || /[\\/]\.aws[\\/]|[\\/]\.azure[\\/]/.test(p));
    assert.deepStrictEqual(credentialReads, [], 'no credential file was read');
    assert.deepStrictEqual(calls.filter((c) => !/127\.0\.0\.1|localhost/.test(c)), [], 'no cloud call was made');
  });

  test('bridge.stopRun cancels a run that is being followed', async () => {
    const running = runLink({ config: RUNS(), link: 'slow-load' });
    const record = await waitForRun(api, (r) => r.link === 'slow-load' && r.status === 'Running' && r.events > 0 && !!r.handle, 'the slow run to start', RUN_MS);
    const stopped = await vscode.commands.executeCommand<boolean>('bridge.stopRun', record.correlationId);
    assert.strictEqual(stopped, true, 'stopRun says it stopped the run');
    const result = await running;
    assert.strictEqual(result.status, 'Cancelled', JSON.stringify(result));
    assert.strictEqual(api.runs.get(result.correlationId)?.status, 'Cancelled');
  });

  test('a bad argument rejects with a message that names what is wrong', async () => {
    const rejects = async (arg: Record<string, unknown>, pattern: RegExp) => {
      await assert.rejects(Promise.resolve(runLink(arg)), (e: Error) => {
        assert.match(e.message, pattern);
        return true;
      });
    };
    await rejects({ config: SAMPLES(), link: 'no-such-link' }, /no link "no-such-link".*nightly-retrain/);
    await rejects({ config: inWorkspace('nowhere.bridge.jsonc').fsPath, link: 'nightly-retrain' }, /no bridge config at .*nowhere\.bridge\.jsonc/);
    await rejects({ link: 'nightly-retrain', target: 'moon' }, /"target" must be "sandbox" or "cloud"/);
    await rejects({ config: SAMPLES() }, /"link" must be the name of a link/);
    await rejects({ config: SAMPLES(), link: 'nightly-retrain', payload: inWorkspace('samples/payloads/none.json').fsPath }, /"payload" .*none\.json is not a file/);
    await rejects({ link: 'no-such-link' }, /no link "no-such-link" in the workspace/);
  });

  test('the link name alone finds its config; a payload given as an object is sent; rerun, copy id and the run log follow the run', async () => {
    const result = await runLink({ link: 'landing-csv', payload: { version: '0', detail: { bucket: { name: 'analytics-landing-dev' }, object: { key: 'incoming/x.csv', size: 1 } } } });
    assert.ok(['Succeeded', 'Failed'].includes(result.status), JSON.stringify(result));
    const copied = await vscode.commands.executeCommand<string>('bridge.copyCorrelationId', result.correlationId);
    assert.strictEqual(copied, result.correlationId);
    assert.strictEqual(await vscode.env.clipboard.readText(), result.correlationId, 'on the clipboard');
    const again = await vscode.commands.executeCommand<RunResult>('bridge.rerun', result.correlationId);
    assert.ok(again && again.correlationId !== result.correlationId, 'a fresh correlation id');
    assert.strictEqual(api.runs.get(again.correlationId)?.link, 'landing-csv', 'the same link');
    const logUri = await vscode.commands.executeCommand<vscode.Uri>('bridge.showRunLog', again.correlationId);
    assert.ok(logUri, 'the run log opens');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.ok(text.includes(`[${again.correlationId}]`) && text.split('\n').length > 3, `the run's own lines:\n${text.slice(0, 300)}`);
  });

  test('Select Run Target sets the setting and the lenses follow; the config shows a Run lens above each link', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(SAMPLES()));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const runs = lenses.filter((l) => l.command?.command === 'bridge.runLink');
    assert.strictEqual(runs.length, 3, 'one per link');
    const keyLine = doc.getText().split('\n').findIndex((l) => l.includes('"nightly-retrain": {'));
    assert.ok(runs.some((l) => l.range.start.line === keyLine), 'above the link\'s key');
    assert.match(runs[0].command!.title, /sandbox/);
    try {
      assert.strictEqual(await vscode.commands.executeCommand('bridge.selectTarget', 'cloud'), 'cloud');
      assert.strictEqual(vscode.workspace.getConfiguration('bridge').get('target'), 'cloud');
      const after = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      assert.match(after.find((l) => l.command?.command === 'bridge.runLink')!.command!.title, /cloud/);
    } finally {
      await vscode.commands.executeCommand('bridge.selectTarget', 'sandbox');
    }
  });
});
