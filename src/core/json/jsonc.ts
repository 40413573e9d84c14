import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { SourceText } from '../text';

/** Nesting beyond this is refused before parsing: real configs never come close, and the
 * recursive parser and tree walkers would otherwise exhaust the stack on hostile input. */
export const MAX_NESTING = 256;

export interface JsonSyntaxProblem {
  offset: number;
  length: number;
  message: string;
}

export interface ParsedJson {
  /** The tree, or undefined when nothing usable could be read. */
  root: Node | undefined;
  syntax: JsonSyntaxProblem[];
  /** Property nodes whose key already appeared in the same object (the later occurrences). */
  duplicates: Node[];
}

export interface ParseOptions {
  /** Plain JSON (payloads, pipelines as ADF writes them) rejects comments and trailing commas. */
  strict?: boolean;
}

/** Parses JSON or JSONC into a positioned tree, collecting syntax errors and duplicate keys. */
export function parseJson(src: SourceText, options: ParseOptions = {}): ParsedJson {
  const text = src.text;
  if (looksBinary(text)) {
    return {
      root: undefined,
      syntax: [{ offset: 0, length: 0, message: 'This is not a text file (it holds binary bytes), so it cannot be JSON. Check that the path names the file you meant.' }],
      duplicates: [],
    };
  }
  const deep = findExcessNesting(text);
  if (deep !== undefined) {
    return {
      root: undefined,
      syntax: [{ offset: deep, length: 1, message: `Nesting deeper than ${MAX_NESTING} levels. A bridge file is never this deep: check that the file is the one you meant.` }],
      duplicates: [],
    };
  }
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, {
      allowTrailingComma: !options.strict,
      disallowComments: !!options.strict,
      allowEmptyContent: false,
    });
  } catch (e) {
    return { root: undefined, syntax: [{ offset: 0, length: 0, message: `The file could not be parsed (${String(e)}).` }], duplicates: [] };
  }
  const syntax = errors.slice(0, MAX_SYNTAX_ERRORS).map((e) => ({
    offset: e.offset,
    length: e.length,
    message: describeParseError(printParseErrorCode(e.error), options.strict),
  }));
  if (errors.length > MAX_SYNTAX_ERRORS) {
    const last = errors[MAX_SYNTAX_ERRORS];
    syntax.push({ offset: last.offset, length: last.length, message: `${errors.length - MAX_SYNTAX_ERRORS} more syntax errors after this point are not listed: fix the ones above first.` });
  }
  if (root === undefined && syntax.length === 0) {
    syntax.push({ offset: 0, length: 0, message: 'The file is empty. Write a JSON object, for example `{ "version": 1 }`.' });
  }
  const duplicates: Node[] = [];
  if (root) collectDuplicates(root, duplicates);
  return { root, syntax, duplicates };
}

function describeParseError(code: string, strict?: boolean): string {
  switch (code) {
    case 'InvalidSymbol':
      return 'Unexpected character: this is not JSON. Check for a missing quote or a stray character.';
    case 'InvalidNumberFormat':
      return 'Invalid number. Write numbers as JSON does: no leading zeros, no hex, no trailing dot.';
    case 'PropertyNameExpected':
      return 'A property name in double quotes is expected here.';
    case 'ValueExpected':
      return 'A value is expected here: a string, number, object, array, true, false or null.';
    case 'ColonExpected':
      return 'A colon is expected between the property name and its value.';
    case 'CommaExpected':
      return 'A comma is expected between entries.';
    case 'CloseBraceExpected':
      return 'A closing brace `}` is expected: an object is not closed.';
    case 'CloseBracketExpected':
      return 'A closing bracket `]` is expected: an array is not closed.';
    case 'EndOfFileExpected':
      return 'Content after the end of the JSON value. A file holds exactly one value.';
    case 'InvalidCommentToken':
      return strict ? 'Comments are not allowed in this JSON file.' : 'Invalid comment.';
    case 'UnexpectedEndOfComment':
      return 'A block comment is not closed: add `*/`.';
    case 'UnexpectedEndOfString':
      return 'A string is not closed: add the closing double quote.';
    case 'UnexpectedEndOfNumber':
      return 'A number ends too early.';
    case 'InvalidUnicode':
      return 'Invalid \\u escape: it needs four hex digits.';
    case 'InvalidEscapeCharacter':
      return 'Invalid escape in a string: use \\\\, \\", \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX.';
    case 'InvalidCharacter':
      return 'Invalid character in a string: control characters must be escaped.';
    default:
      return `Invalid JSON (${code}).`;
  }
}

/** Syntax errors listed per file; past this the rest are summed up in one. */
const MAX_SYNTAX_ERRORS = 50;

/** NUL bytes, or many undecodable bytes, mean the file is not text. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  let bad = 0;
  const sample = Math.min(text.length, 4096);
  for (let i = 0; i < sample; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  return sample > 0 && bad / sample > 0.1;
}

/** The offset where nesting first exceeds MAX_NESTING, skipping strings and comments. */
function findExcessNesting(text: string): number | undefined {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34 || d === 10) break;
      }
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_NESTING) return i;
    } else if (c === 125 || c === 93) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function collectDuplicates(root: Node, out: Node[]): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'object' && node.children) {
      const seen = new Set<string>();
      for (const prop of node.children) {
        const key = prop.children?.[0]?.value;
        if (typeof key === 'string') {
          if (seen.has(key)) out.push(prop);
          else seen.add(key);
        }
      }
    }
    if (node.children) for (const child of node.children) stack.push(child);
  }
  out.sort((a, b) => a.offset - b.offset);
}

/** The property node (key + value) named `key` in an object node; the first when duplicated. */
export function propertyNode(obj: Node | undefined, key: string): Node | undefined {
  if (!obj || obj.type !== 'object' || !obj.children) return undefined;
  for (const prop of obj.children) {
    if (prop.children?.[0]?.value === key) return prop;
  }
  return undefined;
}

/** The value node of `key` in an object node. */
export function valueNode(obj: Node | undefined, key: string): Node | undefined {
  return propertyNode(obj, key)?.children?.[1];
}

/** Follows a path of keys and indexes from a node. */
export function nodeAt(root: Node | undefined, path: (string | number)[]): Node | undefined {
  let node = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (typeof seg === 'number') node = node.type === 'array' ? node.children?.[seg] : undefined;
    else node = valueNode(node, seg);
  }
  return node;
}

/** The key node of a property node. */
export function keyNode(prop: Node | undefined): Node | undefined {
  return prop?.type === 'property' ? prop.children?.[0] : undefined;
}

/** Entries of an object node as [key, valueNode, propertyNode]. */
export function entries(obj: Node | undefined): [string, Node, Node][] {
  const out: [string, Node, Node][] = [];
  if (!obj || obj.type !== 'object' || !obj.children) return out;
  for (const prop of obj.children) {
    const k = prop.children?.[0];
    const v = prop.children?.[1];
    if (k && typeof k.value === 'string' && v) out.push([k.value, v, prop]);
  }
  return out;
}

/** The node's value as plain JSON (jsonc-parser's getNodeValue, iterative-depth-safe by MAX_NESTING). */
export { getNodeValue as jsonValue } from 'jsonc-parser';

export function jsonTypeOf(node: Node): 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' {
  return node.type === 'property' ? 'object' : node.type;
}
