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
  /**
   * Optional, for walks: the entries of a directory with their kind as the listing tells it, no
   * stat per entry ('other': a FIFO, a device …; undefined: the listing cannot tell, as for a
   * symbolic link: ask `stat`). Empty when the directory does not exist.
   */
  readDirectoryTyped?(path: string): Promise<DirectoryEntry[]>;
  /**
   * Why readFile answered undefined though something is at `path`, as words that follow the path
   * ("is a FIFO (named pipe), not a regular file", "is larger than the 16 MB limit", "cannot be
   * read: permission denied"); undefined when nothing is there or the host cannot tell.
   */
  unreadableReason?(path: string): Promise<string | undefined>;
}

export interface DirectoryEntry {
  name: string;
  kind: 'file' | 'directory' | 'other' | undefined;
}

/**
 * Largest file bridge reads (configs, pipelines, ASL, payloads, mocks; in lint, the editor and the
 * sandbox alike); bigger files are reported rather than loaded.
 */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

/** Why a path could not be read as text: each a different thing for the user to do. */
export type UnreadableKind = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'denied' | 'unreadable';

export type FileRead = { ok: true; text: string } | { ok: false; kind: UnreadableKind; reason: string };

/** "16 MB" for MAX_READ_BYTES: the limit as a user reads it. */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
