/**
 * The timeline webviews: one panel per run, live while the run is followed, and the way from a
 * bar to the event's line in the log and to the activity or state in its pipeline JSON or ASL
 * file. Loaded on the first `bridge.showTimeline` (see index.ts).
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pipelineFilePath } from '../../core/adf/repo';
import { readBridgeConfig } from '../../core/config/model';
import { nodeAt, parseJson } from '../../core/json/jsonc';
import { redactSecrets } from '../../core/redact';
import type { RunLine, RunStartLine } from '../../core/run/events';
import { SourceText } from '../../core/text';
import { layoutTimeline, type TimelineBar, type TimelineModel } from '../../core/timeline/layout';
import { locateActivity, locateState, type TextSpan } from '../../core/timeline/locate';
import { renderTimelineBody, renderTimelineDocument } from '../../core/timeline/render';
import type { TimelineArgument, TimelineDeps } from './index';

/** The run's lines as a read-only document (when no log to reveal in was given). */
const RUN_SCHEME = 'bridge-run-lines';
/** Live updates are batched: at most this often while events pour in. */
const UPDATE_MS = 150;
/** Open bars grow with the clock while the run is followed. */
const TICK_MS = 1000;

/** A click on a bar: its index in the picture the page shows, and what it was (to check). */
type RevealMessage = { type: 'reveal'; index: number; name: string; start: number };

class RunPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private pending: NodeJS.Timeout | undefined;
  private tick: NodeJS.Timeout | undefined;
  /** The page is older than the lines (updates came while it was hidden). */
  private stale = false;
  private live = false;
  private model: TimelineModel | undefined;

  constructor(
    readonly correlationId: string,
    readonly panel: vscode.WebviewPanel,
    private lines: readonly RunLine[],
    private readonly owner: TimelinePanels,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: RevealMessage | { type: string }) => {
        if (m.type !== 'reveal') return;
        const bar = this.barOf(m as RevealMessage);
        if (bar) void owner.reveal(this.lines, bar).catch((e) => owner.fail('Could not reveal the event', e));
      }),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down: it comes back from its html, restoring zoom, folding and
        // scroll from its saved state, so the html must be the newest picture.
        if (panel.visible && this.stale) this.render(true);
        this.schedule();
      }),
      panel.onDidDispose(() => owner.forget(this)),
    );
    this.render(true);
  }

  get runLines(): readonly RunLine[] {
    return this.lines;
  }

  setLines(lines: readonly RunLine[]): void {
    this.lines = lines;
    this.stale = true;
    this.schedule();
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** The bar the page means (a live update may have renumbered the bars since it drew them). */
  private barOf(m: RevealMessage): TimelineBar | undefined {
    const bars = this.model?.bars ?? [];
    const same = (b: TimelineBar | undefined) => !!b && b.name === m.name && b.start === m.start;
    return same(bars[m.index]) ? bars[m.index] : bars.find(same);
  }

  private schedule(): void {
    if (!this.panel.visible || this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      if (this.stale || this.live) this.render(false);
    }, UPDATE_MS);
  }

  private render(wholePage: boolean): void {
    const model = layoutTimeline(this.lines, { now: Date.now() });
    this.model = model;
    this.live = model.live;
    // The tab says whether the run is still followed (and tests read it to see live updates land).
    this.panel.title = `Timeline: ${model.link ?? model.correlationId}${model.live ? ' (running)' : ''}`;
    const webview = this.panel.webview;
    if (wholePage) {
      webview.html = renderTimelineDocument(model, {
        nonce: randomBytes(16).toString('base64'),
        script: { src: webview.asWebviewUri(this.owner.scriptUri).toString() },
        cspSource: webview.cspSource,
      });
    } else {
      void webview.postMessage({ type: 'update', html: renderTimelineBody(model) });
    }
    this.stale = false;
    clearInterval(this.tick);
    this.tick = this.live ? setInterval(() => this.panel.visible && this.render(false), TICK_MS) : undefined;
  }

  dispose(): void {
    clearTimeout(this.pending);
    clearInterval(this.tick);
    for (const d of this.disposables) d.dispose();
  }
}

export class TimelinePanels implements vscode.Disposable {
  private readonly panels = new Map<string, RunPanel>();

