/**
 * `bridge.showTimeline`: a run as one cross-cloud timeline in a webview. This file is what
 * activation loads (small); the panel, the layout and the rendering load on the first use
 * (`./timeline-panel` is a lazy seam: scripts/build.mjs bundles it as dist/timeline.js).
 */
import * as vscode from 'vscode';
import type { RunLine } from '../../core/run/events';
import type { TimelinePanels } from './timeline-panel';

/** What the timeline needs from the rest of the extension; every part is optional. */
export interface TimelineDeps {
  /** The lines of a run this window knows (the run store), by correlation id. */
  getRun?(correlationId: string): readonly RunLine[] | undefined;
  /** Runs to choose from when the command comes from the palette, newest first. */
  listRuns?(): readonly { correlationId: string; label: string; description?: string }[];
  /** Fires with every new line of any run: the panels of runs being followed update live. */
  onDidAddLine?: vscode.Event<RunLine>;
  /** Reveals an event's line in the run log; without it the run's lines open as a read-only document. */
  revealEvent?(correlationId: string, eventId: string): unknown;
  /** Where failures are written (the extension's log). */
  log?(message: string): void;
}

/**
 * What the command accepts: a correlation id; an object with `correlationId` (a run tree item,
 * a `bridge.runLink` result) or `lines`; the run's lines themselves. Nothing: the JSON Lines file
 * of a run open in the editor (`bridge run --format jsonl`), else a pick from the known runs.
 */
export type TimelineArgument = string | readonly RunLine[] | { correlationId?: string; lines?: readonly RunLine[] } | undefined;

export function registerTimeline(context: vscode.ExtensionContext, deps: TimelineDeps = {}): vscode.Disposable {
  let panels: Promise<TimelinePanels> | undefined;
  const load = () =>
    (panels ??= import('./timeline-panel').then(({ TimelinePanels }) => {
      const p = new TimelinePanels(context.extensionUri, deps);
      context.subscriptions.push(p);
      return p;
    }));
  const command = vscode.commands.registerCommand('bridge.showTimeline', async (arg?: TimelineArgument) => {
    try {
      const lines = await resolveRun(arg, deps);
      if (!lines) return undefined;
      return (await load()).show(lines);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      deps.log?.(`bridge.showTimeline: ${message}`);
      void vscode.window.showErrorMessage(`Bridge: ${message}`);
      return undefined;
    }
  });
  context.subscriptions.push(command);
  return command;
}

/** Shows the timeline of a run (see TimelineArgument); resolves to the panel's correlation id. */
export function showTimeline(arg: TimelineArgument): Thenable<string | undefined> {
  return vscode.commands.executeCommand<string | undefined>('bridge.showTimeline', arg);
}

async function resolveRun(arg: TimelineArgument, deps: TimelineDeps): Promise<readonly RunLine[] | undefined> {
  if (isLineArray(arg)) return checkedLines(arg, 'The lines given');
  const given = typeof arg === 'object' && arg ? (arg as { correlationId?: unknown; lines?: unknown }) : undefined;
  if (isLineArray(given?.lines)) return checkedLines(given.lines, 'The lines given');
  const id = typeof arg === 'string' ? arg : typeof given?.correlationId === 'string' ? given.correlationId : undefined;
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
