import * as path from 'path';
import * as vscode from 'vscode';
import { LintCache } from '../../core/lint/cache';
import { findBridgeConfigs, isBridgeConfigPath } from '../../core/lint/find';
import { nodeFileHost, overlayHost } from '../../core/node-host';
import type { BridgeDiagnostic } from '../../core/diagnostics';
import type { Logger } from '../log';
import { shortError } from '../log';
import { Signal } from '../signal';
import { toVscodeDiagnostic } from './convert';
import { DiskCache } from './disk-cache';
import { loadLintEngine } from './lint-loader';
import { ResultIndex } from './result-index';

/** Where bridge configs are looked for in the workspace, and what is never searched. */
export const CONFIG_GLOB = '**/*.{bridge.jsonc,bridge.json}';
/** Everything: a config reads JSON files but also folders (repoRoot), which can be deleted whole. */
const WATCH_GLOB = '**/*';
/** Folders whose configs are never the user's (the scan skips them too). */
const IGNORED_SEGMENT = /[\\/](node_modules|\.git)[\\/]/;

export interface ValidationSummary {
  configs: number;
  /** Files that show at least one problem (configs and the files they reference). */
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface ValidatorOptions {
  logger: Logger;
  /** Opens the log; offered on a notification when validation itself fails. */
  showLog: () => void;
  /** Milliseconds of typing quiet before a document is revalidated. */
  delay: () => number;
  /**
   * Awaited between the workspace scan's answer and the first lint of what it found. Linting holds
   * the extension host's one thread for long stretches: the Links view reads the configs first.
   */
  firstLintAfter?: () => Promise<void>;
}

/**
 * Keeps the Problems panel in step with the bridge configs: lints a config when it or any file it
 * reads changes (unsaved buffers included), per config debounced, and publishes each problem on
 * the file it is in. A run whose inputs changed while it ran is dropped, never shown.
 */
export class Validator implements vscode.Disposable {
  readonly index = new ResultIndex();
  /** File-level results kept between runs: a keystroke in a config re-checks only what changed. */
  private readonly cache = new LintCache();
  /** Disk answers kept between runs for the watched workspace folders (the watcher invalidates them). */
  private readonly disk = new DiskCache(nodeFileHost, (p) => this.watchedFolders.some((f) => p.startsWith(f)));
  private watchedFolders: string[] = [];
  private readonly collection = vscode.languages.createDiagnosticCollection('bridge');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Latest run number per config: only the latest run may publish. */
  private readonly runs = new Map<string, number>();
  /** Configs found in the workspace (scan or file watcher): they stay validated when closed. */
  private readonly workspaceConfigs = new Set<string>();
  /** Configs whose validation failure was already shown, so typing does not stack notifications. */
  private readonly failureShown = new Set<string>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private disposed = false;

  /** The workspace scan's answer: every config of the workspace (fired before they are validated). */
  readonly onDidFindConfigs = new Signal<string[]>();
  /** A config was validated (its text may have changed) or is gone: the views read it again. */
  readonly onDidChangeConfig = new Signal<{ config: string; removed: boolean }>();
  /** Problems shown somewhere changed. */
  readonly onDidPublish = new Signal<void>();
  /** A file changed on disk that a config is, or reads (the sandbox loaded the old one). */
  readonly onDidChangeInput = new Signal<string>();

  constructor(private readonly options: ValidatorOptions) {}

