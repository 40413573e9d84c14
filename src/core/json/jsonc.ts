import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
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
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, {
      allowTrailingComma: !options.strict,
      disallowComments: !!options.strict,
      allowEmptyContent: false,
    });
  } catch (e) {
    // jsonc-parser recurses per nesting level: thousands of levels exhaust the stack.
    const deep = findExcessNesting(text);
    if (deep !== undefined) return tooDeep(deep);
    return { root: undefined, syntax: [{ offset: 0, length: 0, message: `The file could not be parsed (${String(e)}). Check that the file is the JSON file you meant.` }], duplicates: [] };
  }
  // Nesting the parser survived but the recursive tree walkers of the rules might not: refused
  // here, found by the same (iterative) walk that looks for duplicate keys.
  const duplicates: Node[] = [];
  const deep = root ? walkTree(root, duplicates) : undefined;
  if (deep !== undefined) return tooDeep(deep);
  // Hostile files make a million errors: describe the first ones (follow-ons and duplicated pairs
  // fall out of them), and only say that more follow.
  const described = errors.length > MAX_DESCRIBED_ERRORS ? errors.slice(0, MAX_DESCRIBED_ERRORS) : errors;
  const problems = withoutFollowOns(src, describeErrors(text, described, options.strict));
  const syntax = problems.slice(0, MAX_SYNTAX_ERRORS);
  const next = problems[MAX_SYNTAX_ERRORS] ?? (described.length < errors.length ? errors[described.length] : undefined);
  if (next) {
    const more = described.length < errors.length ? 'More' : `${problems.length - MAX_SYNTAX_ERRORS} more`;
    syntax.push({ offset: next.offset, length: next.length, message: `${more} syntax errors after this point are not listed: fix the ones above first.` });
  }
  if (root === undefined && syntax.length === 0) {
    syntax.push({ offset: 0, length: 0, message: 'The file is empty. Write a JSON object, for example `{ "version": 1 }`.' });
  }
  return { root, syntax, duplicates };
}

/**
 * After a mistake jsonc-parser recovers token by token, and each token it skips on that line (the
 * rest of an unquoted key, the digits after a leading zero) comes back as "name / value / colon /
 * comma expected". Such a follow-on problem is dropped when its line already has one, or when
 * nothing but white space separates it from the last problem reported; mistakes of another kind on the
 * same line (a comment in strict JSON, a stray comma) and later mistakes stay.
 */
function withoutFollowOns(src: SourceText, problems: (JsonSyntaxProblem & { followOn: boolean })[]): JsonSyntaxProblem[] {
  let line = -1;
  let end = -1;
  const out: JsonSyntaxProblem[] = [];
  for (const { followOn, ...p } of problems) {
    const at = src.positionAt(p.offset).line;
    // Same line, or the very next token after the last problem (`"a": tru` then the `}` below it).
    const adjacent = at === line || (end >= 0 && p.offset >= end && src.text.slice(end, p.offset).trim() === '');
    if (followOn && adjacent) continue;
    line = at;
    end = p.offset + p.length;
    out.push(p);
  }
  return out;
}

const FOLLOW_ON_CODES = new Set(['PropertyNameExpected', 'ValueExpected', 'ColonExpected', 'CommaExpected', 'InvalidSymbol']);

function tooDeep(offset: number): ParsedJson {
  return {
    root: undefined,
    syntax: [{ offset, length: 1, message: `Nesting deeper than ${MAX_NESTING} levels. No bridge config, pipeline, ASL, payload or mocks file is this deep: check that the file is the one you meant.` }],
    duplicates: [],
  };
}

/**
 * One problem per mistake: jsonc-parser reports some mistakes twice at one token (a trailing
 * comma in strict JSON is both "property name expected" and "value expected"); that pair is
 * reported once. A different mistake at the same place (an object not closed at the end of the
 * file) is still reported. A stray comma (trailing, doubled or leading) is named as such, on the
 * comma, since that is what to remove. Only the errors up to the listing limit are described.
 */
function describeErrors(text: string, errors: ParseError[], strict?: boolean): (JsonSyntaxProblem & { followOn: boolean })[] {
  const out: (JsonSyntaxProblem & { followOn: boolean })[] = [];
  const seen = new Set<string>();
  const commas = strayCommas(text, errors);
  for (const e of errors) {
    const code = printParseErrorCode(e.error);
    const special = commas.get(e.offset) ?? leadingZero(text, e);
    const problem = special
      ? { ...special, followOn: false }
      : { offset: e.offset, length: e.length, message: describeParseError(code, strict), followOn: FOLLOW_ON_CODES.has(code) };
    const kind = special || isEntryExpected(code) ? 'entry' : code;
    if (seen.has(`${e.offset}:${kind}`) || seen.has(`${problem.offset}:${kind}`)) continue;
    seen.add(`${e.offset}:${kind}`);
    seen.add(`${problem.offset}:${kind}`);
    out.push(problem);
  }
  // A trailing comma is reported before the token that revealed it: keep the file order.
  return out.sort((a, b) => a.offset - b.offset);
}

