/**
 * The text after a UTF-8 byte order mark. Windows editors save JSON with one; ADF's git
 * integration and JSON readers that follow RFC 8259 ("MAY ignore the presence of a byte order
 * mark") accept it, and VS Code hides it from the documents it hands the editor, so bridge reads
 * past it everywhere: positions then count from the first character after it, as in the editor.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Positions as in the Language Server Protocol: 0-based line and UTF-16 character. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * A file's text with a line index, so that offsets from `jsonc-parser` become LSP positions.
 * One instance per file per lint run: building the index is linear, lookups are logarithmic.
 */
export class SourceText {
  private lineStarts: number[] | undefined;

  constructor(
    /** Absolute path of the file. */
    readonly path: string,
    readonly text: string,
  ) {}

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 13 /* \r */) {
          if (t.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        } else if (c === 10 /* \n */) {
          starts.push(i + 1);
        }
      }
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  positionAt(offset: number): Position {
    let o = Math.max(0, Math.min(offset, this.text.length));
    // Between the CR and the LF of a CRLF is no place on a line: such an offset (the end of a
    // syntax error that covers the CR) is the end of the line, not a character past it.
    if (o > 0 && this.text.charCodeAt(o - 1) === 13 && this.text.charCodeAt(o) === 10) o--;
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - starts[lo] };
  }

  offsetAt(position: Position): number {
    const starts = this.starts();
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return this.text.length;
    const lineEnd = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length;
    return Math.max(starts[position.line], Math.min(starts[position.line] + position.character, lineEnd));
  }

  rangeAt(offset: number, length: number): Range {
    return { start: this.positionAt(offset), end: this.positionAt(offset + Math.max(0, length)) };
  }

  /** The range of the whole first line: where problems without a better place are reported. */
  firstLineRange(): Range {
    const starts = this.starts();
    const end = starts.length > 1 ? starts[1] : this.text.length;
    let e = end;
    while (e > 0 && (this.text[e - 1] === '\n' || this.text[e - 1] === '\r')) e--;
    return { start: { line: 0, character: 0 }, end: this.positionAt(e) };
  }
}
