import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, copyFixture, openEditor, revertAndCloseAll, waitForDiagnostics } from './helpers';

/** What VS Code's JSON language server reports (everything that is not ours). */
const jsonDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'bridge');

/**
 * Asks for completions until the JSON language server (which loads the contributed schema on
 * first use) answers with `expected`, for at most 20 s; returns the labels of the last answer.
 */
async function completionLabels(uri: vscode.Uri, position: vscode.Position, expected: string): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  let labels: string[] = [];
  while (Date.now() < deadline) {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    labels = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/^"|"$/g, ''));
    if (labels.includes(expected)) return labels;
    await new Promise((r) => setTimeout(r, 250));
  }
  return labels;
}

suite('JSON Schema and JSONC support', () => {
  suiteSetup(async () => {
    await activateExtension();
  });
  teardown(revertAndCloseAll);

  test('bridge configs open as JSON with Comments (*.bridge.jsonc and *.bridge.json)', async () => {
    const jsonc = await openEditor(await copyFixture('typing.bridge.jsonc', 'lang.bridge.jsonc'));
    assert.strictEqual(jsonc.document.languageId, 'jsonc');
    const json = await openEditor(await copyFixture('typing.bridge.jsonc', 'lang.bridge.json'));
    assert.strictEqual(json.document.languageId, 'jsonc');
  });

  test('completion offers the schema keys', async () => {
    const uri = await copyFixture('typing.bridge.jsonc', 'completion.bridge.jsonc');
    const editor = await openEditor(uri);
    const text = editor.document.getText();
    const inAws = editor.document.positionAt(text.indexOf('"aws": { ') + '"aws": { '.length);
    const awsKeys = await completionLabels(uri, inAws, 'partition');
    for (const key of ['partition', 'profile']) assert.ok(awsKeys.includes(key), `aws offers ${key}; got ${JSON.stringify(awsKeys)}`);
    const inLink = editor.document.positionAt(text.indexOf('"trigger": "adf-to-sfn",') + '"trigger": "adf-to-sfn",'.length);
    const linkKeys = await completionLabels(uri, inLink, 'payloads');
    for (const key of ['environment', 'payloads', 'mocks', 's3']) assert.ok(linkKeys.includes(key), `a link offers ${key}; got ${JSON.stringify(linkKeys)}`);
    const inTrigger = editor.document.positionAt(text.indexOf('"adf-to-sfn"') + 1);
    const triggers = await completionLabels(uri, inTrigger, 's3-to-sfn');
    for (const t of ['adf-to-sfn', 'sfn-to-adf', 's3-to-sfn']) assert.ok(triggers.includes(t), `trigger values offer ${t}; got ${JSON.stringify(triggers)}`);
  });

  test('hover documents a key', async () => {
    const uri = await copyFixture('typing.bridge.jsonc', 'hover.bridge.jsonc');
    const editor = await openEditor(uri);
    const at = editor.document.positionAt(editor.document.getText().indexOf('"repoRoot"') + 2);
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline && !/pipeline\//.test(text)) {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at)) ?? [];
      text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      if (!/pipeline\//.test(text)) await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(text, /pipeline\//, 'the repoRoot hover says what the folder holds');
  });

  test("comments and trailing commas raise no complaint from VS Code's JSON support", async () => {
    // broken.bridge.jsonc is full of comments and trailing commas, and has a key the schema does
    // not know: once the JSON language server reports that key, it has checked the whole file.
    const uri = await copyFixture('broken.bridge.jsonc', 'jsonc-support.bridge.jsonc');
    await openEditor(uri);
    const list = await waitForDiagnostics(uri, (l) => l.some((d) => d.message.includes('paylods')), 'the JSON language server to validate', 30_000, jsonDiagnostics);
    const complaints = list.filter((d) => /comma|comment/i.test(d.message));
    assert.deepStrictEqual(complaints.map((d) => d.message), [], 'no comment or trailing-comma complaints');
  });
});
