/**
 * The `bridge.discover` view: the factory's pipelines and the region's state machines that no link
 * names, listed a page at a time ("Load more…"), cached until "Refresh", and "Link…" on each to add
 * a link skeleton to a config. In restricted mode it reads no credential and calls no cloud.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readBridgeConfig, type BridgeConfigModel } from '../../core/config/model';
import { discoverySources, unlinkedPipelines, unlinkedStateMachines, type DiscoveredResource, type DiscoverySource } from '../../core/discover/model';
import { editorClientsFor, loadCloud, showCloudError, signInToAzure, awsProfileFor } from '../auth';

/** Clients for one config; the default signs in the editor's way (src/extension/auth). */
export type DiscoverClients = (config: BridgeConfigModel) => Promise<{ sfn: import('@aws-sdk/client-sfn').SFNClient; adf: import('@azure/arm-datafactory').DataFactoryManagementClient; resourceGroup: string; factoryName: string }>;

export interface DiscoverDeps {
  /** Detail of cloud errors goes here (the output channel), never into a notification. */
  log: (line: string) => void;
  showLog: () => void;
  /** The workspace's bridge configs (default: found with findFiles, unsaved text included). */
  loadConfigs?: () => Promise<BridgeConfigModel[]>;
  /** Where listings come from (default: the sandbox when this gives its endpoints, else the clouds signed in the editor's way). */
  clientsFor?: DiscoverClients;
  /** The running sandbox's endpoints when runs target the sandbox (setting bridge.target), else undefined. */
  sandboxEndpoints?: () => Promise<import('../../core/run/request').SandboxEndpoints | undefined>;
  /** True when runs target the sandbox and it is not running: Refresh does not start it to check. */
  sandboxIdle?: () => boolean;
  /** Where a status report goes to be shown on the Links tree's ends (the Links model's store). */
  onStatus?: (ends: import('../links/model').DeployedEndStatus[]) => void;
  /** The stored status of a Links tree end (`adf` or `sfn`), for Show Drift from the tree. */
  deployedEnd?: (configPath: string, linkName: string, end: string) => import('../../core/status/model').EndStatus | undefined;
}

/** The clients discovery and status use: the deps' own, else the sandbox's, else the editor's sign-in. */
export function clientsOf(deps: DiscoverDeps): DiscoverClients {
  return (
    deps.clientsFor ??
    (async (config) => {
      const sandbox = await deps.sandboxEndpoints?.();
      return sandbox ? (await loadCloud()).createClientsForConfig(config, { sandbox }) : editorClientsFor(config);
    })
  );
}

interface Listing {
  /** Everything listed so far (linked or not); filtered against the configs when shown. */
  pipelines: string[];
  stateMachines: { arn: string; name: string; type?: string }[];
  next?: string;
  done: boolean;
  error?: { kind: string; line: string; detail?: string };
}

type Node =
  | { kind: 'source'; source: DiscoverySource }
  | { kind: 'resource'; resource: DiscoveredResource }
  | { kind: 'more'; source: DiscoverySource }
  | { kind: 'message'; text: string; icon: string; command?: vscode.Command; tooltip?: string };

