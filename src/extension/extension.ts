// Must stay the first import: it timestamps the start of loading this bundle.
import { bundleLoadStartedAt } from './activation-clock';
import * as path from 'path';
import * as vscode from 'vscode';
import { BRIDGE_COMMANDS } from './commands';
import { registerCommands } from './commands/table';
import { CONFIG_DOCUMENTS, RunLensProvider } from './links/codelens';
import { LinksModel, type EndKind } from './links/model';
import { LINK_URI_SCHEME, LinksTreeProvider } from './links/tree';
import { Logger } from './log';
import { registerDiscoverView } from './discover';
import { registerTimeline } from './timeline';
import { RUN_LOG_SCHEME, RunsModel } from './runs/model';
import type * as Actions from './actions';
import type { SandboxProcess } from './runs/sandbox-process';
import type { RunService } from './runs/service';
import { RunsTreeProvider } from './runs/tree';
import { RunTargetSetting } from './target';
import { DIAGNOSTIC_SOURCE } from './validation/convert';
import { Validator } from './validation/validator';
import { nodeFileHost } from '../core/node-host';

/** When every module of the bundle has been evaluated (the entry module's body runs last). */
const bundleEvaluatedAt = performance.now();

/** What `activate` returns: read by the integration tests and the activation bench. */
export interface BridgeExtensionApi {
  activation: {
    /** Evaluating the bundle plus running `activate()`, ms (the host's own gap between the two is not ours). */
    totalMs: number;
    /** Evaluating the bundle's modules, ms. */
    loadMs: number;
    /** `activate()` alone, ms. */
    activateMs: number;
  };
  validator: Validator;
  /** The Links view's model and provider, the runs of this session, the sandbox child process. */
  links: LinksModel;
  linksTree: LinksTreeProvider;
  runs: RunsModel;
  /**
   * Resolves, once the Links view's first level (every config with its links counted, from the
   * configs' outlines; the full models follow) is known and the view told to draw it,
   * to the ms from the end of activate() to then (bench/links-tree.mjs prints it).
   */
  linksFirstLevelMs: Promise<number>;
  /**
   * The same moment with the CPU time the extension host's process spent meanwhile (user + system,
   * ms): on a busy machine the wall time is mostly waiting for a core, and this says what was ours.
   */
  linksFirstLevel: Promise<{ ms: number; cpuMs: number }>;
  /** The run side, loaded on the first run command (tests reach the sandbox process through it). */
  runSide(): Promise<{ service: RunService; sandbox: SandboxProcess }>;
}

const JSON_FILES: vscode.DocumentSelector = [
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
];

/**
 * PERFORMANCE: activation only wires listeners; the workspace scan and every lint run start
 * after `activate` returns, and nothing here loads a cloud SDK.
 */
