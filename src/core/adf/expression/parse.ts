/**
 * Parser for ADF (Azure Data Factory) pipeline expressions, as ADF reads a JSON string value:
 *
 * - `"@expr"`: the whole value is an expression, its result keeps its type;
 * - `"@@…"`: a literal string starting with `@` (one `@` is dropped);
 * - `"text @{expr} text"`: string interpolation, `@@{` is a literal `@{`; the result is a string;
 * - anything else is a literal.
 *
 * Expressions: single-quoted strings (`''` is a quote), numbers (`42`, `-5`, `1.5`, `.3`),
 * `true`/`false`/`null`, function calls `name(args)`, property access `.name` / `?.name`, and
 * indexing `[expr]` / `?[expr]`. There are no operators.
 *
 * The parser never throws and never recurses more than MAX_EXPRESSION_DEPTH levels; problems come
 * back as `ExprError`s with a range inside the value and a message saying what to do.
 */
import type {
  AdfValueNode,
  CallNode,
  ExprError,
  ExprErrorCode,
  ExprNode,
  InterpolationSegment,
  ParsedAdfValue,
  Span,
  TextSegment,
} from './ast';
import { ADF_FUNCTIONS, closestName, lookupFunction } from './catalog';

/** Calls and indexes nested deeper than this are refused (real pipelines stay far below). */
export const MAX_EXPRESSION_DEPTH = 64;

/** Thrown inside the parser to abandon the current expression after a syntax error is recorded. */
class Abandon {}
const ABANDON = new Abandon();

const KNOWN_FUNCTION_NAMES = ADF_FUNCTIONS.map((f) => f.name);

/** Parses one JSON string value the way ADF does. Never throws. */
export function parseAdfValue(value: string): ParsedAdfValue {
  const text = typeof value === 'string' ? value : String(value);
  const errors: ExprError[] = [];
  let node: AdfValueNode;
  try {
    node = parseValue(text, errors);
  } catch (e) {
    // Defensive: a bug in the parser must surface as a diagnostic, not a crash of the linter.
    errors.push({ code: 'syntax', offset: 0, length: text.length, message: `The expression could not be parsed (${String(e)}).` });
    node = { kind: 'literal', text };
  }
  return { value: node, errors };
}

/**
 * Parses a bare expression (no leading `@`), e.g. the text of an `if` condition typed by a user.
 * Offsets are relative to `text`.
 */
export function parseAdfExpression(text: string): { expr: ExprNode | undefined; errors: ExprError[] } {
  const errors: ExprError[] = [];
  const p = new Parser(text, errors);
  let expr: ExprNode | undefined;
  try {
    p.skipWs();
    if (p.pos >= text.length) {
      errors.push({ code: 'syntax', offset: 0, length: text.length, message: 'The expression is empty: write a function call, a property access or a literal.' });
      return { expr: undefined, errors };
    }
    expr = p.parseExpression(0);
    p.expectEnd();
  } catch (e) {
    if (!(e instanceof Abandon)) {
      errors.push({ code: 'syntax', offset: 0, length: text.length, message: `The expression could not be parsed (${String(e)}).` });
    }
  }
  return { expr, errors };
}

/** True when ADF would evaluate something in this string (a whole expression or an interpolation). */
export function isAdfExpressionString(value: string): boolean {
  if (value.startsWith('@@')) return false;
  if (value.startsWith('@')) return true;
  let i = value.indexOf('@{');
  while (i >= 0) {
    if (!(i > 0 && value[i - 1] === '@')) return true;
    i = value.indexOf('@{', i + 2);
  }
  return false;
}

function parseValue(text: string, errors: ExprError[]): AdfValueNode {
  if (text.startsWith('@@')) return { kind: 'literal', text: text.slice(1) };
  if (text.startsWith('@') && !text.startsWith('@{')) {
    const p = new Parser(text, errors);
    p.pos = 1;
    p.skipWs();
    if (p.pos >= text.length) {
      errors.push({
        code: 'syntax',
        offset: 0,
        length: text.length,
        message: "'@' starts an expression, but nothing follows it. Write an expression after '@' (e.g. @pipeline().RunId), or write '@@' for a literal '@'.",
      });
      return { kind: 'expression', expr: undefined, span: { offset: 0, length: text.length } };
    }
    let expr: ExprNode | undefined;
    try {
      expr = p.parseExpression(0);
      p.expectEnd();
    } catch (e) {
      if (!(e instanceof Abandon)) throw e;
    }
    return { kind: 'expression', expr, span: { offset: 0, length: text.length } };
  }
  return parseInterpolated(text, errors);
}

