import * as path from 'path';
import type { BridgeDiagnostic } from '../../core/diagnostics';
import type { Range } from '../../core/text';
import { sameRange } from '../../core/rules/report';

/** What one lint run of one config found. */
export interface ConfigResult {
  /** Every file the run looked at: files that now have no problems must be cleared. */
  files: Iterable<string>;
  diagnostics: Map<string, BridgeDiagnostic[]>;
  /** Files and folders the config reads: a change to any of them (or inside a folder) revalidates it. */
  dependencies: Iterable<string>;
}

interface StoredResult {
  files: Set<string>;
  diagnostics: Map<string, BridgeDiagnostic[]>;
  dependencies: Set<string>;
}

/**
 * The latest lint result of every known config, and the questions the editor asks of them:
 * which diagnostics does file F show (the union over all configs that reached F, one copy of each
 * problem), and which configs must be revalidated when file F changes. No VS Code here.
 */
export class ResultIndex {
  private readonly byConfig = new Map<string, StoredResult>();
  /** Reverse of `dependencies`: a path -> the configs that read it (asked on every keystroke). */
  private readonly readers = new Map<string, Set<string>>();

  /** Stores a config's result; returns the files whose shown diagnostics may have changed. */
  set(config: string, result: ConfigResult): string[] {
    const previous = this.byConfig.get(config);
    const stored: StoredResult = {
      files: new Set([config, ...result.files, ...result.diagnostics.keys()]),
      diagnostics: result.diagnostics,
      dependencies: new Set(result.dependencies),
    };
    if (previous) this.forgetReader(config, previous.dependencies);
    this.byConfig.set(config, stored);
    for (const dep of stored.dependencies) {
      let set = this.readers.get(dep);
      if (!set) this.readers.set(dep, (set = new Set()));
      set.add(config);
    }
    return [...new Set([...(previous?.files ?? []), ...stored.files])];
  }

  /** Forgets a config (deleted, or closed and outside the workspace); returns the files to refresh. */
  remove(config: string): string[] {
    const previous = this.byConfig.get(config);
    if (!previous) return [];
    this.forgetReader(config, previous.dependencies);
    this.byConfig.delete(config);
    return [...previous.files];
  }

  private forgetReader(config: string, dependencies: Set<string>): void {
    for (const dep of dependencies) {
      const set = this.readers.get(dep);
      set?.delete(config);
      if (set?.size === 0) this.readers.delete(dep);
    }
  }

  has(config: string): boolean {
    return this.byConfig.has(config);
  }

  configs(): string[] {
    return [...this.byConfig.keys()];
  }

  /** Every file that currently shows at least one diagnostic. */
  filesWithDiagnostics(): string[] {
    const files = new Set<string>();
    for (const stored of this.byConfig.values()) {
      for (const [file, list] of stored.diagnostics) if (list.length > 0) files.add(file);
    }
    return [...files];
  }

  /** The diagnostics file F shows: one copy of each problem, whichever configs found it. */
  diagnosticsFor(file: string): BridgeDiagnostic[] {
    const seen = new Set<string>();
    const out: BridgeDiagnostic[] = [];
    for (const stored of this.byConfig.values()) {
      for (const d of stored.diagnostics.get(file) ?? []) {
        const key = diagnosticKey(d);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(d);
      }
    }
    return out;
  }

  /** The stored diagnostic behind one shown in the editor (the editor's copy has lost `fix`). */
  find(file: string, code: string, range: Range, message: string): BridgeDiagnostic | undefined {
    for (const stored of this.byConfig.values()) {
      for (const d of stored.diagnostics.get(file) ?? []) {
        if (d.code === code && d.message === message && sameRange(d.range, range)) return d;
      }
    }
    return undefined;
  }

  /**
   * Configs to revalidate when `changed` changes: those that read it, or read a folder that holds
   * it (a pipeline appearing under `repoRoot`). With `removedFolder`, also those that read a file
   * inside it (a folder deleted or renamed away). Cost: one map lookup per ancestor folder.
   */
  dependents(changed: string, removedFolder = false): string[] {
    const out = new Set<string>();
    for (let p = changed; ; p = path.dirname(p)) {
      for (const config of this.readers.get(p) ?? []) if (config !== changed) out.add(config);
      if (path.dirname(p) === p) break;
    }
    if (removedFolder) {
      const prefix = changed.endsWith(path.sep) ? changed : changed + path.sep;
      for (const [dep, configs] of this.readers) {
        if (dep.startsWith(prefix)) for (const config of configs) out.add(config);
      }
    }
    return [...out];
  }
}

function diagnosticKey(d: BridgeDiagnostic): string {
  const r = d.range;
  return `${d.code}\u0000${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\u0000${d.message}`;
}