export class DiscoverTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listings = new Map<string, Listing>();
  private readonly loading = new Map<string, Promise<void>>();
  private configs: BridgeConfigModel[] = [];

  constructor(private readonly deps: DiscoverDeps) {}

  /** Forgets every listing (the next expansion lists again). */
  refresh(): void {
    this.listings.clear();
    this.changed.fire(undefined);
  }

  /** Redraws with the current configs (a new link hides its resource) without listing again. */
  redraw(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'source': {
        const s = node.source;
        const item = new vscode.TreeItem(s.kind === 'factory' ? s.factory : `${s.region}${s.accountId ? ` · ${s.accountId}` : ''}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = s.kind === 'factory' ? 'ADF pipelines no link names' : `state machines no link names${s.kind === 'region' && s.profile ? ` · profile ${s.profile}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(s.kind === 'factory' ? 'azure' : 'cloud');
        item.contextValue = `bridge.discover.source.${s.kind}`;
        item.id = s.key;
        return item;
      }
      case 'resource': {
        const r = node.resource;
        const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
        item.description = r.kind === 'stateMachine' ? r.type : undefined;
        item.tooltip = r.kind === 'stateMachine' ? r.arn : `Pipeline ${r.name} in factory ${r.source.factory}`;
        item.iconPath = new vscode.ThemeIcon(r.kind === 'pipeline' ? 'symbol-method' : 'symbol-event');
        item.contextValue = `bridge.discover.${r.kind}`;
        item.id = `${r.source.key} ${r.kind === 'pipeline' ? r.name : r.arn}`;
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'bridge.discover.loadMore', title: 'Load more', arguments: [node.source.key] };
        return item;
      }
      default: {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        item.tooltip = node.tooltip ?? node.text;
        return item;
      }
    }
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!vscode.workspace.isTrusted) {
      return node ? [] : [{ kind: 'message', text: 'Trust this workspace to list its cloud resources', icon: 'shield', command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' } }];
    }
    if (!node) {
      this.configs = await (this.deps.loadConfigs ?? loadWorkspaceConfigs)();
      const sources = discoverySources(this.configs);
      if (!sources.length) return [{ kind: 'message', text: 'No bridge config names a factory or a region yet', icon: 'info' }];
      return sources.map((source) => ({ kind: 'source', source }));
    }
    if (node.kind !== 'source') return [];
    const source = node.source;
    if (!this.listings.has(source.key)) await this.loadPage(source);
    const listing = this.listings.get(source.key)!;
    const out: Node[] = [];
    if (listing.error) {
      out.push({ kind: 'message', text: listing.error.line, icon: 'error', tooltip: listing.error.line, command: { command: 'bridge.discover.showError', title: 'Show', arguments: [source.key] } });
      return out;
    }
    const resources: DiscoveredResource[] =
      source.kind === 'factory' ? unlinkedPipelines(source, this.configs, listing.pipelines) : unlinkedStateMachines(source, this.configs, listing.stateMachines);
    out.push(...resources.map((resource) => ({ kind: 'resource' as const, resource })));
    if (!listing.done) out.push({ kind: 'more', source });
    else if (!resources.length) out.push({ kind: 'message', text: source.kind === 'factory' ? 'Every pipeline of the factory has a link' : 'Every state machine of the region has a link', icon: 'check' });
    return out;
  }

  /** Lists the next page of a source (the first when nothing is cached). */
  async loadMore(key: string): Promise<void> {
    const source = discoverySources(this.configs).find((s) => s.key === key);
    if (!source) return;
    await this.loadPage(source);
    this.changed.fire(undefined);
  }

  /** Shows a source's listing error with the button that fixes it. */
  async showError(key: string): Promise<void> {
    const listing = this.listings.get(key);
    const source = discoverySources(this.configs).find((s) => s.key === key);
    if (!listing?.error || !source) return;
    const config = this.configs.find((c) => source.configs.includes(c.path));
    await showCloudError(
      listing.error,
      { profile: config ? awsProfileFor(config) : undefined, cloud: source.kind === 'factory' ? source.cloud : undefined, tenantId: source.kind === 'factory' ? source.tenantId : undefined },
      this.deps.log,
      this.deps.showLog,
    );
  }

  /** The resource shown by a tree node or passed to a command. */
  static resourceOf(arg: unknown): DiscoveredResource | undefined {
    const node = arg as Node | DiscoveredResource | undefined;
    if (!node) return undefined;
    if ('resource' in node && node.kind === 'resource') return node.resource;
    if (node.kind === 'pipeline' || node.kind === 'stateMachine') return node as DiscoveredResource;
    return undefined;
  }

  private loadPage(source: DiscoverySource): Promise<void> {
    let pending = this.loading.get(source.key);
    if (pending) return pending;
    pending = this.fetchPage(source).finally(() => this.loading.delete(source.key));
    this.loading.set(source.key, pending);
    return pending;
  }

  private async fetchPage(source: DiscoverySource): Promise<void> {
    const listing = this.listings.get(source.key) ?? { pipelines: [], stateMachines: [], done: false };
    if (listing.done) return;
    const config = this.configs.find((c) => source.configs.includes(c.path));
    if (!config) return;
    try {
      const cloud = await loadCloud();
      const clients = await clientsOf(this.deps)(config);
      if (source.kind === 'factory') {
        const page = await cloud.listPipelinesPage(clients.adf, source.resourceGroup, source.factory, listing.next);
        listing.pipelines.push(...page.items);
        listing.next = page.next;
      } else {
        const page = await cloud.listStateMachinesPage(clients.sfn, listing.next);
        listing.stateMachines.push(...page.items);
        listing.next = page.next;
      }
      listing.done = !listing.next;
      listing.error = undefined;
    } catch (e) {
      const cloud = await loadCloud();
      const described = cloud.describeCloudError(e, { ...cloud.errorContextOf(config), cloud: source.kind === 'factory' ? 'azure' : 'aws', profile: awsProfileFor(config) });
      this.deps.log(`Discovery of ${source.kind === 'factory' ? `factory ${source.factory}` : `region ${source.region}`}: ${described.line}\n${described.detail}`);
      listing.error = described;
    }
    this.listings.set(source.key, listing);
  }
}

/** The workspace's bridge configs, open documents' unsaved text first. */
export async function loadWorkspaceConfigs(): Promise<BridgeConfigModel[]> {
  const uris = await vscode.workspace.findFiles('**/*.{bridge.jsonc,bridge.json}', '**/{node_modules,.git}/**');
  const out: BridgeConfigModel[] = [];
  for (const uri of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    out.push(readBridgeConfig(uri.fsPath, text));
  }
  return out;
}

export function configLabel(configPath: string): string {
  return vscode.workspace.asRelativePath(configPath) || path.basename(configPath);
}

export { signInToAzure };
