import type { Node } from 'jsonc-parser';
import type { BridgeDiagnostic, QuickFixData, RelatedLocation, ReportExtras, Severity } from '../diagnostics';
import type { Range, SourceText } from '../text';
import { redactSecrets } from '../redact';
import { RULES, type RuleCode } from './codes';

/**
 * Collects diagnostics for one lint run, keyed by file. Rules call `report`; the severity comes
 * from the rule table so that a code always has one severity.
 */
export class DiagnosticSink {
  private readonly byFile = new Map<string, BridgeDiagnostic[]>();
  /** Every file the run looked at, with or without problems (the CLI lists them all). */
  readonly touched = new Set<string>();

  touch(file: string): void {
    this.touched.add(file);
  }

  report(code: RuleCode, file: string, range: Range, rawMessage: string, fix?: QuickFixData, extras?: ReportExtras): void {
    const severity: Severity = RULES[code].severity;
    const message = printable(rawMessage);
    this.touched.add(file);
    let list = this.byFile.get(file);
    if (!list) this.byFile.set(file, (list = []));
    // The same problem reached twice (two links pointing at one broken pipeline) is one diagnostic.
    if (list.some((d) => d.code === code && d.message === message && sameRange(d.range, range))) return;
    const diagnostic: BridgeDiagnostic = { code, severity, message, file, range };
    if (fix) diagnostic.fix = fix;
    if (extras?.related?.length) diagnostic.related = extras.related.map((r) => ({ ...r, message: printable(r.message) }));
    list.push(diagnostic);
  }

  /** Convenience: report at an offset/length inside a source text. */
  at(code: RuleCode, src: SourceText, offset: number, length: number, message: string, fix?: QuickFixData, extras?: ReportExtras): void {
    this.report(code, src.path, src.rangeAt(offset, length), message, fix, extras);
  }

  /**
   * Reports on a JSON node. A string (key or value) is reported on its content, without the
   * quotes, so the squiggle sits under the text the user typed; any other node as a whole.
   */
  onNode(code: RuleCode, src: SourceText, node: Node, message: string, fix?: QuickFixData, extras?: ReportExtras): void {
    const [offset, length] = nodeSpan(node);
    this.at(code, src, offset, length, message, fix, extras);
  }

  /** Takes back what an earlier rule reported inside a span that a later rule found meaningless. */
  retract(file: string, offsetSpan: { start: number; end: number }, src: SourceText, keep: (d: BridgeDiagnostic) => boolean): void {
    const list = this.byFile.get(file);
    if (!list) return;
    const start = src.positionAt(offsetSpan.start);
    const end = src.positionAt(offsetSpan.end);
    const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
    this.byFile.set(
      file,
      list.filter((d) => keep(d) || !(before(start, d.range.start) && before(d.range.end, end))),
    );
  }

  diagnostics(file: string): BridgeDiagnostic[] {
    return this.byFile.get(file) ?? [];
  }

  files(): string[] {
    return [...this.touched];
  }
}

/**
 * Messages quote what the user wrote (names, paths), which may hold control characters written
 * as JSON escapes ("\u0000", "\n"): shown raw they are invisible or break the line in a
 * terminal, so they are shown as the escape the user typed.
 */
/**
 * Every message as it may be shown anywhere (the Problems panel, text, JSON, SARIF): credentials
 * redacted (a message may quote a SAS URL or a JWT it compares), quoted values clipped (a
 * message quoting a 15 MB value would print 15 MB per problem), control characters escaped.
 */
function printable(message: string): string {
  return escapeControls(clipQuoted(redactSecrets(message)));
}

/** The longest quoted value a message keeps whole. */
const MAX_QUOTED = 200;

function clipQuoted(message: string): string {
  if (message.length <= MAX_QUOTED) return message;
  const parts = message.split('"');
  // Odd parts are inside quotes (a quote left open at the end leaves its tail as it is).
  for (let i = 1; i < parts.length - 1; i += 2) {
    if (parts[i].length > MAX_QUOTED) parts[i] = `${parts[i].slice(0, 120)}…(${parts[i].length - 160} more characters)…${parts[i].slice(-40)}`;
  }
  return parts.join('"');
}

function escapeControls(message: string): string {
  return message.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A related location on a JSON node of a file, placed as diagnostics are (strings without quotes). */
export function relatedOnNode(src: SourceText, node: Node, message: string): RelatedLocation {
  const [offset, length] = nodeSpan(node);
  return { file: src.path, range: src.rangeAt(offset, length), message };
}

/** Whether two ranges cover the same text (the editor's diagnostic index matches findings by it too). */
export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}

/** Offset and length of a node as diagnostics show it: string content without its quotes. */
export function nodeSpan(node: Node): [number, number] {
  if (node.type === 'string' && node.length >= 2) return [node.offset + 1, node.length - 2];
  return [node.offset, node.length];
}
