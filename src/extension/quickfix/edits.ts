import { applyEdits, findNodeAtOffset, modify, parseTree, type Edit, type FormattingOptions, type Node } from 'jsonc-parser';
import type { QuickFixData } from '../../core/diagnostics';

/**
 * The text edits behind each quick fix, computed on the current text with `jsonc-parser` so that
 * comments, trailing commas and the user's layout survive. No VS Code here: offsets in, edits out.
 */
export type { Edit, FormattingOptions };

/** Where the diagnostic sits in the current text. */
export interface Span {
  offset: number;
  length: number;
}

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false } as const;

/** Renames the key at `span` to `to`; undefined when there is no key there or `to` is taken. */
export function renameKeyEdits(text: string, span: Span, to: string): Edit[] | undefined {
  const property = propertyAt(text, span.offset);
  if (!property?.children?.[0]) return undefined;
  const siblings = property.parent?.children ?? [];
  if (siblings.some((p) => p !== property && p.children?.[0]?.value === to)) return undefined;
  const key = property.children[0];
  return [{ offset: key.offset, length: key.length, content: JSON.stringify(to) }];
}

/**
 * Replaces the value at `span` with `value`. When the span is a part of a string (the region
 * inside an ARN) and the value is a string, only that part is replaced; otherwise the whole value.
 */
export function replaceValueEdits(text: string, span: Span, value: string | number | boolean): Edit[] | undefined {
  const root = parseTree(text, [], PARSE_OPTIONS);
  if (!root) return undefined;
  let node = findNodeAtOffset(root, span.offset, true);
  if (!node) return undefined;
  if (node.type === 'property') node = node.children?.[1];
  else if (isKey(node)) node = node.parent?.children?.[1];
  if (!node || node.type === 'object' || node.type === 'array') return undefined;
  const end = span.offset + span.length;
  const insideString =
    node.type === 'string' && typeof value === 'string' && span.offset > node.offset && end < node.offset + node.length;
  if (insideString) {
    const escaped = JSON.stringify(value).slice(1, -1);
    return [{ offset: span.offset, length: span.length, content: escaped }];
  }
  return [{ offset: node.offset, length: node.length, content: JSON.stringify(value) }];
}

/** Inserts `key: value` into the object at `path` (created when absent), laid out per `options`. */
export function insertPropertyEdits(
  text: string,
  path: (string | number)[],
  key: string,
  value: unknown,
  options: FormattingOptions,
): Edit[] {
  return modify(text, [...path, key], value, { formattingOptions: options });
}

/** Declares a string parameter `name` in an ADF pipeline file (`properties.parameters`). */
export function declarePipelineParameterEdits(text: string, name: string, options: FormattingOptions): Edit[] | undefined {
  const root = parseTree(text, [], PARSE_OPTIONS);
  if (!root || root.type !== 'object') return undefined;
  return modify(text, ['properties', 'parameters', name], { type: 'string' }, { formattingOptions: options });
}

/** The edits for one fix in the file the diagnostic is on (the pipeline fix edits another file). */
export function fixEdits(text: string, span: Span, fix: QuickFixData, options: FormattingOptions): Edit[] | undefined {
  switch (fix.kind) {
    case 'rename-key':
      return renameKeyEdits(text, span, fix.to);
    case 'replace-value':
      return replaceValueEdits(text, span, fix.value);
    case 'insert-property':
      return insertPropertyEdits(text, fix.path, fix.key, fix.value, options);
    case 'declare-pipeline-parameter':
      return undefined;
  }
}

/**
 * Indentation and line ends of a file that is not open in an editor, read from its text, so a
 * fix in a pipeline that ADF wrote with four spaces stays four spaces.
 */
export function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 4, eol };
  return { insertSpaces: true, tabSize: indent ? Math.min(indent.length, 8) : 2, eol };
}

export { applyEdits };

function propertyAt(text: string, offset: number): Node | undefined {
  const root = parseTree(text, [], PARSE_OPTIONS);
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  if (node.type === 'property') return node;
  if (isKey(node)) return node.parent;
  return undefined;
}

function isKey(node: Node): boolean {
  return node.type === 'string' && node.parent?.type === 'property' && node.parent.children?.[0] === node;
}
