/**
 * Maps offsets inside a decoded JSON string value back to the raw source text of its literal.
 *
 * Diagnostics about the content of a string (an ADF expression inside a pipeline JSON, for
 * example) are computed on the decoded value, where `\"` is one character; the editor needs the
 * columns in the file, where it is two. This module bridges the two.
 */

/**
 * Given the raw source of a JSON string literal, including its surrounding double quotes and
 * escapes exactly as they appear in the file, returns a function from an offset in the decoded
 * value to the offset in `rawLiteral`.
 *
 * - Decoded offset 0 maps to 1 (the first character after the opening quote).
 * - An offset equal to the decoded length maps to the closing quote (so an end-exclusive range
 *   ending at the end of the value ends just before the quote).
 * - Offsets beyond the decoded length, or negative, are clamped.
 * - A `\uXXXX` escape is one decoded UTF-16 unit spanning six raw characters; offsets never land
 *   inside an escape.
 *
 * Tolerant of malformed input (missing quotes, bad escapes): it never throws, and every result
 * lies within `[0, rawLiteral.length]`.
 */
export function decodedToRawOffsets(rawLiteral: string): (decodedOffset: number) => number {
  const starts = rawStartsOfDecodedUnits(rawLiteral);
  return (decodedOffset: number): number => {
    if (!Number.isFinite(decodedOffset)) return starts[starts.length - 1];
    const i = Math.max(0, Math.min(Math.trunc(decodedOffset), starts.length - 1));
    return starts[i];
  };
}

/**
 * Raw offsets of each decoded UTF-16 unit, plus one final entry for the end of the value.
 * `result[i]` is where decoded unit `i` starts in the raw text; `result[decodedLength]` is the
 * closing quote (or the end of the text when the literal is not closed).
 */
export function rawStartsOfDecodedUnits(rawLiteral: string): number[] {
  const n = rawLiteral.length;
  const starts: number[] = [];
  let i = rawLiteral.charCodeAt(0) === 34 /* " */ ? 1 : 0;
  while (i < n) {
    const c = rawLiteral.charCodeAt(i);
    if (c === 34 /* closing quote */) break;
    starts.push(i);
    if (c === 92 /* \ */ && i + 1 < n) {
      if (rawLiteral.charCodeAt(i + 1) === 117 /* u */ && /^[0-9a-fA-F]{4}$/.test(rawLiteral.slice(i + 2, i + 6))) {
        i += 6;
      } else {
        i += 2;
      }
    } else {
      i += 1;
    }
  }
  starts.push(Math.min(i, n));
  return starts;
}

/**
 * Converts a decoded range `[offset, offset + length)` inside a string literal that starts at
 * `literalOffset` in the file into a file range `{ offset, length }`.
 */
export function decodedRangeToSource(
  rawLiteral: string,
  literalOffset: number,
  decodedOffset: number,
  decodedLength: number,
): { offset: number; length: number } {
  const map = decodedToRawOffsets(rawLiteral);
  const start = map(decodedOffset);
  const end = map(decodedOffset + Math.max(0, decodedLength));
  return { offset: literalOffset + start, length: Math.max(0, end - start) };
}
