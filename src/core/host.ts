/**
 * Everything the rules read from disk goes through a FileHost, so the editor can supply unsaved
 * buffers and tests can supply in-memory trees. Paths are absolute.
 */
export interface FileHost {
  /** The file's text, or undefined when it does not exist or is not a readable file. */
  readFile(path: string): Promise<string | undefined>;
  /** 'file', 'directory', or undefined when nothing is there. */
  stat(path: string): Promise<'file' | 'directory' | undefined>;
  /** Names (not paths) of the entries of a directory; empty when it does not exist. */
  readDirectory(path: string): Promise<string[]>;
}

/** Largest file the rules read; bigger files are reported rather than loaded. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;
