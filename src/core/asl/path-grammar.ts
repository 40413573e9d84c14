/**
 * Where asl-path-validator 0.16.1's grammar (src/aslPaths.pegjs) rejects paths that Step
 * Functions runs. Step Functions evaluates JSONPath with Jayway JsonPath (the developer guide's
 * "Paths" and "Intrinsic functions" pages), and three constructs that Jayway and the guide accept
 * fail that grammar:
 *
 * - Escapes inside a quoted string: the rule `allchars = $[^\\n]` was meant as "anything but a
 *   newline" but excludes the backslash and the letter n, so `'a\nb'` and `'a\\b'` fail, though the
 *   intrinsic-functions page tells authors to escape `'`, `{`, `}` and `\` with a backslash.
 * - A dot before a bracket, `$.[0]` and `$.['key']`: Jayway reads it as `$[0]`; the grammar has
 *   `.name` and `[…]` but not `.[…]`.
 * - Several quoted names in one bracket, `$.['bucket', 'key']` (Jayway's property union); the
 *   grammar takes one.
 * - Filters beyond `@.name <op> literal`: Jayway filters compare any two operands, including a
 *   path from the root (`$.items[?(@.id == $.wanted)]`), and combine them with `&&`, `||`, `!`.
 *
 * `pathForGrammar` rewrites those constructs into ones the grammar accepts with the same shape (a
 * string stays a string, a filter stays a filter, so the checks that depend on them, such as "a
 * Reference Path has no filters", still apply). A filter's inside is not checked beyond balanced
 * parentheses and quotes: that is our own, deliberately lenient check, since a false error is
 * worse than a missed one.
 */

/** A filter with an inside the grammar accepts, standing in for one it does not. */
const FILTER_STAND_IN = '[?(@.x==0)]';

/**
 * The path with the constructs above rewritten, or undefined when it has an unterminated string
 * or filter (the grammar's verdict on the original then stands).
 */
export function pathForGrammar(path: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === "'" || c === '"') {
      const end = skipString(path, i);
      if (end < 0) return undefined;
      // Each escape becomes one plain character: the string keeps its length class, not its text.
      out += c + path.slice(i + 1, end - 1).replace(/\\[\s\S]/g, '_') + c;
      i = end;
      continue;
    }
    if (c === '.' && path[i + 1] === '[' && path[i - 1] !== '.') {
      i += 1; // `$.[0]` is `$[0]`; `$..[0]` (recursive descent) stays.
      continue;
    }
    if (c === '[' && (path[i + 1] === "'" || path[i + 1] === '"' || path[i + 1] === ' ')) {
      const union = quotedUnionEnd(path, i + 1);
      if (union > 0) {
        out += "['_']"; // `['a', 'b']` picks several properties; the grammar takes one name
        i = union;
        continue;
      }
    }
    if (c === '[' && path[i + 1] === '?' && path[i + 2] === '(') {
      const end = skipFilter(path, i + 3);
      if (end < 0) return undefined;
      out += FILTER_STAND_IN;
      i = end;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

/** The index after the closing quote of the string opening at `start`, or -1. */
function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === quote) return i + 1;
  }
  return -1;
}

/** From just inside `[`: the index after `]` when the bracket holds two or more quoted names, else -1. */
function quotedUnionEnd(text: string, start: number): number {
  let i = start;
  let names = 0;
  for (;;) {
    while (text[i] === ' ') i += 1;
    if (text[i] !== "'" && text[i] !== '"') return -1;
    const end = skipString(text, i);
    if (end < 0) return -1;
    names += 1;
    i = end;
    while (text[i] === ' ') i += 1;
    if (text[i] === ']') return names >= 2 ? i + 1 : -1;
    if (text[i] !== ',') return -1;
    i += 1;
  }
}

/** From just inside `[?(`: the index after the filter's `)]`, or -1 when unbalanced or empty. */
function skipFilter(text: string, start: number): number {
  let depth = 1;
  let i = start;
  let content = false;
  while (i < text.length) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = skipString(text, i);
      if (end < 0) return -1;
      content = true;
      i = end;
      continue;
    }
    if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) {
        let j = i + 1;
        while (text[j] === ' ') j += 1;
        return content && text[j] === ']' ? j + 1 : -1;
      }
    } else if (c !== ' ') content = true;
    i += 1;
  }
  return -1;
}
