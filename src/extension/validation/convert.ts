import * as vscode from 'vscode';
import type { BridgeDiagnostic, Severity } from '../../core/diagnostics';
import { ruleDocUrl } from '../../core/rules/codes';
import type { Range } from '../../core/text';

/** `source` of every diagnostic this extension publishes: the quick-fix provider matches on it. */
export const DIAGNOSTIC_SOURCE = 'bridge';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toVscodeRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function fromVscodeRange(r: vscode.Range): Range {
  return {
    start: { line: r.start.line, character: r.start.character },
    end: { line: r.end.line, character: r.end.character },
  };
}

export function toVscodeDiagnostic(d: BridgeDiagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(toVscodeRange(d.range), d.message, SEVERITY[d.severity]);
  out.source = DIAGNOSTIC_SOURCE;
  out.code = { value: d.code, target: vscode.Uri.parse(ruleDocUrl(d.code)) };
  // The other side of a cross-file mismatch, one click away in the Problems panel and the hover.
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toVscodeRange(r.range)), r.message));
  }
  return out;
}

/** The rule code of a diagnostic shown in the editor, whichever form `code` took. */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  if (typeof c === 'object') return String(c.value);
  return String(c);
}
