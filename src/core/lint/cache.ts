import type { BridgeDiagnostic } from '../diagnostics';
import type { DiagnosticSink } from '../rules/report';
import { DiagnosticSink as Sink } from '../rules/report';

interface Entry {
  text: string;
  context: readonly unknown[];
  value: unknown;
  diagnostics: BridgeDiagnostic[];
  touched: string[];
}

/**
 * Results of file-level checks kept between lint runs, for the editor: a keystroke in a config
 * re-checks the config, while its 200 pipelines, ASL files and payloads, unchanged, are answered
 * from here. An entry is the check's value and the diagnostics it reported, valid while the file's
 * text and the check's context (what else it depends on) are the same. One entry per check and
 * file: a changed file replaces its entry, so the cache never outgrows the workspace.
 */
export class LintCache {
  private readonly entries = new Map<string, Entry>();

  /**
   * Runs `compute` against a private sink, or replays what it reported last time. `context` lists
   * what else the check reads (other files' texts, names from the config), compared item by item
   * with `===`: no string is built per call, which matters on every keystroke.
   */
  run<T>(check: string, file: string, text: string, context: readonly unknown[], sink: DiagnosticSink, compute: (sink: DiagnosticSink) => T): T {
    const key = `${check}\0${file}`;
    const hit = this.entries.get(key);
    if (hit && hit.text === text && sameItems(hit.context, context)) {
      replay(hit, sink);
      return hit.value as T;
    }
    const scratch = new Sink();
    const value = compute(scratch);
    const entry: Entry = { text, context, value, diagnostics: scratch.files().flatMap((f) => scratch.diagnostics(f)), touched: scratch.files() };
    this.entries.set(key, entry);
    replay(entry, sink);
    return value;
  }

  /** Forgets everything about a file (deleted, or closed without saving). */
  forget(file: string): void {
    for (const key of this.entries.keys()) if (key.endsWith(`\0${file}`)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function replay(entry: Entry, sink: DiagnosticSink): void {
  for (const f of entry.touched) sink.touch(f);
  for (const d of entry.diagnostics) sink.report(d.code, d.file, d.range, d.message, d.fix, { related: d.related });
}
