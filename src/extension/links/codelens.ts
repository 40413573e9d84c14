import * as vscode from 'vscode';
import { isProtected, readBridgeConfig } from '../../core/config/model';
import type { RunTargetSetting } from '../target';
import type { LinksModel } from './model';

/** Bridge configs, as the lenses and the validator recognise them. */
export const CONFIG_DOCUMENTS: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.bridge.jsonc' },
  { scheme: 'file', pattern: '**/*.bridge.json' },
];

/**
 * A "Run" lens above each link of a config (the link's key), saying where the run goes. The
 * document's own text is read (in memory), so the lenses follow unsaved edits. Not shown in an
 * untrusted workspace, where runs are off.
 */
export class RunLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly links: LinksModel,
    private readonly target: RunTargetSetting,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('bridge.target')) this.changed.fire();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    const config = readBridgeConfig(document.uri.fsPath, document.getText());
    const target = this.target.get();
    const lenses: vscode.CodeLens[] = [];
    for (const link of config.links) {
      const key = link.locations?.key;
      if (!key) continue;
      const range = new vscode.Range(key.start.line, key.start.character, key.end.line, key.end.character);
      const guarded = target === 'cloud' && isProtected(config, link);
      lenses.push(
        new vscode.CodeLens(range, {
          title: `$(play) Run${target === 'cloud' ? ' in the cloud' : ' in the sandbox'}${guarded ? ' (asks first: protected)' : ''}`,
          command: 'bridge.runLink',
          tooltip: `Test-run "${link.name}": pick a payload, then follow both clouds' events in "Bridge Runs".`,
          arguments: [this.links.linkNode(config, link)],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
