import * as assert from 'assert';
import * as vscode from 'vscode';
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { BridgeExtensionApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'adf-sfn-bridge.adf-sfn-bridge';
/** How long any single wait may take before the test fails with what it saw. */
export const WAIT_MS = 20_000;

export async function activateExtension(): Promise<BridgeExtensionApi> {
  const ext = vscode.extensions.getExtension<BridgeExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.activate();
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return folder.uri;
}

export function inWorkspace(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** A fresh copy of a fixture under a new name, so a test can change it without touching others. */
export async function copyFixture(from: string, to: string): Promise<vscode.Uri> {
  const target = inWorkspace(to);
  await vscode.workspace.fs.copy(inWorkspace(from), target, { overwrite: true });
  return target;
}

export async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

export function bridgeDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'bridge');
}

export function describeDiagnostics(list: vscode.Diagnostic[]): string {
  if (list.length === 0) return '(none)';
  return list
    .map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} [${d.source}] ${d.message}`)
    .join('\n    ');
}

/**
 * Resolves with the bridge diagnostics of `uri` once `accept` holds, checking now and on every
 * diagnostics change of that file; fails after `timeoutMs` saying what was there instead.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (list: vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = WAIT_MS,
  read: (uri: vscode.Uri) => vscode.Diagnostic[] = bridgeDiagnostics,
): Promise<vscode.Diagnostic[]> {
  const now = read(uri);
  if (accept(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Waited ${timeoutMs} ms for ${what} on ${vscode.workspace.asRelativePath(uri)}; it has:\n    ${describeDiagnostics(read(uri))}`));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      const list = read(uri);
      if (accept(list)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(list);
      }
    });
  });
}

export const hasCode = (code: string) => (list: vscode.Diagnostic[]) => list.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (list: vscode.Diagnostic[]) => !list.some((d) => codeOf(d) === code);

/** The range of `needle` on the line that carries the marker comment `// <marker>`. */
export function rangeOnMarkedLine(text: string, marker: string, needle: string): vscode.Range {
  const lines = text.split(/\r?\n/);
  const line = lines.findIndex((l) => new RegExp(`//\\s*${escapeRegExp(marker)}\\s*$`).test(l));
  assert.ok(line >= 0, `a line marked // ${marker}`);
  const character = lines[line].indexOf(needle);
  assert.ok(character >= 0, `${JSON.stringify(needle)} on the line marked // ${marker}`);
  return new vscode.Range(line, character, line, character + needle.length);
}

/** Every comment of a JSONC text, in order (the scanner knows `//` inside a string is not one). */
export function commentsOf(text: string): string[] {
  const scanner = createScanner(text, false);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) out.push(scanner.getTokenValue());
  }
  return out;
}


function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Discards unsaved edits (so no "Save changes?" dialog can block the run) and closes every editor. */
export async function revertAndCloseAll(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