export function activate(context: vscode.ExtensionContext): BridgeExtensionApi {
  const activateStartedAt = performance.now();
  const channel = vscode.window.createOutputChannel('ADF–Step Functions Bridge', { log: true });
  const logger = new Logger(channel);
  const showLog = () => channel.show(true);
  const validator = new Validator({
    logger,
    showLog,
    delay: () => vscode.workspace.getConfiguration('bridge.validation').get<number>('delay', 200),
    // The Links view first (issue 9: its first level ≤ 100 ms after activation); problems decorate it after.
    firstLintAfter: (): Promise<void> => links.whenLoaded(),
  });
  const runsChannel = vscode.window.createOutputChannel('Bridge Runs', { log: true });

  const read = (file: string) => readAsShown(file);
  const links = new LinksModel({ read, problems: (file) => validator.index.diagnosticsFor(file) });
  const runs = new RunsModel();
  const target = new RunTargetSetting();
  // PERFORMANCE: what runs only when the user acts (runs, quick fixes, New Bridge Config) loads on first use.
  let actions: Promise<typeof Actions> | undefined;
  const loadActions = () => (actions ??= import('./actions'));
  let runSide: Promise<{ service: RunService; sandbox: SandboxProcess }> | undefined;
  let sandbox: SandboxProcess | undefined;
  const loadRunSide = () =>
    (runSide ??= loadActions().then((module) => {
      sandbox = new module.SandboxProcess({
        cliPath: path.join(context.extensionPath, 'bin', 'bridge.js'),
        folders: () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
        busy: () => runs.running().some((r) => r.target === 'sandbox'),
        log: (level, message) => runsChannel[level](message),
      });
      const service = new module.RunService({
        links,
        runs,
        sandbox,
        channel: runsChannel,
        logger,
        target: () => target.get(),
        timeoutMs: () => 1000 * vscode.workspace.getConfiguration('bridge.runs').get<number>('timeoutSeconds', 900),
        read,
      });
      return { service, sandbox };
    }));

  const linksTree = new LinksTreeProvider(links, runs);
  const linksView = vscode.window.createTreeView('bridge.links', { treeDataProvider: linksTree, showCollapseAll: true });
  const runsTree = new RunsTreeProvider(runs);
  const runsView = vscode.window.createTreeView('bridge.runs', { treeDataProvider: runsTree, showCollapseAll: true });
  let shownState: string | undefined;
  linksTree.onRedraw = () => {
    if (links.state !== shownState) {
      shownState = links.state;
      void vscode.commands.executeCommand('setContext', 'bridge.links.state', shownState);
    }
    const total = linksTree.totalProblems();
    const n = total.errors + total.warnings;
    linksView.badge = n ? { value: n, tooltip: `${total.errors} error(s), ${total.warnings} warning(s) in the links` } : undefined;
  };
  linksTree.onRedraw();

  context.subscriptions.push(
    channel,
    runsChannel,
    validator,
    target,
    new vscode.Disposable(() => sandbox?.dispose()),
    linksTree,
    linksView,
    runsTree,
    runsView,
    vscode.window.registerFileDecorationProvider(linksTree),
    vscode.languages.registerCodeActionsProvider(
      JSON_FILES,
      {
        // Only a bridge problem with a fix loads the quick fixes' code.
        provideCodeActions: (document, range, codeActions) =>
          codeActions.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE)
            ? loadActions().then((m) => new m.BridgeQuickFixProvider(validator).provideCodeActions(document, range, codeActions))
            : [],
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerCodeLensProvider(CONFIG_DOCUMENTS, new RunLensProvider(links, target)),
    vscode.workspace.registerTextDocumentContentProvider(RUN_LOG_SCHEME, {
      provideTextDocumentContent: (uri) => {
        const record = runs.get(uri.query);
        return record ? `${record.lines.join('\n')}\n` : `The run ${uri.query} is no longer kept in this session.\n`;
      },
    }),
    toDisposable(validator.onDidFindConfigs.on((configs) => links.setConfigs(configs))),
    toDisposable(validator.onDidChangeConfig.on(({ config, removed }) => (removed ? links.remove(config) : links.reload(config)))),
    toDisposable(validator.onDidPublish.on(() => linksTree.problemsChanged())),
    toDisposable(validator.onDidChangeInput.on(() => sandbox?.markStale())),
    ...registerCommands(BRIDGE_COMMANDS, {
      validator,
      logger,
      showLog,
      links,
      runs,
      runService: async () => (await loadRunSide()).service,
      loadActions,
      target,
      showRunsLog: () => runsChannel.show(true),
      refreshViews: () => {
        links.refresh();
        void validator.validateWorkspace();
        // The ends' deployed status too, silently (the sandbox, or clouds already signed in).
        void links.whenLoaded().then(async () => (await loadDiscover()).refreshStatus());
      },
    }),
  );
  registerTimeline(context, {
    log: (m) => logger.warn(m),
    getRun: (id) => runs.get(id)?.stream,
    listRuns: () => runs.list().map((r) => ({ correlationId: r.correlationId, label: r.link, description: `${r.status} · ${r.startedAt.slice(11, 19)} · ${r.target}` })),
    onRunChanged: (listener) => runs.onDidChange.on((r) => r && listener(r.correlationId)),
  });
  // Discovery, sign-in and deployed status (issue 10): nothing signs in until the user asks.
  const loadDiscover = registerDiscoverView(context, {
    log: (line) => logger.info(line),
    showLog,
    sandboxEndpoints: async () => (target.get() === 'sandbox' ? (await loadRunSide()).sandbox.endpoints() : undefined),
    sandboxIdle: () => target.get() === 'sandbox' && !sandbox?.running,
    onStatus: (ends) => links.setDeployedStatus(ends),
    deployedEnd: (configPath, linkName, end) => links.deployedStatus(configPath, linkName, end as EndKind)?.end,
  });
  validator.start();
  const activateMs = performance.now() - activateStartedAt;
  const loadMs = bundleEvaluatedAt - bundleLoadStartedAt;
  const activation = { totalMs: loadMs + activateMs, loadMs, activateMs };
  const activatedAt = performance.now();
  const cpuAtActivation = process.cpuUsage();
  const linksFirstLevel = links.whenListed().then(() => {
    const cpu = process.cpuUsage(cpuAtActivation);
    return { ms: performance.now() - activatedAt, cpuMs: (cpu.user + cpu.system) / 1000 };
  });
  const linksFirstLevelMs = linksFirstLevel.then((t) => t.ms);
  logger.info(`Activated in ${activation.totalMs.toFixed(1)} ms (loading the bundle ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms).`);
  return { activation, validator, links, linksTree, runs, linksFirstLevelMs, linksFirstLevel, runSide: loadRunSide };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions (the sandbox child process included).
}

function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => d.dispose());
}

/** A file's text as the user sees it: the open buffer (saved or not), else the disk; undefined when unreadable. */
async function readAsShown(file: string): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open) return open.getText();
  // The extension host runs where the files are: read them directly, not through the workbench's round trip.
  return nodeFileHost.readFile(file);
}
