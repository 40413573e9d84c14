import * as path from 'node:path';
import type { FileHost } from '../host';

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
    const names = (await host.readDirectory(dir)).sort();
    for (const name of names) {
      const full = path.join(dir, name);
      if (isBridgeConfigPath(name)) {
        // A config name on something that is no file (a FIFO, a device) is listed, so lint says what is wrong with it.
        if ((await host.stat(full)) !== 'directory') found.add(full);
      } else if (!SKIPPED_FOLDERS.has(name) && (await host.stat(full)) === 'directory') {
        await walk(full, depth + 1);
      }
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
