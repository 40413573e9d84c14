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
import { loadCloud, requireTrust, showCloudError, awsProfileFor } from '../auth';
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
  const cloud = await loadCloud();
  const abort = new AbortController();
  token?.onCancellationRequested(() => abort.abort());
  const clients = new Map<string, Awaited<ReturnType<DiscoverClients>>>();
  for (const config of configs) clients.set(config.path, await clientsOf(deps)(config));
  const report = await cloud.collectStatus(configs, {
    host: nodeFileHost,
    clientsFor: (config) => clients.get(config.path)!,
    errorContext: (config) => ({ ...cloud.errorContextOf(config), profile: awsProfileFor(config) }),
    onDetail: deps.log,
    signal: abort.signal,
  });
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

export { showCloudError };
