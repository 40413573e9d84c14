import * as path from 'path';
import * as vscode from 'vscode';
import { NEW_CONFIG_TEMPLATE } from './new-config-template';
import { UserError, type BridgeCommand } from './table';

/**
 * Bridge: New Bridge Config — writes the template where the user picks and opens it.
 * Argument (optional): a folder (the explorer context menu) to start the save dialog in, or the
 * file to create (automation and tests), which must not exist yet.
 */
export const newConfig: BridgeCommand = {
  id: 'bridge.newConfig',
  async run(_ctx, target?: unknown): Promise<vscode.Uri | undefined> {
    const given = target instanceof vscode.Uri ? target : undefined;
    let uri: vscode.Uri | undefined;
    if (given && !(await isDirectory(given))) {
      uri = withConfigSuffix(given);
      if (await exists(uri)) {
        throw new UserError(`${vscode.workspace.asRelativePath(uri)} already exists. Choose a new file name.`);
      }
    } else {
      const folder = given ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      const picked = await vscode.window.showSaveDialog({
        title: 'New Bridge Config',
        saveLabel: 'Create',
        defaultUri: folder ? vscode.Uri.joinPath(folder, 'links.bridge.jsonc') : undefined,
        filters: { 'Bridge config': ['jsonc', 'json'] },
      });
      if (!picked) return undefined; // cancelled
      uri = withConfigSuffix(picked);
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(NEW_CONFIG_TEMPLATE));
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  },
};

/** `orders` / `orders.jsonc` -> `orders.bridge.jsonc`: only that name is recognised as a config. */
export function configFileName(name: string): string {
  if (/\.bridge\.jsonc?$/i.test(name)) return name;
  const base = name.replace(/\.jsonc?$/i, '');
  return `${base}.bridge.jsonc`;
}

function withConfigSuffix(uri: vscode.Uri): vscode.Uri {
  const name = path.posix.basename(uri.path);
  const fixed = configFileName(name);
  return fixed === name ? uri : vscode.Uri.joinPath(uri, '..', fixed);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function isDirectory(uri: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.Directory;
  } catch {
    return false;
  }
}