/**
 * For each "property name / value expected" error that sits right after a comma, the comma
 * problem to report instead, keyed by the error's offset. One scan of the tokens up to the last
 * such error; comments and whitespace between the comma and the error are skipped. A comma before
 * a closing bracket is a trailing comma only when that bracket closes the comma's own container:
 * `["a", }` is an array not closed, which the parser reports as such.
 */
function strayCommas(text: string, errors: ParseError[]): Map<number, JsonSyntaxProblem> {
  const out = new Map<number, JsonSyntaxProblem>();
  const offsets = [...new Set(errors.filter((e) => isEntryExpected(printParseErrorCode(e.error))).map((e) => e.offset))].sort((a, b) => a - b);
  if (offsets.length === 0) return out;
  const scanner = createScanner(text, false);
  const open: SyntaxKind[] = [];
  let i = 0;
  let previous: { kind: SyntaxKind; offset: number } | undefined;
  let kind = scanner.scan();
  while (kind !== SyntaxKind.EOF && i < offsets.length) {
    const offset = scanner.getTokenOffset();
    while (i < offsets.length && offsets[i] < offset) i++;
    if (i < offsets.length && offsets[i] === offset && previous && previous.kind === SyntaxKind.CommaToken) {
      const inside = open[open.length - 1];
      if ((kind === SyntaxKind.CloseBraceToken && inside === SyntaxKind.OpenBraceToken) || (kind === SyntaxKind.CloseBracketToken && inside === SyntaxKind.OpenBracketToken)) {
        const closes = kind === SyntaxKind.CloseBraceToken ? 'object' : 'array';
        out.set(offset, { offset: previous.offset, length: 1, message: `Trailing comma: JSON allows no comma after the last entry of an ${closes}. Remove it.` });
      } else if (kind === SyntaxKind.CommaToken) {
        out.set(offset, { offset, length: 1, message: 'Two commas in a row: an entry is missing between them. Remove one comma, or write the missing entry.' });
      }
    } else if (i < offsets.length && offsets[i] === offset && kind === SyntaxKind.CommaToken && (previous?.kind === SyntaxKind.OpenBraceToken || previous?.kind === SyntaxKind.OpenBracketToken)) {
      out.set(offset, { offset, length: 1, message: 'A comma before the first entry: an entry is missing before it. Remove the comma, or write the missing entry.' });
    }
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) open.push(kind);
    else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      // A bracket that closes nothing open (a mismatch) leaves the stack as it is, as the parser does.
      const match = kind === SyntaxKind.CloseBraceToken ? SyntaxKind.OpenBraceToken : SyntaxKind.OpenBracketToken;
      if (open[open.length - 1] === match) open.pop();
    }
    if (kind !== SyntaxKind.Trivia && kind !== SyntaxKind.LineBreakTrivia && kind !== SyntaxKind.LineCommentTrivia && kind !== SyntaxKind.BlockCommentTrivia) {
      previous = { kind, offset };
    }
    kind = scanner.scan();
  }
  return out;
}

/**
 * `01` is read as the number 0 followed by a stray 1 ("comma expected"): name the real mistake,
 * on the whole number.
 */
