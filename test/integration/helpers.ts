import * as assert from 'assert';
import * as vscode from 'vscode';
import { createScanner, SyntaxKind } from 'jsonc-parser';
import type { BridgeExtensionApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'adf-sfn-bridge.adf-sfn-bridge';
/** How long any single wait may take before the test fails with what it saw. */
export const WAIT_MS = 20_000;

/**
 * The suites that edit buffers expect them to stay unsaved: the harness turns the web workbench's
 * auto-save (on after 1 s by default) off, else a slow step saves the edit to the fixture on disk.
 */
export function assertEditsStayUnsaved(): void {
  assert.strictEqual(vscode.workspace.getConfiguration('files').get('autoSave'), 'off', 'files.autoSave is off (test/harness/lib.mjs sets it)');
}

export async function activateExtension(): Promise<BridgeExtensionApi> {
  const ext = vscode.extensions.getExtension<BridgeExtensionApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.activate();
}

/** Activates the extension with runs going to the embedded sandbox (the suites that run links). */
export async function activateWithSandboxTarget(): Promise<BridgeExtensionApi> {
  const api = await activateExtension();
  await vscode.workspace.getConfiguration('bridge').update('target', 'sandbox', vscode.ConfigurationTarget.Workspace);
  return api;
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
    if (doc.isDirty) {
      // The revert went to another editor (focus moved): put the disk's text back in the buffer and
      // save that, so that closing cannot ask "Save changes?" and write the test's edit to disk.
      const disk = await vscode.workspace.fs.readFile(doc.uri).then((b) => new TextDecoder().decode(b), () => undefined);
      if (disk !== undefined) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), disk);
        await vscode.workspace.applyEdit(edit);
        await doc.save();
      }
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** What VS Code's own JSON language server reports on a file (every diagnostic that is not ours). */
export function jsonServerDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'bridge');
}

export function allDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri);
}

/** Polls `probe` until it returns a defined value, for at most `timeoutMs`; fails saying `what`. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = WAIT_MS, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`Waited ${timeoutMs} ms for ${what}${describe ? `; saw:\n    ${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The JSON Schema the extension contributes through `contributes.jsonValidation`, and where it is. */
export interface ContributedSchema {
  fileMatch: string[];
  url: string;
  uri: vscode.Uri;
  schema: JsonSchema;
}

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  enum?: unknown[];
  examples?: unknown[];
  items?: JsonSchema;
  [k: string]: unknown;
}

export async function contributedSchema(): Promise<ContributedSchema> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  const contributions = (ext.packageJSON as { contributes?: { jsonValidation?: { fileMatch: string | string[]; url: string }[] } }).contributes?.jsonValidation ?? [];
  const mine = contributions.filter((c) => [].concat(c.fileMatch as never).some((m: string) => /bridge\.json/.test(m)));
  assert.strictEqual(mine.length, 1, `one jsonValidation entry for bridge configs; got ${JSON.stringify(contributions)}`);
  const { url } = mine[0];
  const fileMatch = ([] as string[]).concat(mine[0].fileMatch);
  const uri = vscode.Uri.joinPath(ext.extensionUri, ...url.replace(/^\.\//, '').split('/'));
  const schema = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) as JsonSchema;
  return { fileMatch, url, uri, schema };
}

/**
 * Every object of the schema that declares keys: its path (`*` for an entry of a map such as
 * `links` or `environments`) and its property schemas. Only `properties` and object-valued
 * `additionalProperties` are followed (`allOf`/`then` only narrow what `properties` declares).
 */
export function schemaObjects(schema: JsonSchema): { path: string[]; properties: Record<string, JsonSchema> }[] {
  const out: { path: string[]; properties: Record<string, JsonSchema> }[] = [];
  const walk = (s: JsonSchema, path: string[]) => {
    if (s.properties && Object.keys(s.properties).length) out.push({ path, properties: s.properties });
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, [...path, k]);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, [...path, '*']);
  };
  walk(schema, []);
  return out;
}

/** The text a hover or a completion item documents a schema node with. */
export function schemaDoc(s: JsonSchema): string {
  return String(s.markdownDescription ?? s.description ?? '');
}

/** Markdown/plain text of hovers, joined. */
export function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** Replaces the whole text of an open editor (an unsaved edit). */
export async function setText(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  assert.ok(await editor.edit((b) => b.replace(all, text)), 'the edit applied');
}

/** A completion item's label, without the quotes the JSON server puts around keys. */
export function completionLabel(i: vscode.CompletionItem): string {
  return (typeof i.label === 'string' ? i.label : i.label.label).replace(/^"|"$/g, '');
}

/** Two ranges share at least one character (or touch on one line, for empty ranges). */
export function overlaps(a: vscode.Range, b: vscode.Range): boolean {
  const i = a.intersection(b);
  return i !== undefined && (!i.isEmpty || a.isEmpty || b.isEmpty);
}
