import { createScanner, ScanError, SyntaxKind } from 'jsonc-parser';
import { looksBinary } from '../json/jsonc';
import { SourceText, type Range } from '../text';
import { readBridgeConfig } from './model';

/**
 * The first level of a bridge config as the Links view lists it: the names of its links and where
 * they are written, the same names and ranges as `readBridgeConfig` gives (`links[].name`,
 * `locations.key`, `locations.entry`), without building the model.
 *
 * PERFORMANCE: the Links view lists every config with its links counted before the full models are
 * read (issue 9: ≤ 100 ms after activation for 200 links). A config as people write it is read
 * here with jsonc-parser's scanner alone, tokens and nesting, no tree (a third of parseTree's time
 * on a cold extension host). Whatever that reading does not expect (a syntax error, a binary file,
 * deep nesting) is handed to `readBridgeConfig`, whose parser recovers from errors: the answer is
 * the model's in every case, only cheaper where the text is plain.
 */
export interface ConfigOutline {
  path: string;
  links: LinkOutline[];
}

export interface LinkOutline {
  name: string;
  /** The link's name, the key of its entry in `links`. */
  key: Range;
  /** The whole entry, key and value. */
  entry: Range;
}

export function readConfigOutline(configPath: string, text: string): ConfigOutline {
  const scanned = scanLinkEntries(text);
  if (!scanned) {
    const model = readBridgeConfig(configPath, text);
    return { path: configPath, links: model.links.flatMap((l) => (l.locations ? [{ name: l.name, key: l.locations.key, entry: l.locations.entry }] : [])) };
  }
  const src = new SourceText(configPath, text);
  return {
    path: configPath,
    links: scanned.map((e) => ({ name: e.name, key: src.rangeAt(e.keyOffset, e.keyLength), entry: src.rangeAt(e.keyOffset, e.end - e.keyOffset) })),
  };
}

/** One entry of `links` whose value is an object (the model leaves the others out), as offsets. */
export interface ScannedLinkEntry {
  name: string;
  keyOffset: number;
  keyLength: number;
  /** Offset just past the entry's value. */
  end: number;
}

/** Far below the parser's own limit (MAX_NESTING): anything deeper goes to the full reader, which applies it. */
const SCAN_NESTING = 64;

class GiveUp extends Error {}

/**
 * The entries of the root object's first `links` object, read token by token; undefined when the
 * text is anything but well-formed JSONC (comments and trailing commas allowed, as configs are
 * parsed): the caller then reads it with the parser.
 */
export function scanLinkEntries(text: string): ScannedLinkEntry[] | undefined {
  if (looksBinary(text)) return undefined;
  // Trivia comes back as tokens so that an error inside a comment (one never closed) is seen too.
  const scanner = createScanner(text, false);
  const next = (): SyntaxKind => {
    for (;;) {
      const token = scanner.scan();
      if (scanner.getTokenError() !== ScanError.None || token === SyntaxKind.Unknown) throw new GiveUp();
      if (token < SyntaxKind.LineCommentTrivia || token > SyntaxKind.Trivia) return token;
    }
  };
  const end = () => scanner.getTokenOffset() + scanner.getTokenLength();
  const entries: ScannedLinkEntry[] = [];
  let linksSeen = false;
  // Reads the value starting at the current token; leaves its last token current and returns the
  // offset past it. The root object looks for `links` (the first one counts, as for the model),
  // whose entries with an object value are collected.
  const value = (depth: number, role?: 'root' | 'links'): number => {
    const first = scanner.getToken();
    switch (first) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken: {
        if (depth >= SCAN_NESTING) throw new GiveUp();
        const object = first === SyntaxKind.OpenBraceToken;
        const close = object ? SyntaxKind.CloseBraceToken : SyntaxKind.CloseBracketToken;
        if (next() === close) return end();
        for (;;) {
          if (object) {
            if (scanner.getToken() !== SyntaxKind.StringLiteral) throw new GiveUp();
            const name = scanner.getTokenValue();
            const keyOffset = scanner.getTokenOffset();
            const keyLength = scanner.getTokenLength();
            if (next() !== SyntaxKind.ColonToken) throw new GiveUp();
            const valueToken = next();
            let childRole: 'links' | undefined;
            if (role === 'root' && name === 'links' && !linksSeen) {
              linksSeen = true;
              childRole = 'links';
            }
            const valueEnd = value(depth + 1, childRole);
            if (role === 'links' && valueToken === SyntaxKind.OpenBraceToken) entries.push({ name, keyOffset, keyLength, end: valueEnd });
          } else {
            value(depth + 1);
          }
          if (next() === SyntaxKind.CommaToken) {
            // A trailing comma is allowed in a config.
            if (next() === close) return end();
          } else if (scanner.getToken() === close) {
            return end();
          } else {
            throw new GiveUp();
          }
        }
      }
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NumericLiteral:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword:
        return end();
      default:
        throw new GiveUp();
    }
  };
  try {
    if (next() !== SyntaxKind.OpenBraceToken) return undefined;
    value(0, 'root');
    return next() === SyntaxKind.EOF ? entries : undefined;
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}
