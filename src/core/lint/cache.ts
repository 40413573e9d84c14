import type { BridgeDiagnostic } from '../diagnostics';
import type { DiagnosticSink } from '../rules/report';
import { DiagnosticSink as Sink } from '../rules/report';

interface Entry {
  text: string;
  context: string;
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

  /** Runs `compute` against a private sink, or replays what it reported last time. */
  run<T>(check: string, file: string, text: string, context: string, sink: DiagnosticSink, compute: (sink: DiagnosticSink) => T): T {
    const key = `${check}\0${file}`;
    const hit = this.entries.get(key);
    if (hit && hit.text === text && hit.context === context) {
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

function replay(entry: Entry, sink: DiagnosticSink): void {
  for (const f of entry.touched) sink.touch(f);
  for (const d of entry.diagnostics) sink.report(d.code, d.file, d.range, d.message, d.fix);
}