function leadingZero(text: string, e: ParseError): JsonSyntaxProblem | undefined {
  if (printParseErrorCode(e.error) !== 'CommaExpected' || !isDigit(text.charCodeAt(e.offset))) return undefined;
  let start = e.offset;
  while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
  if (start === e.offset || text[start] !== '0') return undefined;
  if (start > 0 && /[0-9.eE+]/.test(text[start - 1])) return undefined; // 1.05, 2e05: not a leading zero
  let end = e.offset;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  const digits = text.slice(start, end);
  return {
    offset: start,
    length: end - start,
    message: `Numbers cannot start with 0 in JSON: write ${digits.replace(/^0+(?=\d)/, '')} instead of ${digits}, or "${digits}" (in quotes) if this is a code rather than a number.`,
  };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isEntryExpected(code: string): boolean {
  return code === 'PropertyNameExpected' || code === 'ValueExpected';
}

/** What is wrong at a syntax error, and what to do about it. */
function describeParseError(code: string, strict?: boolean): string {
  switch (code) {
    case 'InvalidSymbol':
      return 'Unexpected character: this is not JSON. Put strings and property names in double quotes, spell true, false and null in lower case, or remove the stray character.';
    case 'InvalidNumberFormat':
      return 'Invalid number. Write numbers as JSON does: no leading zeros, no hex, no trailing dot.';
    case 'PropertyNameExpected':
      return 'A property name is missing here. Write it in double quotes, followed by a colon and its value: "name": value.';
    case 'ValueExpected':
      return 'A value is missing here. Write a string, number, object, array, true, false or null.';
    case 'ColonExpected':
      return 'A colon is missing between the property name and its value. Add `:` after the name.';
    case 'CommaExpected':
      return 'A comma is missing between two entries. Add `,` after the previous entry.';
    case 'CloseBraceExpected':
      return 'An object is not closed. Add the closing brace `}`.';
    case 'CloseBracketExpected':
      return 'An array is not closed. Add the closing bracket `]`.';
    case 'EndOfFileExpected':
      return 'Content after the end of the JSON value: a file holds exactly one value. Remove what follows, or put the values in one array or object.';
    case 'InvalidCommentToken':
      return strict
        ? 'Comments are not allowed in this JSON file. Remove the comment (put notes in a string value if the file needs them).'
        : 'Invalid comment. Write `// …` for a comment to the end of the line, or `/* … */`.';
    case 'UnexpectedEndOfComment':
      return 'A block comment is not closed. Add `*/` at its end.';
    case 'UnexpectedEndOfString':
      return 'A string is not closed. Add the closing double quote (a string cannot span lines: write a line break as \\n).';
    case 'UnexpectedEndOfNumber':
      return 'A number ends too early. Add the missing digits after the `.`, `e` or `-`, or remove that character.';
    case 'InvalidUnicode':
      return 'Invalid \\u escape. Write \\u followed by exactly four hex digits, such as \\u00e9 (a backslash itself is written \\\\).';
    case 'InvalidEscapeCharacter':
      return 'Invalid escape in a string. Use \\\\, \\", \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX (a backslash itself is written \\\\, as in "C:\\\\data").';
    case 'InvalidCharacter':
      return 'A string holds a control character (a raw tab, line break or other invisible character), which JSON does not allow. Write it as an escape such as \\t, \\n or \\u0000, or remove it.';
    default:
      return `Invalid JSON (${code}). Fix the syntax at this point.`;
  }
}

/** Objects up to this many keys are checked for duplicates pairwise. */
const SMALL_OBJECT = 12;

/** How many of the parser's errors are looked at, at most (it makes one per stray token). */
const MAX_DESCRIBED_ERRORS = 1000;

/** Syntax errors listed per file; past this the rest are summed up in one. */
const MAX_SYNTAX_ERRORS = 50;

/** NUL bytes, or many undecodable bytes, mean the file is not text. */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  if (!text.includes('\ufffd')) return false;
  let bad = 0;
  const sample = Math.min(text.length, 4096);
  for (let i = 0; i < sample; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  return sample > 0 && bad / sample > 0.1;
}

/** The offset where nesting first exceeds MAX_NESTING, skipping strings and comments (text only: for when the parser gave up). */
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

/**
 * Collects duplicate keys (the later occurrences, in file order) into `out`, and returns the offset
 * of the first object or array nested deeper than MAX_NESTING, if any.
 */
function walkTree(root: Node, out: Node[]): number | undefined {
  const stack: Node[] = [root];
  const depths: number[] = [0];
  let tooDeep: number | undefined;
  while (stack.length) {
    const node = stack.pop()!;
    let depth = depths.pop()!;
    if (node.type === 'object' || node.type === 'array') {
      if (++depth > MAX_NESTING) {
        if (tooDeep === undefined || node.offset < tooDeep) tooDeep = node.offset;
        continue;
      }
    }
    if (node.type === 'object' && node.children) {
      const props = node.children;
      if (props.length <= SMALL_OBJECT) {
        // Most objects have a handful of keys: comparing pairs beats building a Set for each.
        for (let i = 1; i < props.length; i++) {
          const key = props[i].children?.[0]?.value;
          if (typeof key !== 'string') continue;
          for (let j = 0; j < i; j++) {
            if (props[j].children?.[0]?.value === key) {
              out.push(props[i]);
              break;
            }
          }
        }
      } else {
        const seen = new Set<string>();
        for (const prop of props) {
          const key = prop.children?.[0]?.value;
          if (typeof key === 'string') {
            if (seen.has(key)) out.push(prop);
            else seen.add(key);
          }
        }
      }
    }
    // PERFORMANCE: an index, not for…of: every node of every file passes here, and until V8
    // optimises this (never, in a short `bridge lint`) each for…of step allocates its result object.
    const children = node.children;
    if (children) {
      for (let i = 0; i < children.length; i++) {
        stack.push(children[i]);
        depths.push(depth);
      }
    }
  }
  out.sort((a, b) => a.offset - b.offset);
  return tooDeep;
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