function parseInterpolated(text: string, errors: ExprError[]): AdfValueNode {
  const segments: (TextSegment | InterpolationSegment)[] = [];
  let literal = '';
  let literalStart = 0;
  let sawInterpolation = false;
  let i = 0;
  const flushText = (end: number): void => {
    if (end > literalStart || literal.length) segments.push({ kind: 'text', text: literal, offset: literalStart, length: end - literalStart });
    literal = '';
  };
  while (i < text.length) {
    if (text.startsWith('@@{', i)) {
      literal += '@{';
      i += 3;
      continue;
    }
    if (!text.startsWith('@{', i)) {
      literal += text[i];
      i += 1;
      continue;
    }
    sawInterpolation = true;
    flushText(i);
    const start = i;
    const p = new Parser(text, errors);
    p.pos = i + 2;
    p.skipWs();
    let expr: ExprNode | undefined;
    let end: number;
    if (text[p.pos] === '}') {
      errors.push({ code: 'syntax', offset: start, length: p.pos + 1 - start, message: "Empty interpolation '@{}': write an expression inside the braces, or remove them." });
      end = p.pos + 1;
    } else if (p.pos >= text.length) {
      errors.push({ code: 'syntax', offset: start, length: 2, message: "Unclosed interpolation '@{': write an expression and close it with '}'." });
      end = text.length;
    } else {
      try {
        expr = p.parseExpression(0);
        p.skipWs();
        if (p.pos >= text.length) {
          errors.push({ code: 'syntax', offset: start, length: 2, message: "Unclosed interpolation '@{': add '}' after the expression." });
          end = text.length;
        } else if (text[p.pos] !== '}') {
          errors.push({
            code: 'syntax',
            offset: p.pos,
            length: 1,
            message: `Expected '}' to close the interpolation, found ${describeChar(text, p.pos)}. ${hintFor(text, p.pos) ?? "Inside '@{…}' write exactly one expression."}`,
          });
          end = skipToClosingBrace(text, p.pos);
        } else {
          end = p.pos + 1;
        }
      } catch (e) {
        if (!(e instanceof Abandon)) throw e;
        expr = undefined;
        end = skipToClosingBrace(text, start + 2);
      }
    }
    segments.push({ kind: 'interpolation', expr, offset: start, length: end - start });
    i = end;
    literalStart = end;
  }
  if (!sawInterpolation) return { kind: 'literal', text: literal };
  flushText(text.length);
  return { kind: 'interpolation', segments };
}

/** After a broken interpolation: the offset just past the next `}` outside quotes (or the end). */
function skipToClosingBrace(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'") inString = !inString;
    else if (c === '}' && !inString) return i + 1;
  }
  return text.length;
}