  /** The run the command's argument names (see TimelineArgument), or undefined when the user picked none. */
  resolveRun(arg: TimelineArgument): Promise<readonly RunLine[] | undefined> {
    return resolveRun(arg, this.deps);
  }
  private readonly disposables: vscode.Disposable[] = [];
  /** Lines handed in directly (a JSON Lines file, an argument), for live updates of those runs. */
  private readonly runDocuments = new vscode.EventEmitter<vscode.Uri>();
  readonly scriptUri: vscode.Uri;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: TimelineDeps,
  ) {
    this.scriptUri = vscode.Uri.joinPath(extensionUri, 'dist', 'timeline-view.js');
    this.disposables.push(
      this.runDocuments,
      vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, {
        onDidChange: this.runDocuments.event,
        provideTextDocumentContent: (uri) => {
          const lines = this.linesOf(path.basename(uri.path, '.jsonl'));
          return lines ? lines.map((l) => redactSecrets(JSON.stringify(l))).join('\n') + '\n' : '';
        },
      }),
    );
    if (deps.onRunChanged) {
      this.disposables.push(
        deps.onRunChanged((correlationId) => {
          const panel = this.panels.get(correlationId);
          const lines = panel && deps.getRun?.(correlationId);
          if (!panel || !lines) return;
          panel.setLines(lines);
          this.runDocuments.fire(runDocumentUri(correlationId));
        }),
      );
    }
  }

  /** Shows (or brings forward) the panel of this run; resolves to its correlation id. */
  show(lines: readonly RunLine[]): string {
    const correlationId = (lines.find((l) => l.type === 'run') ?? lines[0]).correlationId;
    const own = lines.filter((l) => l.correlationId === correlationId);
    const existing = this.panels.get(correlationId);
    if (existing) {
      existing.setLines(own);
      existing.reveal();
      return correlationId;
    }
    const panel = vscode.window.createWebviewPanel('bridge.timeline', 'Timeline', vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    this.panels.set(correlationId, new RunPanel(correlationId, panel, own, this));
    return correlationId;
  }

  forget(panel: RunPanel): void {
    if (this.panels.get(panel.correlationId) === panel) this.panels.delete(panel.correlationId);
    panel.dispose();
  }

  fail(what: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.deps.log?.(`${what}: ${message}`);
    void vscode.window.showWarningMessage(`Bridge: ${what}: ${message}`);
  }

  private linesOf(correlationId: string): readonly RunLine[] | undefined {
    return this.panels.get(correlationId)?.runLines ?? this.deps.getRun?.(correlationId);
  }

  /** A click on a bar: the event's line in the log, then the activity or state where it is defined. */
  async reveal(lines: readonly RunLine[], bar: TimelineBar): Promise<void> {
    const start = lines.find((l): l is RunStartLine => l.type === 'run');
    const correlationId = start?.correlationId ?? lines[0]?.correlationId;
    // The closing event says how it ended (and the error); the opening one is all a running bar has.
    const eventId = bar.eventIds[bar.status === 'failed' || bar.status === 'succeeded' ? bar.eventIds.length - 1 : 0];
    if (eventId !== undefined && correlationId) {
      if (this.deps.revealEvent) await this.deps.revealEvent(correlationId, eventId);
      else await this.revealInRunDocument(lines, correlationId, eventId);
    }
    const target = start && (await this.definitionOf(start, bar));
    if (target) {
      const doc = await vscode.workspace.openTextDocument(target.uri);
      const range = new vscode.Range(doc.positionAt(target.span.offset), doc.positionAt(target.span.offset + target.span.length));
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: range, preview: true });
    }
  }

  private async revealInRunDocument(lines: readonly RunLine[], correlationId: string, eventId: string): Promise<void> {
    const index = lines.findIndex((l) => l.type === 'event' && l.id === eventId);
    if (index < 0) return;
    const doc = await vscode.workspace.openTextDocument(runDocumentUri(correlationId));
    const line = doc.lineAt(Math.min(index, doc.lineCount - 1)).range;
    // Not a preview: the definition opened next in the same group must not replace it.
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: line, preserveFocus: true, preview: false });
  }

  /** The pipeline JSON or ASL file of the bar, and the range of its activity or state. */
  private async definitionOf(start: RunStartLine, bar: TimelineBar): Promise<{ uri: vscode.Uri; span: TextSpan } | undefined> {
    const configUri = await this.findFile(start.config);
    if (!configUri) return undefined;
    const config = readBridgeConfig(configUri.fsPath, await readText(configUri));
    const link = config.links.find((l) => l.name === start.link);
    if (!link) return undefined;
    const whole = { offset: 0, length: 0 };
    if (bar.cloud === 'adf') {
      const pipeline = bar.pipelineName ?? link.adf?.pipeline;
      if (!config.azure?.repoRoot || !pipeline) return undefined;
      const uri = vscode.Uri.file(pipelineFilePath(config.azure.repoRoot, pipeline));
      const text = await readText(uri);
      return { uri, span: (bar.kind !== 'pipeline' && locateActivity(uri.fsPath, text, bar.name)) || whole };
    }
    if (bar.cloud === 'sfn') {
      if (!link.stateMachine?.definition) return undefined;
      const uri = vscode.Uri.file(link.stateMachine.definition);
      const text = await readText(uri);
      return { uri, span: (bar.kind !== 'execution' && locateState(uri.fsPath, text, bar.name)) || whole };
    }
    // A gateway request: the link's gateway in the config.
    const text = await readText(configUri);
    const node = nodeAt(parseJson(new SourceText(configUri.fsPath, text)).root, ['links', link.name, 'gateway'])?.parent?.children?.[0];
    return { uri: configUri, span: node ? { offset: node.offset, length: node.length } : whole };
  }

  /** The config as the run names it: absolute, or relative to a workspace folder. */
  private async findFile(p: string): Promise<vscode.Uri | undefined> {
    const candidates = path.isAbsolute(p) ? [vscode.Uri.file(p)] : (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, p));
    for (const uri of candidates) {
      try {
        await vscode.workspace.fs.stat(uri);
        return uri;
      } catch {
        // Not in this folder.
      }
    }
    return undefined;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function runDocumentUri(correlationId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/${correlationId}.jsonl` });
}

/** An open document's text (unsaved edits count), else the file's. */
async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function resolveRun(arg: TimelineArgument, deps: TimelineDeps): Promise<readonly RunLine[] | undefined> {
  if (isLineArray(arg)) return checkedLines(arg, 'The lines given');
  const given = typeof arg === 'object' && arg ? (arg as { correlationId?: unknown; record?: { correlationId?: unknown }; lines?: unknown }) : undefined;
  if (isLineArray(given?.lines)) return checkedLines(given.lines, 'The lines given');
  const fromObject = given?.correlationId ?? given?.record?.correlationId;
  const id = typeof arg === 'string' ? arg : typeof fromObject === 'string' ? fromObject : undefined;
  if (id !== undefined) {
    const lines = deps.getRun?.(id);
    if (!lines?.length) throw new Error(`No run with correlation id ${id} in this window. Run the link again, or open the run's JSON Lines file (bridge run --format jsonl) and show its timeline from there.`);
    return lines;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor && /\.jsonl$/i.test(editor.document.fileName)) return pickRunOfFile(checkedLines(parseJsonLines(editor.document.getText()), editor.document.fileName));
  const runs = deps.listRuns?.() ?? [];
  if (!runs.length) throw new Error('No runs yet: run a link first, or open the JSON Lines output of "bridge run --format jsonl" and run this command again.');
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.label, description: r.description, detail: r.correlationId, id: r.correlationId })),
    { title: 'Show the timeline of which run?', matchOnDetail: true },
  );
  if (!pick) return undefined;
  return deps.getRun?.(pick.id);
}

