import * as vscode from 'vscode';
import type { RunTarget } from '../core/run/events';

const SECTION = 'bridge';
const KEY = 'target';

/** Where runs go (setting `bridge.target`), and the status bar item that shows it and changes it. */
export class RunTargetSetting implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('bridge.target', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.item.name = 'Bridge Run Target';
    this.item.command = 'bridge.selectTarget';
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.${KEY}`)) this.render();
    });
    this.render();
    this.item.show();
  }

  get(): RunTarget {
    return vscode.workspace.getConfiguration(SECTION).get<string>(KEY) === 'cloud' ? 'cloud' : 'sandbox';
  }

  /** Saved for the workspace when one is open (each workspace keeps its choice), else for the user. */
  async set(target: RunTarget): Promise<void> {
    const scope = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(SECTION).update(KEY, target, scope);
    this.render();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private render(): void {
    const target = this.get();
    this.item.text = target === 'cloud' ? '$(cloud) Bridge: Cloud' : '$(beaker) Bridge: Sandbox';
    this.item.tooltip =
      target === 'cloud'
        ? 'Bridge test runs go to your Azure and AWS accounts, with your credentials. Click to change.'
        : 'Bridge test runs go to the embedded sandbox (no account, nothing real is touched). Click to change.';
    this.item.backgroundColor = target === 'cloud' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }
}