function describeChar(text: string, pos: number): string {
  if (pos >= text.length) return 'the end of the value';
  const c = text[pos];
  if (c === ' ' || c === '\t') return 'a space';
  if (c === '\n' || c === '\r') return 'a line break';
  if (isWhitespace(c)) return `a space (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
  return `'${c}'`;
}

/** Advice for characters that people write expecting another language. */
function hintFor(text: string, pos: number): string | undefined {
  const c = text[pos];
  const two = text.slice(pos, pos + 2);
  if (two === '==') return 'ADF expressions have no operators: compare with equals(a, b).';
  if (two === '!=') return 'ADF expressions have no operators: write not(equals(a, b)).';
  if (two === '&&') return 'ADF expressions have no operators: write and(a, b).';
  if (two === '||') return 'ADF expressions have no operators: write or(a, b).';
  if (two === '>=') return 'ADF expressions have no operators: write greaterOrEquals(a, b).';
  if (two === '<=') return 'ADF expressions have no operators: write lessOrEquals(a, b).';
  switch (c) {
    case '+':
      return 'ADF expressions have no operators: use concat(a, b) for text or add(a, b) for numbers.';
    case '-':
      return 'ADF expressions have no operators: use sub(a, b) to subtract.';
    case '*':
      return 'ADF expressions have no operators: use mul(a, b).';
    case '/':
      return 'ADF expressions have no operators: use div(a, b).';
    case '%':
      return 'ADF expressions have no operators: use mod(a, b).';
    case '=':
      return 'ADF expressions have no operators: compare with equals(a, b).';
    case '!':
      return 'ADF expressions have no operators: negate with not(x).';
    case '>':
      return 'ADF expressions have no operators: use greater(a, b).';
    case '<':
      return 'ADF expressions have no operators: use less(a, b).';
    case '&':
    case '|':
      return 'ADF expressions have no operators: use and(a, b) / or(a, b).';
    case '"':
      return "Strings in ADF expressions are written in single quotes: replace \" with '.";
    case '@':
      return text[pos + 1] === '{'
        ? "'@{' starts an interpolation only in text, not inside an expression: call the function directly."
        : "Remove this '@': inside an expression, functions are called directly (write pipeline(), not @pipeline()).";
    default:
      return undefined;
  }
}

// PERFORMANCE: these run for every character of every expression. ASCII is answered by comparison;
// only other characters reach the Unicode regular expressions: a test of a class of every letter
// and digit of Unicode cost ~0.3 µs per character in a fresh process (1.4 ms per 5,000), most of
// what a cold `bridge lint` spent tokenising the samples' expressions.
function isAsciiLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

function isIdentStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (c < '\u0080') return isAsciiLetter(c) || c === '_' || c === '$';
  return /^\p{L}$/u.test(c);
}

function isIdentPart(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (c < '\u0080') return isAsciiLetter(c) || (c >= '0' && c <= '9') || c === '_' || c === '$';
  return /^[\p{L}\p{N}]$/u.test(c);
}

/**
 * White space between tokens. Not only ASCII: expressions pasted from web pages and documents
 * carry no-break spaces (U+00A0) and other Unicode spaces between tokens (public pipelines have
 * them before a closing ')'). ADF's expression parser is .NET code, where char.IsWhiteSpace
 * counts every Unicode space, so they are white space here too, not a syntax error.
 */
function isWhitespace(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (c < '\u0080') return c === ' ' || (c >= '\t' && c <= '\r');
  return /^\s$/u.test(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

class Parser {
  pos = 0;

  constructor(
    readonly text: string,
    readonly errors: ExprError[],
  ) {}

  fail(offset: number, length: number, message: string, code: ExprErrorCode = 'syntax'): never {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const l = Math.max(0, Math.min(length, this.text.length - o));
    this.errors.push({ code, offset: o, length: l, message });
    throw ABANDON;
  }

  report(span: Span, message: string, code: ExprErrorCode): void {
    this.errors.push({ code, offset: span.offset, length: span.length, message });
  }

  skipWs(): void {
    const t = this.text;
    while (this.pos < t.length && isWhitespace(t[this.pos])) this.pos++;
  }

  /** After a whole `@expr`: only whitespace may follow. */
  expectEnd(): void {
    this.skipWs();
    if (this.pos < this.text.length) {
      const hint = hintFor(this.text, this.pos);
      this.fail(
        this.pos,
        this.text.length - this.pos,
        `Unexpected ${describeChar(this.text, this.pos)} after the end of the expression. ${hint ?? "An '@' value holds exactly one expression; to mix text and expressions, write text with '@{…}' parts instead."}`,
      );
    }
  }

  /** The end offset of a token starting at `pos` for error ranges: one character, or a word. */
  tokenLength(pos: number): number {
    const t = this.text;
    if (pos >= t.length) return 0;
    if (isIdentPart(t[pos])) {
      let e = pos;
      while (e < t.length && isIdentPart(t[e])) e++;
      return e - pos;
    }
    return 1;
  }

  parseExpression(depth: number): ExprNode {
    if (depth >= MAX_EXPRESSION_DEPTH) {
      this.fail(this.pos, this.tokenLength(this.pos), `The expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep: split it into variables (Set variable activities) to keep it readable.`, 'too-deep');
    }
    this.skipWs();
    let node = this.parsePrimary(depth);
    for (;;) {
      const save = this.pos;
      this.skipWs();
      const t = this.text;
      const c = t[this.pos];
      if (c === '.') {
        node = this.parseMember(node, this.pos, this.pos + 1, false);
      } else if (c === '?' && t[this.pos + 1] === '.') {
        node = this.parseMember(node, this.pos, this.pos + 2, true);
      } else if (c === '[') {
        node = this.parseIndex(node, this.pos, this.pos + 1, false, depth);
      } else if (c === '?' && t[this.pos + 1] === '[') {
        node = this.parseIndex(node, this.pos, this.pos + 2, true, depth);
      } else if (c === '?') {
        this.fail(this.pos, 1, "A '?' must be followed by '.' or '[' (null-safe access, e.g. activity('A').output?.value). ADF has no '?:' operator: use if(condition, a, b).");
      } else {
        this.pos = save;
        return node;
      }
    }
  }

  parseMember(object: ExprNode, opStart: number, afterOp: number, nullSafe: boolean): ExprNode {
    const t = this.text;
    // ADF accepts whitespace between '.' and the name (`activity('A').output. value`).
    let nameStart = afterOp;
    while (nameStart < t.length && isWhitespace(t[nameStart])) nameStart++;
    let p = nameStart;
    if (!isIdentPart(t[p])) {
      const op = nullSafe ? '?.' : '.';
      this.fail(
        opStart,
        nameStart - opStart + (p < t.length ? 1 : 0),
        `Expected a property name after '${op}'${p < t.length ? `, found ${describeChar(t, p)}` : ''}. For names with spaces or special characters write ${nullSafe ? "?['name']" : "['name']"}.`,
      );
    }
    // ADF has no '-' operator (subtraction is sub()), so a '-' inside a property name is part of
    // it: global parameters such as `pipeline().globalParameters.GP-Int` are named that way.
    while (p < t.length && (isIdentPart(t[p]) || (t[p] === '-' && isIdentPart(t[p + 1])))) p++;
    const name = t.slice(nameStart, p);
    this.pos = p;
    return {
      kind: 'member',
      object,
      name,
      nameSpan: { offset: nameStart, length: p - nameStart },
      nullSafe,
      offset: object.offset,
      length: p - object.offset,
    };
  }

  parseIndex(object: ExprNode, opStart: number, innerStart: number, nullSafe: boolean, depth: number): ExprNode {
    this.pos = innerStart;
    this.skipWs();
    const t = this.text;
    if (this.pos >= t.length) this.fail(opStart, innerStart - opStart, "Unclosed '[': write an index or property name and close it with ']'.");
    if (t[this.pos] === ']') this.fail(opStart, this.pos + 1 - opStart, "Empty brackets '[]': write an index (e.g. [0]) or a property name in quotes (e.g. ['name']).");
    const index = this.parseExpression(depth + 1);
    this.skipWs();
    if (this.pos >= t.length) this.fail(opStart, innerStart - opStart, "Unclosed '[': add ']'.");
    if (t[this.pos] !== ']') {
      this.fail(this.pos, this.tokenLength(this.pos), `Expected ']' to close the index, found ${describeChar(t, this.pos)}. ${hintFor(t, this.pos) ?? ''}`.trimEnd());
    }
    this.pos++;
    return { kind: 'index', object, index, nullSafe, offset: object.offset, length: this.pos - object.offset };
  }

  parsePrimary(depth: number): ExprNode {
    const t = this.text;
    const start = this.pos;
    const c = t[start];
    if (start >= t.length) {
      this.fail(Math.max(0, t.length - 1), t.length > 0 ? 1 : 0, 'The expression ends where a value is expected: write a function call, a property access or a literal.');
    }
    if (c === "'") return this.parseString();
    if (isDigit(c) || (c === '.' && isDigit(t[start + 1])) || (c === '-' && (isDigit(t[start + 1]) || (t[start + 1] === '.' && isDigit(t[start + 2]))))) {
      return this.parseNumber();
    }
    if (isIdentStart(c)) return this.parseNameOrCall(depth);
    if (c === '"') {
      const close = t.indexOf('"', start + 1);
      this.fail(start, close > start ? close + 1 - start : 1, "Strings in ADF expressions are written in single quotes: replace the double quotes with ' (and write '' for a quote inside).");
    }
    if (c === ')' || c === ',' || c === ']' || c === '}') {
      this.fail(start, 1, `Expected a value before ${describeChar(t, start)}: write a function call, a property access or a literal.`);
    }
    const hint = hintFor(t, start);
    this.fail(start, 1, `Unexpected ${describeChar(t, start)} where a value is expected. ${hint ?? 'Write a function call (e.g. concat(…)), a literal (\'text\', 42, true, null) or a property access.'}`);
  }

  parseString(): ExprNode {
    const t = this.text;
    const start = this.pos;
    let value = '';
    let p = start + 1;
    for (;;) {
      const q = t.indexOf("'", p);
      if (q < 0) {
        this.fail(start, t.length - start, "Unclosed string: add a closing single quote ('). To put a quote inside a string, double it ('').");
      }
      value += t.slice(p, q);
      if (t[q + 1] === "'") {
        value += "'";
        p = q + 2;
        continue;
      }
      this.pos = q + 1;
      return { kind: 'string', value, offset: start, length: this.pos - start };
    }
  }

  parseNumber(): ExprNode {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t[p] === '-') p++;
    let isInteger = true;
    while (isDigit(t[p])) p++;
    if (t[p] === '.' && isDigit(t[p + 1])) {
      isInteger = false;
      p++;
      while (isDigit(t[p])) p++;
    }
    if ((t[p] === 'e' || t[p] === 'E') && (isDigit(t[p + 1]) || ((t[p + 1] === '+' || t[p + 1] === '-') && isDigit(t[p + 2])))) {
      isInteger = false;
      p += 2;
      while (isDigit(t[p])) p++;
    }
    if (isIdentStart(t[p])) {
      let e = p;
      while (isIdentPart(t[e])) e++;
      this.fail(start, e - start, `'${t.slice(start, e)}' is not a number: write digits only (e.g. 42 or 1.5), or quote text ('…').`);
    }
    const raw = t.slice(start, p);
    this.pos = p;
    return { kind: 'number', value: Number(raw), isInteger, offset: start, length: p - start };
  }

  parseNameOrCall(depth: number): ExprNode {
    const t = this.text;
    const start = this.pos;
    let p = start;
    while (isIdentPart(t[p])) p++;
    const name = t.slice(start, p);
    const nameSpan = { offset: start, length: p - start };
    this.pos = p;
    this.skipWs();
    if (t[this.pos] !== '(') {
      const lower = name.toLowerCase();
      this.pos = p;
      if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true', offset: start, length: p - start };
      if (lower === 'null') return { kind: 'null', offset: start, length: p - start };
      const fn = lookupFunction(name);
      if (fn) {
        this.fail(start, p - start, `'${name}' is a function: call it with parentheses, e.g. ${fn.name}(${fn.minArgs === 0 ? '' : '…'}).`);
      }
      this.fail(
        start,
        p - start,
        `Unexpected name '${name}': an expression is a function call (e.g. pipeline().parameters.x), a literal ('text', 42, true, null) or property access on one. Quote text with single quotes.`,
      );
    }
    const open = this.pos;
    this.pos++;
    const args: ExprNode[] = [];
    this.skipWs();
    if (t[this.pos] === ')') {
      this.pos++;
    } else {
      for (;;) {
        if (this.pos >= t.length) this.unclosedCall(name, start, open);
        args.push(this.parseExpression(depth + 1));
        this.skipWs();
        const c = t[this.pos];
        if (c === ',') {
          this.pos++;
          this.skipWs();
          if (t[this.pos] === ')') this.fail(this.pos - 1, 1, `Remove the trailing ',' in the call to ${name}: it expects another argument after a comma.`);
          continue;
        }
        if (c === ')') {
          this.pos++;
          break;
        }
        if (this.pos >= t.length) this.unclosedCall(name, start, open);
        if (c === '}') {
          this.fail(this.pos, 1, `Unclosed parenthesis in call to ${name}: add ')' before '}'.`);
        }
        const hint = hintFor(t, this.pos);
        this.fail(
          this.pos,
          this.tokenLength(this.pos),
          `Expected ',' or ')' after argument ${args.length} of ${name}, found ${describeChar(t, this.pos)}. ${hint ?? "Separate arguments with ',' and close the call with ')'."}`,
        );
      }
    }
    const fn = lookupFunction(name);
    const node: CallNode = {
      kind: 'call',
      name,
      canonicalName: fn?.name,
      nameSpan,
      args,
      offset: start,
      length: this.pos - start,
    };
    if (!fn) {
      const suggestion = closestName(name, KNOWN_FUNCTION_NAMES);
      this.report(
        nameSpan,
        `Unknown function '${name}'. ${suggestion ? `Did you mean '${suggestion}'? ` : ''}ADF expressions can only call the functions listed in "Expressions and functions in Azure Data Factory".`,
        'unknown-function',
      );
    } else if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      const expected =
        fn.minArgs === fn.maxArgs
          ? `${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`
          : fn.maxArgs === Infinity
            ? `at least ${fn.minArgs} argument${fn.minArgs === 1 ? '' : 's'}`
            : `${fn.minArgs} to ${fn.maxArgs} arguments`;
      this.report(
        node,
        `The function '${fn.name}' takes ${expected}, but ${args.length} ${args.length === 1 ? 'was' : 'were'} given. Usage: ${fn.usage}.`,
        'arity',
      );
    }
    return node;
  }

  unclosedCall(name: string, start: number, open: number): never {
    this.fail(start, open + 1 - start, `Unclosed parenthesis in call to ${name}: add ')'.`);
  }
}