  /** Starts listening; cheap: the workspace scan runs in the background. */
  start(): void {
    const ws = vscode.workspace;
    this.updateWatchedFolders();
    this.disposables.push(
      ws.onDidChangeWorkspaceFolders(() => this.updateWatchedFolders()),
      ws.onDidSaveTextDocument((doc) => {
        // The disk has the buffer's text now; do not wait for the watcher to say so.
        if (doc.uri.scheme === 'file') {
          this.disk.invalidate(doc.uri.fsPath);
          this.noteInputChange(doc.uri.fsPath);
        }
      }),
      ws.onDidOpenTextDocument((doc) => this.onOpened(doc)),
      ws.onDidChangeTextDocument((e) => {
        // Also when a buffer turns clean without a content change of its own (a revert whose text
        // arrived while the buffer still counted as dirty): what it reads from now on is the disk.
        if (e.contentChanges.length > 0 || !e.document.isDirty) this.onFileChanged(e.document.uri, this.options.delay());
      }),
      ws.onDidCloseTextDocument((doc) => this.onClosed(doc)),
      // The document itself may outlive its last tab for minutes: closing the tab is what counts.
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        this.onTabsClosed(e.closed);
        this.onTabsOpened(e.opened);
      }),
    );
    const watcher = ws.createFileSystemWatcher(WATCH_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.onDiskChanged(uri, 'created')),
      watcher.onDidChange((uri) => this.onDiskChanged(uri, 'changed')),
      watcher.onDidDelete((uri) => this.onDiskChanged(uri, 'deleted')),
    );
    for (const doc of ws.textDocuments) this.onOpened(doc);
    this.track(
      this.scanWorkspace().then(async (configs) => {
        if (configs.length > 0) await this.options.firstLintAfter?.();
        await this.validateAll(configs);
      }),
    );
  }

  /** Finds the workspace's configs and validates each; resolves with a count of what is shown. */
  async validateWorkspace(): Promise<ValidationSummary> {
    // An explicit request reads everything afresh, whatever the file watcher missed.
    this.disk.clear();
    const configs = await this.scanWorkspace();
    const open = vscode.workspace.textDocuments.filter((d) => isConfigDocument(d)).map((d) => d.uri.fsPath);
    await this.validateAll([...new Set([...configs, ...open])]);
    return this.summary();
  }

  summary(): ValidationSummary {
    const summary: ValidationSummary = { configs: this.index.configs().length, files: 0, errors: 0, warnings: 0, infos: 0 };
    for (const file of this.index.filesWithDiagnostics()) {
      const list = this.index.diagnosticsFor(file);
      if (list.length === 0) continue;
      summary.files++;
      for (const d of list) {
        if (d.severity === 'error') summary.errors++;
        else if (d.severity === 'warning') summary.warnings++;
        else summary.infos++;
      }
    }
    return summary;
  }

  /** The stored problem (with its fix data) behind a diagnostic shown in the editor. */
  find(file: string, code: string, range: BridgeDiagnostic['range'], message: string): BridgeDiagnostic | undefined {
    return this.index.find(file, code, range, message);
  }

  /** Resolves when no validation is scheduled or running (tests and the bench use it). */
  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.pending.size > 0) {
      await Promise.race([...this.pending, new Promise((r) => setTimeout(r, 10))]);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }

  // ---- events -------------------------------------------------------------------------------

  private onOpened(doc: vscode.TextDocument): void {
    if (isConfigDocument(doc)) this.schedule(doc.uri.fsPath, 0);
  }

  /** A buffer changed (typing, an applied edit, undo): its config and every config reading it. */
  private onFileChanged(uri: vscode.Uri, delay: number): void {
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    if (isBridgeConfigPath(file)) this.schedule(file, delay);
    for (const config of this.index.dependents(file)) this.schedule(config, delay);
  }

  private onClosed(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== 'file') return;
    const file = doc.uri.fsPath;
    if (isBridgeConfigPath(file) && !this.workspaceConfigs.has(file)) {
      // A config from outside the workspace is only validated while it is open.
      this.cancel(file);
      this.publish(this.index.remove(file));
    } else if (isBridgeConfigPath(file)) {
      // Closing may discard unsaved edits: show what is on disk again.
      this.schedule(file, 0);
    }
    // A referenced file closed without saving: its configs read the disk version again.
    for (const config of this.index.dependents(file)) this.schedule(config, 0);
  }

  /** Reopening a tab whose document was never disposed sends no open event: validate it here. */
  private onTabsOpened(opened: readonly vscode.Tab[]): void {
    for (const tab of opened) {
      const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
      if (uri?.scheme === 'file' && isBridgeConfigPath(uri.fsPath) && !this.index.has(uri.fsPath)) this.schedule(uri.fsPath, 0);
    }
  }

  private onTabsClosed(closed: readonly vscode.Tab[]): void {
    for (const tab of closed) {
      const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
      if (!uri || uri.scheme !== 'file') continue;
      const file = uri.fsPath;
      if (!isBridgeConfigPath(file) || this.workspaceConfigs.has(file) || isShownInATab(uri)) continue;
      // A config from outside the workspace is only validated while it is open.
      this.cancel(file);
      this.publish(this.index.remove(file));
    }
  }

  private onDiskChanged(uri: vscode.Uri, kind: 'created' | 'changed' | 'deleted'): void {
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    this.disk.invalidate(file);
    this.noteInputChange(file, kind === 'deleted');
    if (kind === 'deleted') this.cache.forget(file);
    if (kind === 'deleted') {
      // The watcher reports a deleted folder once, not each file in it: forget the configs inside too.
      const prefix = file.endsWith(path.sep) ? file : file + path.sep;
      const known = new Set([...this.index.configs(), ...this.workspaceConfigs]);
      for (const config of known) {
        if (config === file || config.startsWith(prefix)) this.onConfigDeleted(config);
      }
    } else if (isBridgeConfigPath(file) && !IGNORED_SEGMENT.test(file)) {
      this.workspaceConfigs.add(file);
      this.schedule(file, this.options.delay());
    } else if (kind === 'created' && !IGNORED_SEGMENT.test(file + path.sep)) {
      this.track(this.scanCreatedFolder(uri));
    }
    for (const config of this.index.dependents(file, kind === 'deleted')) this.schedule(config, this.options.delay());
  }

  /**
   * A config gone from disk. While a tab shows it (or its buffer holds unsaved edits) it stays
   * validated from the buffer, and closing the tab clears it; otherwise it is cleared now. (A
   * closed document lingers in `textDocuments` for minutes, so that list does not count as open.)
   */
  private onConfigDeleted(config: string): void {
    this.workspaceConfigs.delete(config);
    this.onDidChangeConfig.fire({ config, removed: true });
    const uri = vscode.Uri.file(config);
    if (isShownInATab(uri) || openDocument(config)?.isDirty) return;
    this.cancel(config);
    this.publish(this.index.remove(config));
  }

  // ---- validation ---------------------------------------------------------------------------

  private updateWatchedFolders(): void {
    this.watchedFolders = (vscode.workspace.workspaceFolders ?? [])
      .filter((f) => f.uri.scheme === 'file')
      .map((f) => f.uri.fsPath.replace(/[\\/]*$/, '') + path.sep);
    this.disk.clear();
  }

  private schedule(config: string, delay: number): void {
    if (this.disposed) return;
    const existing = this.timers.get(config);
    if (existing) clearTimeout(existing);
    this.timers.set(
      config,
      setTimeout(() => {
        this.timers.delete(config);
        this.track(this.validate(config));
      }, delay),
    );
  }

  private cancel(config: string): void {
    const existing = this.timers.get(config);
    if (existing) clearTimeout(existing);
    this.timers.delete(config);
    // Any run in flight becomes stale.
    this.runs.set(config, (this.runs.get(config) ?? 0) + 1);
  }

  private async scanWorkspace(): Promise<string[]> {
    if (!vscode.workspace.workspaceFolders?.length) return [];
    try {
      // PERFORMANCE: the same folder walk as `bridge lint` (skipping node_modules and .git), not
      // findFiles: the search service's cold start costs seconds, and the Links view waits for this.
      const folders = this.watchedFolders.map((f) => f.slice(0, -1));
      const configs = (await findBridgeConfigs(folders, nodeFileHost)).filter((p) => !IGNORED_SEGMENT.test(p));
      for (const c of configs) this.workspaceConfigs.add(c);
      this.options.logger.info(`Found ${configs.length} bridge config(s) in the workspace.`);
      this.onDidFindConfigs.fire([...this.workspaceConfigs]);
      return configs;
    } catch (e) {
      this.options.logger.error('Searching the workspace for bridge configs failed', e);
      this.onDidFindConfigs.fire([...this.workspaceConfigs]);
      return [];
    }
  }

  /**
   * A folder appeared (a checkout, an unzip, a mkdir then a write): the watcher may have missed
   * files written into it before it was watched, so look inside once.
   */
  private async scanCreatedFolder(uri: vscode.Uri): Promise<void> {
    const isFolder = await vscode.workspace.fs.stat(uri).then((s) => s.type === vscode.FileType.Directory, () => false);
    if (!isFolder || this.disposed) return;
    for (const config of await findBridgeConfigs([uri.fsPath], nodeFileHost)) {
      if (this.workspaceConfigs.has(config) || this.timers.has(config)) continue;
      this.workspaceConfigs.add(config);
      this.schedule(config, this.options.delay());
    }
  }

  private async validateAll(configs: string[]): Promise<void> {
    // One at a time: the editor stays responsive and results land config by config.
    for (const config of configs) {
      if (this.disposed) return;
      await this.validate(config);
    }
  }

  /** Lints one config against the open buffers and publishes, unless its inputs moved on meanwhile. */
  private async validate(config: string): Promise<void> {
    const run = (this.runs.get(config) ?? 0) + 1;
    this.runs.set(config, run);
    const { overlay, versions } = snapshotBuffers();
    const host = overlayHost(this.disk.host, overlay);
    const started = performance.now();
    try {
      if (!overlay.has(config) && (await host.stat(config)) !== 'file') {
        // Deleted before its turn came.
        if (this.runs.get(config) === run) this.publish(this.index.remove(config));
        return;
      }
      // env: static-credentials reads the AWS shared config files the CLI would (AWS_CONFIG_FILE, HOME …).
      const { lintConfigs } = await loadLintEngine();
      const result = await lintConfigs([config], host, { cache: this.cache, env: process.env });
      if (this.disposed || this.runs.get(config) !== run) return;
      for (const file of [config, ...result.files]) {
        const seen = versions.get(file);
        const now = openDocument(file);
        // Stale when a buffer it read changed or closed, or one it read from disk now holds edits.
        if (seen !== undefined ? now?.version !== seen : now?.isDirty === true) {
          // Edited while linting: this result is stale. Run again on the current text.
          this.schedule(config, this.options.delay());
          return;
        }
      }
      const changed = this.index.set(config, {
        files: result.files,
        diagnostics: result.diagnostics,
        dependencies: result.dependencies.get(config) ?? [],
      });
      this.publish(changed);
      if (this.workspaceConfigs.has(config)) this.onDidChangeConfig.fire({ config, removed: false });
      this.failureShown.delete(config);
      this.options.logger.trace(`Validated ${config} in ${(performance.now() - started).toFixed(1)} ms.`);
    } catch (e) {
      this.reportFailure(config, e);
    }
  }

  private publish(files: string[]): void {
    if (this.disposed) return;
    for (const file of files) {
      const list = this.index.diagnosticsFor(file);
      const uri = vscode.Uri.file(file);
      if (list.length === 0) this.collection.delete(uri);
      else this.collection.set(uri, list.map(toVscodeDiagnostic));
    }
    if (files.length) this.onDidPublish.fire();
  }

  private noteInputChange(file: string, removedFolder = false): void {
    if (this.workspaceConfigs.has(file) || isBridgeConfigPath(file) || this.index.dependents(file, removedFolder).length > 0) this.onDidChangeInput.fire(file);
  }

  private reportFailure(config: string, error: unknown): void {
    this.options.logger.error(`Validating ${config} failed`, error);
    if (this.failureShown.has(config)) return;
    this.failureShown.add(config);
    const name = vscode.workspace.asRelativePath(config);
    void vscode.window
      .showWarningMessage(
        `Bridge could not validate ${name}: ${shortError(error)}. Its problems are not shown until this is resolved; the log has the details.`,
        'Open Log',
      )
      .then((choice) => {
        if (choice === 'Open Log') this.options.showLog();
      });
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch((e) => this.options.logger.error('Validation failed', e)).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }
}

function isConfigDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && isBridgeConfigPath(doc.uri.fsPath);
}

function isShownInATab(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()),
  );
}

function isJsonDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'json' || doc.languageId === 'jsonc' || /\.jsonc?$/i.test(doc.uri.fsPath);
}

/** Unsaved JSON buffers (what the user sees but the disk does not have yet) and their versions. */
function snapshotBuffers(): { overlay: Map<string, string>; versions: Map<string, number> } {
  const overlay = new Map<string, string>();
  const versions = new Map<string, number>();
  for (const doc of vscode.workspace.textDocuments) {
    // A closed document lingers in the list (dirty, when it was closed without saving): not what the user sees.
    if (doc.isClosed || doc.uri.scheme !== 'file' || !isJsonDocument(doc)) continue;
    versions.set(doc.uri.fsPath, doc.version);
    if (doc.isDirty) overlay.set(doc.uri.fsPath, doc.getText());
  }
  return { overlay, versions };
}

function openDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.scheme === 'file' && d.uri.fsPath === file);
}
