/**
 * The syntax tree of ADF (Azure Data Factory) expressions.
 *
 * Every offset is a UTF-16 offset in the DECODED string value (the JSON string after its escapes
 * are resolved), counted from the first character of the value. Use
 * `src/core/json/string-offsets.ts` to turn these into file positions.
 */

/** A half-open range `[offset, offset + length)` in the decoded string value. */
export interface Span {
  offset: number;
  length: number;
}

export interface StringLiteralNode extends Span {
  kind: 'string';
  /** The value with `''` already turned into `'`. */
  value: string;
}

export interface NumberLiteralNode extends Span {
  kind: 'number';
  value: number;
  /** True when written without a decimal point or exponent (ADF keeps integers and floats apart). */
  isInteger: boolean;
}

export interface BooleanLiteralNode extends Span {
  kind: 'boolean';
  value: boolean;
}

export interface NullLiteralNode extends Span {
  kind: 'null';
}

export interface CallNode extends Span {
  kind: 'call';
  /** The name as written. */
  name: string;
  /** The library's spelling when the function is known (names are case-insensitive in ADF). */
  canonicalName: string | undefined;
  nameSpan: Span;
  args: ExprNode[];
}

/** `object.name` or `object?.name`. */
export interface MemberNode extends Span {
  kind: 'member';
  object: ExprNode;
  name: string;
  nameSpan: Span;
  nullSafe: boolean;
}

/** `object[index]` or `object?[index]`. */
export interface IndexNode extends Span {
  kind: 'index';
  object: ExprNode;
  index: ExprNode;
  nullSafe: boolean;
}

export type ExprNode =
  | StringLiteralNode
  | NumberLiteralNode
  | BooleanLiteralNode
  | NullLiteralNode
  | CallNode
  | MemberNode
  | IndexNode;

/** Literal text of an interpolated string, with `@@{` already turned into `@{`. */
export interface TextSegment extends Span {
  kind: 'text';
  text: string;
}

/** `@{ expr }` inside a string. The span covers `@{` to `}` inclusive. */
export interface InterpolationSegment extends Span {
  kind: 'interpolation';
  /** Undefined when the expression inside did not parse (an error says why). */
  expr: ExprNode | undefined;
}

/**
 * How ADF reads one JSON string value:
 * - `literal`: no expression at all (includes `@@…` escapes; `text` is the resulting string);
 * - `expression`: the whole value is `@expr`; the result keeps the expression's type;
 * - `interpolation`: text with `@{…}` parts; the result is always a string.
 */
export type AdfValueNode =
  | { kind: 'literal'; text: string }
  | { kind: 'expression'; expr: ExprNode | undefined; span: Span }
  | { kind: 'interpolation'; segments: (TextSegment | InterpolationSegment)[] };

export type ExprErrorCode =
  /** The text is not a well-formed expression. */
  | 'syntax'
  /** A call to a function ADF does not have. */
  | 'unknown-function'
  /** A known function called with the wrong number of arguments. */
  | 'arity'
  /** `pipeline().X` where X is not a property of the pipeline object. */
  | 'unknown-property'
  /** Nesting deeper than the parser accepts. */
  | 'too-deep';

export interface ExprError extends Span {
  code: ExprErrorCode;
  /** What is wrong and what to do. */
  message: string;
}

export interface ParsedAdfValue {
  value: AdfValueNode;
  errors: ExprError[];
}

/** Calls `visit` on `node` and every node below it, parents first, without recursion. */
export function walkExpr(node: ExprNode, visit: (n: ExprNode) => void): void {
  const stack: ExprNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    visit(n);
    switch (n.kind) {
      case 'call':
        for (let i = n.args.length - 1; i >= 0; i--) stack.push(n.args[i]);
        break;
      case 'member':
        stack.push(n.object);
        break;
      case 'index':
        stack.push(n.index);
        stack.push(n.object);
        break;
      default:
        break;
    }
  }
}

/** The expression trees of a parsed value (none for a literal). */
export function expressionsOf(value: AdfValueNode): ExprNode[] {
  if (value.kind === 'expression') return value.expr ? [value.expr] : [];
  if (value.kind === 'interpolation') {
    const out: ExprNode[] = [];
    for (const s of value.segments) if (s.kind === 'interpolation' && s.expr) out.push(s.expr);
    return out;
  }
  return [];
}
