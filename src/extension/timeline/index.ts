/**
 * `bridge.showTimeline`: a run as one cross-cloud timeline in a webview. This file is what
 * activation loads (small: keep it so, it is in the 150 KiB activation bundle); resolving the
 * command's argument, the panel, the layout and the rendering load on the first use
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
  /** Calls back with a run's correlation id when it has new lines: the panels of runs being followed update live. */
  onRunChanged?(listener: (correlationId: string) => void): { dispose(): void };
  /** Reveals an event's line in the run log; without it the run's lines open as a read-only document. */
  revealEvent?(correlationId: string, eventId: string): unknown;
  /** Where failures are written (the extension's log). */
  log?(message: string): void;
}

/**
 * What the command accepts: a correlation id; an object with `correlationId` (a `bridge.runLink`
 * result), `record.correlationId` (a node of the Runs tree) or `lines`; the run's lines themselves. Nothing: the JSON Lines file
 * of a run open in the editor (`bridge run --format jsonl`), else a pick from the known runs.
 */
export type TimelineArgument = string | readonly RunLine[] | { correlationId?: string; record?: { correlationId?: string }; lines?: readonly RunLine[] } | undefined;

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
      const loaded = await load();
      const lines = await loaded.resolveRun(arg);
      if (!lines) return undefined;
      return loaded.show(lines);
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
