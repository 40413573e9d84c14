// Sign-in and discovery in the real VS Code: "Link…" adds a link skeleton through the real command
// (comments kept, the new link validated as usual), and the Azure credential asks VS Code's
// Microsoft sign-in for the ARM scope and the config's tenant (a fake provider answers: no account,
// nothing leaves the machine).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { vscodeMicrosoftCredential } from '../../src/extension/auth';
import { activateExtension, codeOf, copyFixture, readText, revertAndCloseAll, waitForDiagnostics } from './helpers';

const TENANT = '7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f';

suite('Cloud: discovery and sign-in', () => {
  suiteSetup(async function () {
    if (process.env.BRIDGE_RESTRICTED === '1') this.skip();
    await activateExtension();
  });
  teardown(revertAndCloseAll);

  test('Link… adds a skeleton to the chosen config, keeps its comments, and the new link is validated', async () => {
    const uri = await copyFixture('typing.bridge.jsonc', 'discover-link.bridge.jsonc');
    const before = await readText(uri);
    const resource = {
      kind: 'pipeline',
      name: 'ArchiveOrders',
      source: { kind: 'factory', key: 'factory test', subscriptionId: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0', resourceGroup: 'rg-orders', factory: 'adf-orders-dev', cloud: 'AzureCloud', configs: [uri.fsPath] },
    };
    const result = await vscode.commands.executeCommand<{ config: string; link: string }>('bridge.discover.link', resource, { trigger: 'sfn-to-adf', config: uri.toString() });
    assert.deepStrictEqual(result, { config: uri.fsPath, link: 'archive-orders' });
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.ok(doc, 'the config is open');
    const text = doc.getText();
    const comments = (t: string) => t.match(/\/\/.*$/gm) ?? [];
    assert.deepStrictEqual(comments(text), comments(before), 'every comment kept');
    assert.ok(text.includes('"archive-orders": {'), text);
    assert.ok(/"adf": \{\s*"pipeline": "ArchiveOrders"\s*\}/.test(text), text);
    assert.ok(vscode.window.activeTextEditor?.document.uri.toString() === uri.toString(), 'the config is shown');
    // The usual validation asks for what the trigger still needs (the unsaved text is what counts).
    const list = await waitForDiagnostics(uri, (l) => l.some((d) => codeOf(d) === 'missing-property' && /arn/.test(d.message)), 'missing stateMachine.arn on the new link');
    assert.ok(list.every((d) => codeOf(d) !== 'json-syntax'), 'still valid JSONC');
  });

  test('Link… refuses a trigger the resource cannot have, naming the ones it can', async () => {
    const uri = await copyFixture('typing.bridge.jsonc', 'discover-refuse.bridge.jsonc');
    const resource = { kind: 'pipeline', name: 'P', source: { kind: 'factory', key: 'k', configs: [uri.fsPath] } };
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('bridge.discover.link', resource, { trigger: 's3-to-sfn', config: uri.fsPath })),
      /use adf-to-sfn or sfn-to-adf/,
    );
  });

  test('the Azure credential asks VS Code\'s Microsoft sign-in for the ARM scope and the config\'s tenant, silently', async function () {
    const asked: string[][] = [];
    const sessions = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
    const fake: vscode.AuthenticationProvider = {
      onDidChangeSessions: sessions.event,
      async getSessions(scopes) {
        asked.push([...(scopes ?? [])]);
        // Built at run time: a stand-in, not a token of any account.
        return [{ id: 'fake', accessToken: `fake-${Date.now()}`, account: { id: 'tester', label: 'tester@example.test' }, scopes: [...(scopes ?? [])] }];
      },
      async createSession(scopes) {
        asked.push([...scopes]);
        throw new Error('the test never creates a session');
      },
      async removeSession() {},
    };
    let registration: vscode.Disposable;
    try {
      registration = vscode.authentication.registerAuthenticationProvider('microsoft', 'Microsoft (test)', fake, { supportsMultipleAccounts: false });
    } catch (e) {
      // The built-in Microsoft sign-in owns the id in this host: nothing to fake without disabling it.
      console.log(`[cloud] the fake microsoft provider could not be registered: ${(e as Error).message}`);
      this.skip();
    }
    try {
      // Silent (what the views do): VS Code looks the sessions up with our scopes and, as this
      // extension was never granted the account, answers "no session" without a dialog; the
      // credential turns that into one line saying how to sign in. (Granting access needs the
      // consent dialog, which the test workbench refuses to show.)
      await assert.rejects(
        vscodeMicrosoftCredential('AzureCloud', TENANT).getToken('https://management.azure.com/.default'),
        (e: Error) => /^Not signed in to Azure for tenant 7f3c7e4e-1b0a-4c8e-9d3e-2a1b5c6d7e8f: sign in with "Bridge: Sign In to Azure" or the account menu\.$/.test(e.message),
      );
      assert.ok(
        asked.some((s) => s.includes('https://management.azure.com/.default') && s.includes(`VSCODE_TENANT:${TENANT}`)),
        `asked with the ARM scope and the tenant: ${JSON.stringify(asked)}`,
      );
    } finally {
      registration!.dispose();
      sessions.dispose();
    }
  });
});
