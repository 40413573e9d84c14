import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  assertEditsStayUnsaved,
  activateExtension,
  codeOf,
  copyFixture,
  describeDiagnostics,
  hasCode,
  inWorkspace,
  lacksCode,
  openEditor,
  rangeOnMarkedLine,
  readText,
  revertAndCloseAll,
  waitForDiagnostics,
} from './helpers';

/** What broken.bridge.jsonc must report: the code, and the text its range covers on the marked line. */
const PLANTED: { code: string; needle: string }[] = [
  { code: 'unprotected-prod', needle: 'prod' },
  { code: 'region-mismatch', needle: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders' },
  { code: 'missing-throttle', needle: 'gateway' },
  { code: 'account-mismatch', needle: 'arn:aws:iam::210987654321:role/export-orders' },
  { code: 'correlation-parameter-missing', needle: 'correlationId' },
  { code: 'partition-mismatch', needle: 'arn:aws-cn:states:eu-west-1:123456789012:stateMachine:StartExport' },
  { code: 'unknown-property', needle: 'paylods' },
  { code: 'missing-property', needle: 'landing' },
];

suite('Diagnostics', () => {
  suiteSetup(async () => {
    assertEditsStayUnsaved();
    await activateExtension();
  });
  teardown(revertAndCloseAll);

  test('a config nobody opened is validated by the workspace scan', async () => {
    const uri = inWorkspace('broken.bridge.jsonc');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'not open yet');
    await waitForDiagnostics(uri, (l) => l.length >= PLANTED.length, 'the planted problems');
  });

  test('the broken sample shows each planted code at its range, with source and rule link', async () => {
    const uri = inWorkspace('broken.bridge.jsonc');
    await openEditor(uri);
    const list = await waitForDiagnostics(uri, (l) => PLANTED.every((p) => hasCode(p.code)(l)), 'all planted codes');
    const text = await readText(uri);
    for (const { code, needle } of PLANTED) {
      const expected = rangeOnMarkedLine(text, code, needle);
      const found = list.filter((d) => codeOf(d) === code);
      assert.strictEqual(found.length, 1, `one ${code}; got:\n    ${describeDiagnostics(list)}`);
      const d = found[0];
      assert.ok(d.range.isEqual(expected), `${code} at ${fmt(expected)}, got ${fmt(d.range)}`);
      assert.strictEqual(d.source, 'bridge');
      assert.ok(typeof d.code === 'object' && d.code.target instanceof vscode.Uri, `${code} links to its documentation`);
      assert.ok(d.code.target.toString().includes(code), `${code}'s link names the rule: ${d.code.target.toString()}`);
      const severity = ['unprotected-prod', 'missing-throttle', 'unknown-property'].includes(code)
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Error;
      assert.strictEqual(d.severity, severity, `${code} severity`);
    }
    assert.strictEqual(list.length, PLANTED.length, `nothing but the planted problems:\n    ${describeDiagnostics(list)}`);
  });

  test('problems in referenced files are shown on those files', async () => {
    const asl = inWorkspace('statemachines/broken.asl.json');
    const payload = inWorkspace('payloads/broken.json');
    const pipeline = inWorkspace('adf/pipeline/Refs.json');
    const aslList = await waitForDiagnostics(asl, hasCode('asl-invalid'), 'asl-invalid');
    const aslRange = aslList.find((d) => codeOf(d) === 'asl-invalid')!.range;
    const aslLine = (await readText(asl)).split('\n')[aslRange.start.line];
    // `"StartAt": "Missing"`: the range covers the value's text, without its quotes.
    assert.strictEqual(aslLine.slice(aslRange.start.character, aslRange.end.character), 'Missing', `on the StartAt value, without quotes: ${fmt(aslRange)}`);
    await waitForDiagnostics(payload, hasCode('payload-invalid-json'), 'payload-invalid-json');
    const mocks = inWorkspace('mocks/broken.mock.json');
    const mockList = await waitForDiagnostics(mocks, hasCode('mock-invalid'), 'mock-invalid');
    const mockText = await readText(mocks);
    const mock = mockList.find((d) => codeOf(d) === 'mock-invalid')!;
    assert.ok(mockText.split('\n')[mock.range.start.line].includes('NoSuchState'), 'on the state the definition lacks');
    const pipelineList = await waitForDiagnostics(pipeline, hasCode('expression-error'), 'expression-error');
    const expr = pipelineList.find((d) => codeOf(d) === 'expression-error')!;
    const text = await readText(pipeline);
    const line = text.split('\n')[expr.range.start.line];
    assert.ok(line.includes('"@json(concat('), 'reported on the line with the broken expression');
    const config = inWorkspace('refs.bridge.jsonc');
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(config).filter((d) => d.source === 'bridge'),
      [],
      'the config itself is clean',
    );
  });

  test('typing an error shows it; fixing it clears it (unsaved buffer)', async () => {
    const uri = inWorkspace('typing.bridge.jsonc');
    const editor = await openEditor(uri);
    const before = await waitForDiagnostics(uri, (l) => l.length === 0, 'a clean start');
    assert.deepStrictEqual(before, []);
    // Put the cursor right after eu-west-1 in "region": "eu-west-1" and type like a user.
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('"region": "eu-west-1"'));
    const character = editor.document.lineAt(line).text.indexOf('eu-west-1') + 'eu-west-1'.length;
    editor.selection = new vscode.Selection(line, character, line, character);
    for (const ch of 'x9') await vscode.commands.executeCommand('type', { text: ch });
    assert.ok(editor.document.isDirty, 'the edit is unsaved');
    // Both keystrokes' text, not the first one's: "eu-west-1x" is invalid too, and its result may land first.
    const coversTyped = (x: vscode.Diagnostic) => codeOf(x) === 'invalid-value' && editor.document.getText(x.range).includes('eu-west-1x9');
    const broken = await waitForDiagnostics(uri, (l) => l.some(coversTyped), 'invalid-value covering "eu-west-1x9" (after the second keystroke)');
    const d = broken.find(coversTyped)!;
    assert.strictEqual(d.range.start.line, line, 'on the edited line');
    assert.ok(editor.document.getText(d.range).includes('eu-west-1x9'), `covers the typed value: ${editor.document.getText(d.range)}`);
    for (let i = 0; i < 2; i++) await vscode.commands.executeCommand('deleteLeft');
    await waitForDiagnostics(uri, (l) => l.length === 0, 'the problem to go once the typing is undone');
  });

  test('an unsaved edit of a referenced pipeline revalidates the config', async () => {
    const config = inWorkspace('crossfile.bridge.jsonc');
    const pipeline = inWorkspace('adf/pipeline/CrossFile.json');
    await waitForDiagnostics(config, (l) => l.length === 0, 'a clean start');
    const editor = await openEditor(pipeline);
    const text = editor.document.getText();
    const at = text.indexOf('"CallGateway"') + 1;
    const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'CallGateway'.length));
    assert.ok(await editor.edit((b) => b.replace(range, 'CallTheGateway')));
    assert.ok(editor.document.isDirty, 'the pipeline edit is unsaved');
    const list = await waitForDiagnostics(config, hasCode('activity-not-found'), 'activity-not-found on the config');
    const d = list.find((x) => codeOf(x) === 'activity-not-found')!;
    const configText = await readText(config);
    assert.strictEqual(configText.split('\n')[d.range.start.line].includes('"activity": "CallGateway"'), true, 'on the activity of the config');
    // Put the name back: the config is clean again, still without saving.
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), text, 'undo restored the pipeline');
    await waitForDiagnostics(config, lacksCode('activity-not-found'), 'activity-not-found to go');
  });

  test('a referenced pipeline rewritten on disk (outside the editor) revalidates the config', async () => {
    const config = inWorkspace('diskedit.bridge.jsonc');
    const pipeline = inWorkspace('adf/pipeline/DiskEdit.json');
    await openEditor(config);
    await waitForDiagnostics(config, (l) => l.length === 0, 'a clean start');
    const api = await activateExtension();
    await api.validator.idle(); // the config has been read once, so its files are in the disk cache
    const original = await readText(pipeline);
    const write = (text: string) => vscode.workspace.fs.writeFile(pipeline, new TextEncoder().encode(text));
    await write(original.replace('"name": "CallGateway"', '"name": "CallTheGateway"'));
    await waitForDiagnostics(config, hasCode('activity-not-found'), 'activity-not-found after the disk change');
    await write(original);
    await waitForDiagnostics(config, lacksCode('activity-not-found'), 'activity-not-found to go once the file is restored');
  });

  test('saving a referenced pipeline keeps the config in step with the saved text', async () => {
    const config = inWorkspace('diskedit.bridge.jsonc');
    const pipeline = inWorkspace('adf/pipeline/DiskEdit.json');
    await waitForDiagnostics(config, (l) => l.length === 0, 'a clean start');
    const editor = await openEditor(pipeline);
    const at = editor.document.getText().indexOf('"CallGateway"') + 1;
    const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'CallGateway'.length));
    assert.ok(await editor.edit((b) => b.replace(range, 'CallAnotherGateway')));
    await waitForDiagnostics(config, hasCode('activity-not-found'), 'activity-not-found from the unsaved edit');
    assert.ok(await editor.document.save(), 'saved');
    // After the save the buffer is clean and the config reads the disk: the problem must stay.
    const api = await activateExtension();
    await api.validator.idle();
    await waitForDiagnostics(config, hasCode('activity-not-found'), 'activity-not-found read from the saved file');
    assert.ok(await editor.edit((b) => b.replace(new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'CallAnotherGateway'.length)), 'CallGateway')));
    assert.ok(await editor.document.save(), 'saved again');
    await waitForDiagnostics(config, lacksCode('activity-not-found'), 'activity-not-found to go after saving the fix');
  });

  test('discarding unsaved edits shows the saved file again', async () => {
    const uri = await copyFixture('typing.bridge.jsonc', 'revert.bridge.jsonc');
    const editor = await openEditor(uri);
    await waitForDiagnostics(uri, (l) => l.length === 0, 'a clean start');
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('"version": 1'));
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(line, 0), '  "colour": "blue",\n')));
    await waitForDiagnostics(uri, hasCode('unknown-property'), 'unknown-property for the unsaved key');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(uri, (l) => l.length === 0, 'the unsaved problem to go on revert');
  });

  test('a config outside the workspace is validated while open and cleared when closed', async () => {
    const outside = vscode.Uri.joinPath(inWorkspace(''), '..', `outside-${Date.now()}`);
    await vscode.workspace.fs.createDirectory(outside);
    const uri = vscode.Uri.joinPath(outside, 'loose.bridge.jsonc');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{ "version": 2 }\n'));
    try {
      await openEditor(uri);
      await waitForDiagnostics(uri, hasCode('unsupported-version'), 'unsupported-version while open');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await waitForDiagnostics(uri, (l) => l.length === 0, 'its diagnostics to be cleared on close');
      await openEditor(uri);
      await waitForDiagnostics(uri, hasCode('unsupported-version'), 'unsupported-version again when reopened');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(outside, { recursive: true });
    }
  });

  test('deleting a config clears its diagnostics', async () => {
    const uri = await copyFixture('broken.bridge.jsonc', 'doomed.bridge.jsonc');
    await waitForDiagnostics(uri, (l) => l.length >= PLANTED.length, 'the copy to be validated');
    await vscode.workspace.fs.delete(uri);
    await waitForDiagnostics(uri, (l) => l.length === 0, 'its diagnostics to be cleared');
  });

  test('a config created on disk is validated without being opened', async () => {
    const uri = await copyFixture('broken.bridge.jsonc', 'created.bridge.jsonc');
    await waitForDiagnostics(uri, (l) => PLANTED.every((p) => hasCode(p.code)(l)), 'the planted problems');
    await vscode.workspace.fs.delete(uri);
  });
});

function fmt(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}
