/**
 * Registration of the cloud-facing parts of the editor: the `bridge.discover` view and its
 * commands ("Link…", refresh, load more), sign-in commands and the deployed-status check.
 *
 * PERFORMANCE: only this file is in the activation bundle. The tree, the edits and the sign-in
 * code load on the view's first expansion or the first command (dist/discover.js), and nothing
 * signs in or calls a cloud until the user asks.
 */
import * as vscode from 'vscode';
import type { DiscoverDeps } from './impl';

/** The commands registered here, also declared in package.json. */
export const DISCOVER_COMMANDS = ['bridge.discover.refresh', 'bridge.discover.loadMore', 'bridge.discover.showError', 'bridge.discover.link', 'bridge.signInToAzure', 'bridge.chooseAwsProfile', 'bridge.checkStatus', 'bridge.showDrift'];

type Discover = ReturnType<typeof import('./impl').createDiscover>;

export function registerDiscoverView(context: vscode.ExtensionContext, deps: DiscoverDeps): () => Promise<Discover> {
  let loaded: Promise<Discover> | undefined;
  const changed = new vscode.EventEmitter<unknown>();
  const load = () => (loaded ??= import('./impl').then((m) => m.createDiscover(deps, context.subscriptions, changed)));
  context.subscriptions.push(
    changed,
    vscode.window.createTreeView('bridge.discover', {
      showCollapseAll: true,
      treeDataProvider: {
        onDidChangeTreeData: changed.event,
        getTreeItem: async (node: unknown) => (await load()).provider.getTreeItem(node as never),
        getChildren: async (node?: unknown) => (await load()).provider.getChildren(node as never),
      },
    }),
    ...DISCOVER_COMMANDS.map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]) => (await load()).commands[id](...args))),
  );
  return load;
}
