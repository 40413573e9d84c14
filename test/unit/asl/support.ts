import type { BridgeDiagnostic } from '../../../src/core/diagnostics';
import { parseJson } from '../../../src/core/json/jsonc';
import { DiagnosticSink } from '../../../src/core/rules/report';
import { SourceText, type Range } from '../../../src/core/text';
import { validateAslDefinition } from '../../../src/core/asl/validate';
import type { AslDefinitionFacts } from '../../../src/core/asl/model';
import { validateMockConfig, type MockConfigFacts, type MockConfigOptions } from '../../../src/core/mocks/validate';

export const ASL_PATH = '/ws/statemachines/test.asl.json';
export const MOCK_PATH = '/ws/mocks/test.mock.json';

export function lintAsl(text: string): { diagnostics: BridgeDiagnostic[]; facts: AslDefinitionFacts | undefined; sink: DiagnosticSink } {
  const src = new SourceText(ASL_PATH, text);
  const sink = new DiagnosticSink();
  const facts = validateAslDefinition(src, parseJson(src, { strict: true }), sink);
  return { diagnostics: sink.diagnostics(ASL_PATH), facts, sink };
}

export function lintMocks(text: string, opts: MockConfigOptions): { diagnostics: BridgeDiagnostic[]; facts: MockConfigFacts | undefined } {
  const src = new SourceText(MOCK_PATH, text);
  const sink = new DiagnosticSink();
  const facts = validateMockConfig(src, parseJson(src, { strict: true }), sink, opts);
  return { diagnostics: sink.diagnostics(MOCK_PATH), facts };
}

/** Pretty JSON, as people write ASL files. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/**
 * The range of the `occurrence`-th match of `needle` in `text`, computed independently of
 * SourceText (by counting newlines), so a wrong range in the product cannot hide here.
 */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`test setup: ${JSON.stringify(needle)} occurs fewer than ${occurrence + 1} times`);
  }
  const pos = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(at), end: pos(at + needle.length) };
}

/**
 * The range of the `occurrence`-th JSON string `quoted` (written with its quotes, to find the
 * right one), without the quotes: a string key or value is reported on its content.
 */
export function contentOf(text: string, quoted: string, occurrence = 0): Range {
  if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"')) throw new Error(`test setup: ${JSON.stringify(quoted)} is not a quoted JSON string`);
  const r = rangeOf(text, quoted, occurrence);
  return { start: { line: r.start.line, character: r.start.character + 1 }, end: { line: r.end.line, character: r.end.character - 1 } };
}

/** "line:char-line:char message" lines, for assertion failure output that shows what was found. */
export function show(diags: BridgeDiagnostic[]): string {
  return diags.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`).join('\n');
}