/** A JSON Lines file of several runs (`bridge run` of every link): which one. */
async function pickRunOfFile(lines: readonly RunLine[]): Promise<readonly RunLine[] | undefined> {
  const starts = lines.filter((l) => l.type === 'run');
  if (starts.length < 2) return lines;
  const status = new Map(lines.filter((l) => l.type === 'summary').map((l) => [l.correlationId, l.status]));
  const pick = await vscode.window.showQuickPick(
    starts.map((r) => ({ label: r.link, description: status.get(r.correlationId) ?? 'running', detail: `${r.trigger ?? ''} · ${r.correlationId}`, id: r.correlationId })),
    { title: 'The file holds several runs: show the timeline of which one?', matchOnDetail: true },
  );
  return pick && lines.filter((l) => l.correlationId === pick.id);
}

function isLineArray(value: unknown): value is readonly RunLine[] {
  return Array.isArray(value);
}

/** The run lines of a JSON Lines text; other lines (progress someone piped in) are skipped. */
export function parseJsonLines(text: string): RunLine[] {
  const out: RunLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as RunLine;
      if (value && typeof value.correlationId === 'string' && (value.type === 'run' || value.type === 'event' || value.type === 'summary')) out.push(value);
    } catch {
      // Not a run line.
    }
  }
  return out;
}

function checkedLines(lines: readonly RunLine[], what: string): readonly RunLine[] {
  if (!lines.some((l) => l && typeof l === 'object' && typeof l.correlationId === 'string' && (l.type === 'event' || l.type === 'run'))) {
    throw new Error(`${what} hold no run: expected the JSON Lines of "bridge run --format jsonl" (a "run" line, "event" lines, a "summary" line).`);
  }
  return lines;
}
