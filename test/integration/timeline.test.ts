// The cross-cloud timeline in a real VS Code: bridge.showTimeline on a run of the samples (by
// correlation id, from its Runs tree node), one panel per run, a clear refusal of an unknown id.
// What the page draws is checked in a browser by test/harness/ui-timeline.mjs and timeline-page.mjs.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { BridgeExtensionApi } from '../../src/extension/extension';
import type { RunResult } from '../../src/core/run/events';
import { activateWithSandboxTarget, eventually, inWorkspace, revertAndCloseAll } from './helpers';

const SAMPLES = () => inWorkspace('samples/analytics.bridge.jsonc').fsPath;
const RUN_MS = 120_000;

const timelineTabs = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('Timeline: '));

/** Resolves once `test` holds (the shared bounded poll, for a plain condition). */
const until = (what: string, test: () => boolean) => eventually(() => (test() ? true : undefined), what);

suite('The cross-cloud timeline', function () {
  this.timeout(RUN_MS * 2);
  let api: BridgeExtensionApi;
  suiteSetup(async () => {
    api = await activateWithSandboxTarget();
  });
  teardown(revertAndCloseAll);

  test('a finished sandbox run shows as a timeline, by correlation id or from its Runs tree node, in one panel', async () => {
    const result = await vscode.commands.executeCommand<RunResult>('bridge.runLink', { config: SAMPLES(), link: 'nightly-retrain', target: 'sandbox' });
    assert.strictEqual(result.status, 'Succeeded', JSON.stringify(result));
    const shown = await vscode.commands.executeCommand<string>('bridge.showTimeline', result.correlationId);
    assert.strictEqual(shown, result.correlationId);
    await until('the timeline tab', () => timelineTabs().some((t) => t.label === 'Timeline: nightly-retrain'));
    const record = api.runs.get(result.correlationId);
    assert.ok(record, 'the run is in the Runs model');
    assert.ok(record.stream.some((l) => l.type === 'event' && l.source === 'gateway'), 'the run keeps its stream, gateway request included');
    const again = await vscode.commands.executeCommand<string>('bridge.showTimeline', { kind: 'run', id: `runs:${record.correlationId}`, record });
    assert.strictEqual(again, result.correlationId);
    assert.strictEqual(timelineTabs().filter((t) => t.label === 'Timeline: nightly-retrain').length, 1, 'the same run keeps one panel');
  });

  test('live: opened while the run is followed, the panel follows it to its end', async () => {
    const RUNS = inWorkspace('runs/runs.bridge.jsonc').fsPath;
    const running = vscode.commands.executeCommand<RunResult>('bridge.runLink', { config: RUNS, link: 'slow-load' });
    let id: string | undefined;
    await until('the slow run to start', () => {
      const record = api.runs.list().find((r) => r.link === 'slow-load' && r.status === 'Running' && r.events > 0 && !!r.handle);
      id = record?.correlationId;
      return !!id;
    });
    await vscode.commands.executeCommand('bridge.showTimeline', id);
    await until('the running timeline', () => timelineTabs().some((t) => t.label === 'Timeline: slow-load (running)'));
    await vscode.commands.executeCommand('bridge.stopRun', id);
    assert.strictEqual((await running).status, 'Cancelled');
    await until('the timeline to take the end of the run', () => timelineTabs().some((t) => t.label === 'Timeline: slow-load'));
  });

  test('an unknown correlation id opens nothing', async () => {
    const before = timelineTabs().length;
    const shown = await vscode.commands.executeCommand<string | undefined>('bridge.showTimeline', 'no-such-run');
    assert.strictEqual(shown, undefined);
    assert.strictEqual(timelineTabs().length, before);
  });
});
