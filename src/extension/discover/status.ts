/**
 * Live status and drift in the editor: "Bridge: Check Deployed Status" checks every link's ends
 * (the same collectStatus as `bridge status`), writes the report to the log, and offers the drift
 * of a drifted end as a diff (deployed ↔ local, both as canonical JSON so only real changes show).
 */
import * as vscode from 'vscode';
import type { BridgeConfigModel } from '../../core/config/model';
import { stateMachineLabel } from '../../core/config/arn';
import { nodeFileHost } from '../../core/node-host';
import { endSummary, isProblem, type EndStatus, type StatusReport } from '../../core/status/model';
import { loadCloud, requireTrust, showCloudError, awsProfileFor, microsoftSessionRequest, vscodeMicrosoftCredential } from '../auth';
import { deployedEnds } from './deployed';
import type { DiscoverClients } from './view';
import { clientsOf, configLabel, loadWorkspaceConfigs, type DiscoverDeps } from './view';

export const DEPLOYED_SCHEME = 'bridge-deployed';

/** Canonical texts of deployed and local definitions, by URI path, for the diff editor. */
export class DeployedDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }
}

/** Opens a drifted end's diff: deployed (left) against local (right). */
export async function showDrift(documents: DeployedDocuments, end: EndStatus): Promise<void> {
  if (!end.drift) return;
  const name = end.kind === 'stateMachine' ? stateMachineLabel(end.name) : end.name;
  const left = vscode.Uri.from({ scheme: DEPLOYED_SCHEME, path: `/${name}.deployed.json` });
  const right = vscode.Uri.from({ scheme: DEPLOYED_SCHEME, path: `/${name}.local.json` });
  documents.set(left, end.drift.deployedCanonical);
  documents.set(right, end.drift.localCanonical);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: deployed ↔ ${end.localFile ? configLabel(end.localFile) : 'local'}`);
}

export type StatusDeps = DiscoverDeps;

/** Checks every link's ends and reports; resolves to the report (for tests and callers). */
export async function checkDeployedStatus(deps: StatusDeps, documents: DeployedDocuments, token?: vscode.CancellationToken): Promise<StatusReport | undefined> {
  requireTrust('check what is deployed');
  const configs = await (deps.loadConfigs ?? loadWorkspaceConfigs)();
  const abort = new AbortController();
  token?.onCancellationRequested(() => abort.abort());
  const clients = new Map<string, Awaited<ReturnType<DiscoverClients>>>();
  for (const config of configs) clients.set(config.path, await clientsOf(deps)(config));
  const report = await collect(deps, configs, clients, abort.signal);
  deps.onStatus?.(deployedEnds(report));
  const problems: { end: EndStatus; link: string }[] = [];
  for (const l of report.links) {
    for (const end of l.ends) {
      deps.log(`${configLabel(l.config)} › ${l.link} › ${end.kind === 'stateMachine' ? 'state machine' : 'pipeline'} ${end.name}: ${endSummary(end)}${end.message ? ` — ${end.message}` : ''}`);
      if (isProblem(end)) problems.push({ end, link: l.link });
    }
  }
  if (!problems.length) {
    void vscode.window.showInformationMessage('Every deployed end is found and in sync with the workspace.');
    return report;
  }
  const first = problems[0];
  const drifted = problems.find((p) => p.end.state === 'drift');
  const choice = await vscode.window.showWarningMessage(
    `${problems.length} end${problems.length === 1 ? '' : 's'} need attention — ${first.link}: ${first.end.message ?? endSummary(first.end)}`,
    ...(drifted ? ['Show Drift'] : []),
    'Show Log',
  );
  if (choice === 'Show Drift' && drifted) await showDrift(documents, drifted.end);
  else if (choice === 'Show Log') deps.showLog();
  return report;
}

type Clients = Awaited<ReturnType<DiscoverClients>>;

async function collect(deps: StatusDeps, configs: BridgeConfigModel[], clients: Map<string, Clients>, signal: AbortSignal): Promise<StatusReport> {
  const cloud = await loadCloud();
  return cloud.collectStatus(configs, {
    host: nodeFileHost,
    clientsFor: (config) => clients.get(config.path)!,
    errorContext: (config) => ({ ...cloud.errorContextOf(config), profile: awsProfileFor(config) }),
    onDetail: deps.log,
    signal,
  });
}

/**
 * The status check a Refresh makes: never a prompt, never a notification. It runs against the
 * running sandbox when runs target it; against the clouds only in a trusted workspace and when
 * VS Code already holds a Microsoft session for every config's tenant (silent), with no MFA
 * prompt (a role chain that needs a code is left to "Check Deployed Status"). Resolves to the
 * report, or to why it did not check (for the log and tests).
 */
export async function refreshDeployedStatus(deps: StatusDeps, signal?: AbortSignal): Promise<StatusReport | string> {
  if (!vscode.workspace.isTrusted) return 'restricted mode: not checked';
  if (deps.sandboxIdle?.()) return 'the sandbox is not running: not checked (a run or "Check Deployed Status" starts it)';
  const configs = await (deps.loadConfigs ?? loadWorkspaceConfigs)();
  if (!configs.some((c) => c.links.length)) return 'no links';
  const clients = new Map<string, Clients>();
  const sandbox = deps.clientsFor ? undefined : await deps.sandboxEndpoints?.();
  if (deps.clientsFor || sandbox) {
    for (const config of configs) clients.set(config.path, await clientsOf(deps)(config));
  } else {
    const cloud = await loadCloud();
    for (const config of configs) {
      const azure = config.azure;
      const { providerId, scopes } = microsoftSessionRequest(azure?.cloud ?? 'AzureCloud', azure?.tenantId);
      if (!(await vscode.authentication.getSession(providerId, scopes, { silent: true }))) return 'not signed in to Azure: not checked';
      const profile = awsProfileFor(config);
      const profiled: BridgeConfigModel = config.aws ? { ...config, aws: { ...config.aws, profile } } : config;
      clients.set(
        config.path,
        await cloud.createClientsForConfig(profiled, {
          mfaCode: () => Promise.reject(new Error('This profile needs an MFA code: run "Bridge: Check Deployed Status" to enter it.')),
          azureCredential: vscodeMicrosoftCredential(azure?.cloud ?? 'AzureCloud', azure?.tenantId),
        }),
      );
    }
  }
  const report = await collect(deps, configs, clients, signal ?? new AbortController().signal);
  deps.onStatus?.(deployedEnds(report));
  return report;
}

export { showCloudError };
