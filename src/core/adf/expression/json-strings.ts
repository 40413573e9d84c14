/**
 * Finds the ADF expressions inside a JSON tree (an activity's typeProperties, a whole pipeline)
 * and converts ranges inside them into file positions.
 *
 * ADF stores expressions either as plain string values (`"url": "@concat(…)"`) or as expression
 * objects (`"url": { "value": "@concat(…)", "type": "Expression" }`); both are found, since the
 * walk visits every string value and reports the enclosing expression object when there is one.
 */
import type { Node } from 'jsonc-parser';
import type { Range } from '../../text';
import type { SourceText } from '../../text';
import { rawStartsOfDecodedUnits } from '../../json/string-offsets';
import type { Span } from './ast';
import { analyzeAdfString, type AdfStringAnalysis } from './references';

export interface ExpressionString {
  /** The jsonc-parser string node holding the value. */
  node: Node;
  /** The decoded string value. */
  value: string;
  analysis: AdfStringAnalysis;
  /** The `{ "value": …, "type": "Expression" }` object around the string, when it is in one. */
  expressionObject: Node | undefined;
  /** Keys and indexes from the walked root to the string node. */
  path: (string | number)[];
  /** File offsets of a range given in the decoded value (e.g. an error's offset/length). */
  sourceOffsets(span: Span): { offset: number; length: number };
  /** The same as an LSP range in `src`. */
  sourceRange(span: Span): Range;
}

export interface ExpressionWalkOptions {
  /** Also report strings that are plain literals (no `@…`, no `@{…}`). Default false. */
  includeLiterals?: boolean;
}

/**
 * Calls `cb` for every string value under `root` that ADF evaluates as an expression (whole `@…`
 * values and strings with `@{…}` parts). Property names are never expressions. Iterative: safe on
 * deep trees.
 */
export function forEachExpressionString(
  root: Node | undefined,
  src: SourceText,
  cb: (s: ExpressionString) => void,
  options: ExpressionWalkOptions = {},
): void {
  if (!root) return;
  const stack: { node: Node; path: (string | number)[] }[] = [{ node: root, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (node.type === 'string') {
      if (typeof node.value !== 'string') continue;
      const value = node.value;
      if (!options.includeLiterals && !value.includes('@')) continue;
      const analysis = analyzeAdfString(value);
      if (!options.includeLiterals && !analysis.isExpression) continue;
      cb(makeExpressionString(node, value, analysis, path, src));
      continue;
    }
    if (node.type === 'object' && node.children) {
      for (let i = node.children.length - 1; i >= 0; i--) {
        const prop = node.children[i];
        const key = prop.children?.[0];
        const val = prop.children?.[1];
        if (key && val && typeof key.value === 'string') stack.push({ node: val, path: [...path, key.value] });
      }
    } else if (node.type === 'array' && node.children) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], path: [...path, i] });
    }
  }
}

/** The same walk, returning the results as an array. */
export function expressionStrings(root: Node | undefined, src: SourceText, options: ExpressionWalkOptions = {}): ExpressionString[] {
  const out: ExpressionString[] = [];
  forEachExpressionString(root, src, (s) => out.push(s), options);
  return out;
}

/** True for `{ "value": …, "type": "Expression" }` (the type compared case-insensitively, as ADF does). */
export function isExpressionObject(node: Node | undefined): boolean {
  if (!node || node.type !== 'object' || !node.children) return false;
  let hasValue = false;
  let isExpression = false;
  for (const prop of node.children) {
    const k = prop.children?.[0]?.value;
    const v = prop.children?.[1];
    if (k === 'value') hasValue = true;
    if (k === 'type' && v?.type === 'string' && typeof v.value === 'string' && v.value.toLowerCase() === 'expression') isExpression = true;
  }
  return hasValue && isExpression;
}

function makeExpressionString(node: Node, value: string, analysis: AdfStringAnalysis, path: (string | number)[], src: SourceText): ExpressionString {
  // The enclosing expression object: string node -> property node -> object node.
  const obj = node.parent?.parent;
  const expressionObject = path[path.length - 1] === 'value' && isExpressionObject(obj) ? obj : undefined;
  let starts: number[] | undefined;
  const rawOffset = (decoded: number): number => {
    if (!starts) starts = rawStartsOfDecodedUnits(src.text.slice(node.offset, node.offset + node.length));
    const i = Math.max(0, Math.min(Math.trunc(decoded), starts.length - 1));
    return node.offset + starts[i];
  };
  const sourceOffsets = (span: Span): { offset: number; length: number } => {
    const start = rawOffset(span.offset);
    const end = rawOffset(span.offset + Math.max(0, span.length));
    return { offset: start, length: Math.max(0, end - start) };
  };
  return {
    node,
    value,
    analysis,
    expressionObject,
    path,
    sourceOffsets,
    sourceRange(span: Span): Range {
      const o = sourceOffsets(span);
      return src.rangeAt(o.offset, o.length);
    },
  };
}
