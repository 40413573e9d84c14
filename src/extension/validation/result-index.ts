import * as path from 'path';
import type { BridgeDiagnostic } from '../../core/diagnostics';
import type { Range } from '../../core/text';

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

  /** Stores a config's result; returns the files whose shown diagnostics may have changed. */
  set(config: string, result: ConfigResult): string[] {
    const previous = this.byConfig.get(config);
    const stored: StoredResult = {
      files: new Set([config, ...result.files, ...result.diagnostics.keys()]),
      diagnostics: result.diagnostics,
      dependencies: new Set(result.dependencies),
    };
    this.byConfig.set(config, stored);
    return [...new Set([...(previous?.files ?? []), ...stored.files])];
  }

  /** Forgets a config (deleted, or closed and outside the workspace); returns the files to refresh. */
  remove(config: string): string[] {
    const previous = this.byConfig.get(config);
    this.byConfig.delete(config);
    return previous ? [...previous.files] : [];
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
   * it (a pipeline appearing under `repoRoot`), or read a file inside it (a folder renamed away).
   */
  dependents(changed: string): string[] {
    const out: string[] = [];
    for (const [config, stored] of this.byConfig) {
      if (config === changed) continue;
      for (const dep of stored.dependencies) {
        if (dep === changed || isInside(changed, dep) || isInside(dep, changed)) {
          out.push(config);
          break;
        }
      }
    }
    return out;
  }
}

function isInside(child: string, folder: string): boolean {
  const rel = path.relative(folder, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function diagnosticKey(d: BridgeDiagnostic): string {
  const r = d.range;
  return `${d.code}\u0000${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\u0000${d.message}`;
}

function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
