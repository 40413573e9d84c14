import path = require('node:path');
import type { DirectoryEntry, FileHost } from '../host';

/**
 * Finding the configs apart from linting them: the editor's activation bundle walks the
 * workspace with this at start-up and loads the lint engine (dist/lint.js) only for the first lint.
 */

export function isBridgeConfigPath(p: string): boolean {
  return /\.bridge\.jsonc?$/i.test(p);
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Configs named by `paths`: files as given, folders searched recursively for *.bridge.json(c). */
export async function findBridgeConfigs(paths: string[], host: FileHost): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    // Kinds from the listing where the host can give them; a stat only where it cannot tell.
    const entries: DirectoryEntry[] = host.readDirectoryTyped ? await host.readDirectoryTyped(dir) : (await host.readDirectory(dir)).map((name) => ({ name, kind: undefined }));
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, kind } of entries) {
      const full = path.join(dir, name);
      const config = isBridgeConfigPath(name);
      if (!config && SKIPPED_FOLDERS.has(name)) continue;
      const isFolder = (kind ?? (await host.stat(full))) === 'directory';
      // A config name on something that is no file (a FIFO, a device) is listed, so lint says what is wrong with it.
      if (config && !isFolder) found.add(full);
      else if (!config && isFolder) await walk(full, depth + 1);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    const kind = await host.stat(abs);
    if (kind === 'file') found.add(abs);
    else if (kind === 'directory') await walk(abs, 0);
  }
  return [...found].sort();
}
