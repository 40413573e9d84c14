import * as assert from 'assert';
import * as vscode from 'vscode';
import { RULES } from '../../src/core/rules/codes';
import {
  assertEditsStayUnsaved,
  EXTENSION_ID,
  activateExtension,
  bridgeDiagnostics,
  codeOf,
  copyFixture,
  describeDiagnostics,
  hasCode,
  inWorkspace,
  lacksCode,
  openEditor,
  readText,
  revertAndCloseAll,
  waitForDiagnostics,
} from './helpers';

const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
const remove = (uri: vscode.Uri) => vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
const none = (l: vscode.Diagnostic[]) => l.length === 0;

suite('Diagnostics lifecycle', () => {
  const created: vscode.Uri[] = [];
  suiteSetup(async () => {
    assertEditsStayUnsaved();
    await activateExtension();
  });
  teardown(async () => {
    await revertAndCloseAll();
    for (const uri of created.splice(0).reverse()) await remove(uri);
  });

  test('every problem carries its rule code, a link to the rule in docs/rules.md and the source "bridge"', async () => {
    await vscode.commands.executeCommand('bridge.validateWorkspace');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const rulesDoc = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'docs', 'rules.md')));
    const sections = new Set([...rulesDoc.matchAll(/^##\s+(\S+)\s*$/gm)].map((m) => m[1]));
    const bad: string[] = [];
    let seen = 0;
    const codes = new Set<string>();
    for (const [uri, list] of vscode.languages.getDiagnostics()) {
      for (const d of list.filter((x) => x.source === 'bridge')) {
        seen++;
        const where = `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1}`;
        if (typeof d.code !== 'object' || !(d.code.target instanceof vscode.Uri)) {
          bad.push(`${where}: code ${JSON.stringify(d.code)} has no link`);
          continue;
        }
        const code = String(d.code.value);
        codes.add(code);
        const target = d.code.target;
        if (!(code in RULES)) bad.push(`${where}: ${code} is not a rule code`);
        if (target.scheme !== 'https') bad.push(`${where}: ${code} links to ${target.toString()} (not https)`);
        if (!/\/docs\/rules\.md$/.test(target.path)) bad.push(`${where}: ${code} links to ${target.toString()}, not docs/rules.md`);
        if (target.fragment !== code) bad.push(`${where}: ${code} links to the section #${target.fragment}`);
        if (!sections.has(code)) bad.push(`${where}: docs/rules.md has no "## ${code}" section`);
      }
    }
    assert.ok(seen >= 10 && codes.size >= 8, `the fixture shows problems of many rules (${seen} problems, codes ${[...codes].join(', ')})`);
    assert.deepStrictEqual(bad, []);
  });

  test('closing a config without saving its edits shows the saved file again', async () => {
    const uri = await copyFixture('typing.bridge.jsonc', 'lc-close.bridge.jsonc');
    created.push(uri);
    const editor = await openEditor(uri);
    await waitForDiagnostics(uri, none, 'a clean start');
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('"version": 1'));
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(line, 0), '  "colour": "blue",\n')));
    await waitForDiagnostics(uri, hasCode('unknown-property'), 'unknown-property for the unsaved key');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitForDiagnostics(uri, none, 'the unsaved problem to go when the editor closes without saving');
  });

  test('closing a referenced pipeline without saving brings the config back to the saved pipeline', async () => {
    const config = inWorkspace('crossfile.bridge.jsonc');
    const pipeline = inWorkspace('adf/pipeline/CrossFile.json');
    await waitForDiagnostics(config, none, 'a clean start');
    const editor = await openEditor(pipeline);
    const at = editor.document.getText().indexOf('"CallGateway"') + 1;
    const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'CallGateway'.length));
    assert.ok(await editor.edit((b) => b.replace(range, 'Renamed')));
    await waitForDiagnostics(config, hasCode('activity-not-found'), 'activity-not-found from the unsaved pipeline');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitForDiagnostics(config, none, 'the config to read the saved pipeline again');
  });

  test('an unsaved edit of the pipeline the planted config reads updates that config (declare the parameter by hand)', async () => {
    const config = inWorkspace('broken.bridge.jsonc');
    const pipeline = inWorkspace('adf/pipeline/ExportOrders.json');
    await waitForDiagnostics(config, hasCode('correlation-parameter-missing'), 'correlation-parameter-missing');
    const editor = await openEditor(pipeline);
    const text = editor.document.getText();
    const at = text.indexOf('"runDate": {');
    assert.ok(at > 0);
    assert.ok(await editor.edit((b) => b.insert(editor.document.positionAt(at), '"correlationId": { "type": "string" },\n            ')));
    assert.ok(editor.document.isDirty);
    await waitForDiagnostics(config, lacksCode('correlation-parameter-missing'), 'correlation-parameter-missing to go');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitForDiagnostics(config, hasCode('correlation-parameter-missing'), 'correlation-parameter-missing back once the edit is discarded');
  });

  test('deleting a referenced file clears its own problems and the config reports it missing', async () => {
    const payload = inWorkspace('payloads/lc-doomed.json');
    await write(payload, '{ "runDate": "2024-01-01" "extra": 1 }\n');
    created.push(payload);
    const base = await readText(inWorkspace('typing.bridge.jsonc'));
    const correlation = '"correlation": { "adfParameter": "runDate", "sfnInputPath": "$.correlationId" }';
    assert.ok(base.includes(correlation));
    const config = inWorkspace('lc-payload.bridge.jsonc');
    await write(config, base.replace(correlation, `${correlation},\n      "payloads": ["./payloads/lc-doomed.json"]`));
    created.push(config);
    await waitForDiagnostics(payload, hasCode('payload-invalid-json'), 'payload-invalid-json on the payload');
    await waitForDiagnostics(config, lacksCode('file-not-found'), 'the config to find its payload');
    await remove(payload);
    await waitForDiagnostics(payload, none, "the deleted payload's problems to be cleared");
    const list = await waitForDiagnostics(config, hasCode('file-not-found'), 'file-not-found on the config');
    const d = list.find((x) => codeOf(x) === 'file-not-found')!;
    assert.ok((await readText(config)).split('\n')[d.range.start.line].includes('lc-doomed.json'), 'on the payload path');
    await remove(config);
    await waitForDiagnostics(config, none, "the deleted config's problems to be cleared");
  });

  test('deleting a folder clears the problems of the configs inside it', async () => {
    const folder = inWorkspace('lc-folder');
    const nested = vscode.Uri.joinPath(folder, 'deep');
    await vscode.workspace.fs.createDirectory(nested);
    created.push(folder);
    const a = vscode.Uri.joinPath(folder, 'a.bridge.jsonc');
    const b = vscode.Uri.joinPath(nested, 'b.bridge.json');
    await write(a, '{ "version": 2 }\n');
    await write(b, '{ "version": 2 }\n');
    await waitForDiagnostics(a, hasCode('unsupported-version'), 'unsupported-version on a');
    await waitForDiagnostics(b, hasCode('unsupported-version'), 'unsupported-version on b (a *.bridge.json)');
    await remove(folder);
    await waitForDiagnostics(a, none, 'a to be cleared');
    await waitForDiagnostics(b, none, 'b to be cleared');
  });

  test('a config deleted while open is cleared once its editor closes', async () => {
    const uri = await copyFixture('broken.bridge.jsonc', 'lc-open-deleted.bridge.jsonc');
    created.push(uri);
    await openEditor(uri);
    await waitForDiagnostics(uri, hasCode('unknown-property'), 'the planted problems');
    await remove(uri);
    // The editor still shows the text (VS Code marks it deleted); closing it must not leave problems behind.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitForDiagnostics(uri, none, 'its problems to go once the editor closes');
  });

  test('a config deleted after its tab closed is cleared (its document may linger unseen)', async () => {
    const uri = await copyFixture('broken.bridge.jsonc', 'lc-closed-deleted.bridge.jsonc');
    created.push(uri);
    await openEditor(uri);
    await waitForDiagnostics(uri, hasCode('unknown-property'), 'the planted problems');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // A workspace config stays validated when closed: closing revalidates it from disk. The close
    // event reaches the extension host after the command resolves (under load, after an idle
    // validator has been seen), so wait for the problems to be shown from disk, with a bound.
    await (await activateExtension()).validator.idle();
    await waitForDiagnostics(uri, hasCode('unknown-property'), 'still shown after closing: it is in the workspace');
    await remove(uri);
    await waitForDiagnostics(uri, none, 'its problems to go when the file is deleted');
  });

  test('a pipeline created on disk satisfies a config that was missing it; deleting it brings the problem back', async () => {
    const base = await readText(inWorkspace('typing.bridge.jsonc'));
    const config = inWorkspace('lc-late.bridge.jsonc');
    await write(config, base.replace('"pipeline": "ExportOrders"', '"pipeline": "LateArrival"'));
    created.push(config);
    await waitForDiagnostics(config, hasCode('pipeline-not-found'), 'pipeline-not-found');
    const pipeline = inWorkspace('adf/pipeline/LateArrival.json');
    const source = await readText(inWorkspace('adf/pipeline/ExportOrders.json'));
    await write(pipeline, source.replace('"name": "ExportOrders"', '"name": "LateArrival"'));
    created.push(pipeline);
    const list = await waitForDiagnostics(config, lacksCode('pipeline-not-found'), 'pipeline-not-found to go once the pipeline exists');
    assert.deepStrictEqual(list.filter((d) => codeOf(d) === 'activity-not-found'), [], `the new pipeline is read:\n    ${describeDiagnostics(list)}`);
    await remove(pipeline);
    await waitForDiagnostics(config, hasCode('pipeline-not-found'), 'pipeline-not-found back after the delete');
    assert.ok(bridgeDiagnostics(config).length > 0);
  });
});
