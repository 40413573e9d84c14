import * as path from 'path';
import type { FileHost } from '../../core/host';
import { absolutePath } from '../../core/node-host';

/**
 * Remembers what the disk answered (file texts, kinds, folder listings) between lint runs, so a
 * keystroke in a config does not re-read the 200 files it references. Correct only for paths
 * whose changes are reported to `invalidate` — the editor's file watcher covers the workspace
 * folders — so `cacheable` says which paths those are; everything else is read through.
 * No VS Code here.
 */
export class DiskCache {
  private readonly texts = new Map<string, Promise<string | undefined>>();
  private readonly kinds = new Map<string, Promise<'file' | 'directory' | undefined>>();
  private readonly listings = new Map<string, Promise<string[]>>();

  constructor(
    private readonly disk: FileHost,
    private readonly cacheable: (absolutePath: string) => boolean,
  ) {}

  readonly host: FileHost = {
    readFile: (p) => this.remember(this.texts, p, () => this.disk.readFile(p)),
    stat: (p) => this.remember(this.kinds, p, () => this.disk.stat(p)),
    readDirectory: (p) => this.remember(this.listings, p, () => this.disk.readDirectory(p)),
    // Asked only after a failed read, to say why: not worth remembering.
    unreadableReason: async (p) => this.disk.unreadableReason?.(p),
  };

  /** Something at `p` was created, changed or deleted (a file, or a whole folder). */
  invalidate(p: string): void {
    const changed = path.resolve(p);
    const inside = changed + path.sep;
    for (const map of [this.texts, this.kinds, this.listings] as Map<string, unknown>[]) {
      for (const key of map.keys()) if (key === changed || key.startsWith(inside)) map.delete(key);
    }
    // The folder holding it lists a different set of names now.
    this.listings.delete(path.dirname(changed));
    this.kinds.delete(path.dirname(changed));
  }

  clear(): void {
    this.texts.clear();
    this.kinds.clear();
    this.listings.clear();
  }

  private remember<T>(map: Map<string, Promise<T>>, p: string, read: () => Promise<T>): Promise<T> {
    const key = absolutePath(p);
    if (!this.cacheable(key)) return read();
    let answer = map.get(key);
    if (!answer) {
      answer = read();
      map.set(key, answer);
    }
    return answer;
  }
}
