/**
 * The heavy half of the cloud-facing editor parts (bundled apart as dist/discover.js, loaded on
 * the first expansion of the view or the first command): the tree, "Link…", sign-in, status.
 */
import * as vscode from 'vscode';
import type { AzureCloud } from '../../core/config/shape';
import type { DiscoveredResource } from '../../core/discover/model';
import type { EndStatus, StatusReport } from '../../core/status/model';
import { chooseAwsProfile, requireTrust, signInToAzure, UntrustedWorkspaceError } from '../auth';
import { linkResource, type LinkOptions } from './link';
import { checkDeployedStatus, DEPLOYED_SCHEME, DeployedDocuments, refreshDeployedStatus, showDrift } from './status';
import { DiscoverTreeProvider, loadWorkspaceConfigs, type DiscoverDeps } from './view';

export { DiscoverTreeProvider, linkResource, checkDeployedStatus };
export type { DiscoverDeps };

/** Builds the view's provider and commands; `subscriptions` takes what must be disposed, `treeChanged` relays redraws to the registered view. */
export function createDiscover(deps: DiscoverDeps, subscriptions: vscode.Disposable[], treeChanged: vscode.EventEmitter<unknown>) {
  const provider = new DiscoverTreeProvider(deps);
  const documents = new DeployedDocuments();
  let redrawTimer: ReturnType<typeof setTimeout> | undefined;
  subscriptions.push(
    provider.onDidChangeTreeData((e) => treeChanged.fire(e)),
    vscode.workspace.registerTextDocumentContentProvider(DEPLOYED_SCHEME, documents),
    vscode.workspace.onDidGrantWorkspaceTrust(() => provider.refresh()),
    // Sandbox or cloud: the listing comes from where runs go.
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('bridge.target') && provider.refresh()),
    // A new or removed link shows or hides its resource without listing again.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!/\.bridge\.jsonc?$/i.test(e.document.uri.path)) return;
      clearTimeout(redrawTimer);
      redrawTimer = setTimeout(() => provider.redraw(), 300);
    }),
    { dispose: () => clearTimeout(redrawTimer) },
  );
  const guarded = <A extends unknown[], R>(what: string, run: (...args: A) => Promise<R>) => async (...args: A): Promise<R | undefined> => {
    try {
      return await run(...args);
    } catch (e) {
      if (e instanceof UntrustedWorkspaceError) void vscode.window.showWarningMessage(e.message);
      else {
        deps.log(`${what}: ${(e as Error)?.stack ?? String(e)}`);
        void vscode.window.showErrorMessage((e as Error)?.message ?? String(e));
      }
      return undefined;
    }
  };
  const link = async (arg: unknown, options?: LinkOptions) => {
    const resource = DiscoverTreeProvider.resourceOf(arg);
    if (!resource) throw new Error('Choose a pipeline or state machine in the Discover view to link.');
    const result = await linkResource(resource as DiscoveredResource, options);
    provider.redraw();
    return result;
  };
  const commands: Record<string, (...args: any[]) => unknown> = {
    'bridge.discover.refresh': () => provider.refresh(),
    'bridge.discover.loadMore': guarded('Load more', (key: string) => provider.loadMore(key)),
    'bridge.discover.showError': guarded('Discovery error', (key: string) => provider.showError(key)),
    // From the tree: errors are shown. Called with options (tests, other extensions): they reject.
    'bridge.discover.link': (arg: unknown, options?: LinkOptions) => (options ? link(arg, options) : guarded('Link', link)(arg)),
    'bridge.signInToAzure': guarded('Sign in to Azure', async (cloud?: AzureCloud, tenantId?: string) => {
      requireTrust('sign in to Azure');
      const config = (await loadWorkspaceConfigs()).find((c) => c.azure);
      const ok = await signInToAzure(cloud ?? config?.azure?.cloud ?? 'AzureCloud', tenantId ?? config?.azure?.tenantId);
      if (ok) provider.refresh();
      return ok;
    }),
    'bridge.chooseAwsProfile': guarded('Choose AWS profile', async () => {
      const picked = await chooseAwsProfile();
      if (picked) provider.refresh();
      return picked;
    }),
    'bridge.checkStatus': guarded('Check deployed status', async () =>
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Bridge: checking what is deployed', cancellable: true }, (_p, token) => checkDeployedStatus(deps, documents, token)),
    ),
    // From a drifted end in the Links tree (its node carries the stored status), or with an EndStatus.
    'bridge.showDrift': guarded('Show drift', async (arg: EndStatus | { kind: 'end'; config: { path: string }; link: { name: string }; end: string }) => {
      const end = arg.kind === 'end' ? deps.deployedEnd?.(arg.config.path, arg.link.name, arg.end) : arg;
      if (!end?.drift) throw new Error('This end has no drift to show: run "Bridge: Check Deployed Status" first.');
      await showDrift(documents, end);
    }),
  };
  /** Refresh's silent status check (no prompt, no notification); failures go to the log only. */
  const refreshStatus = async (): Promise<StatusReport | string> => {
    try {
      const result = await refreshDeployedStatus(deps);
      if (typeof result === 'string') deps.log(`Deployed status: ${result}.`);
      return result;
    } catch (e) {
      const line = `Deployed status not refreshed: ${(e as Error)?.message ?? String(e)}`;
      deps.log(line);
      return line;
    }
  };
  return { provider, documents, commands, refreshStatus };
}
