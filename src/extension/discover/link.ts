/**
 * "Link…" on a discovered resource: asks for the trigger and the config, then adds a link skeleton
 * with jsonc-parser edits (comments and layout kept) as a workspace edit, and shows it. The usual
 * validation then asks for the keys the trigger still needs.
 */
import * as vscode from 'vscode';
import type { TriggerName } from '../../core/config/shape';
import { addLinkEdits } from '../../core/discover/link-edit';
import { triggersFor, type DiscoveredResource } from '../../core/discover/model';
import { detectFormatting } from '../quickfix/edits';
import { configLabel, loadWorkspaceConfigs } from './view';

const TRIGGER_TEXT: Record<TriggerName, string> = {
  'adf-to-sfn': 'ADF calls an API Gateway route that starts the state machine',
  'sfn-to-adf': 'the state machine starts the ADF pipeline (HTTP task → createRun)',
  's3-to-sfn': 'an S3 upload starts the state machine',
};

export interface LinkOptions {
  /** Skip the question: the trigger of the new link. */
  trigger?: TriggerName;
  /** Skip the question: the config (path or URI string) to add it to. */
  config?: string;
}

export interface LinkResult {
  config: string;
  link: string;
}

/** Adds a link for `resource`; undefined when the user cancelled a question. */
export async function linkResource(resource: DiscoveredResource, options: LinkOptions = {}): Promise<LinkResult | undefined> {
  const trigger = options.trigger ?? (await pickTrigger(resource));
  if (!trigger) return undefined;
  if (!triggersFor(resource).includes(trigger)) throw new Error(`A ${resource.kind === 'pipeline' ? 'pipeline' : 'state machine'} cannot be linked with trigger "${trigger}"; use ${triggersFor(resource).join(' or ')}.`);
  const configPath = options.config ? toPath(options.config) : await pickConfig(resource);
  if (!configPath) return undefined;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(configPath));
  const text = doc.getText();
  const result = addLinkEdits(text, resource, trigger, detectFormatting(text));
  if (!result) throw new Error(`${configLabel(configPath)} is not a JSON object at its root: fix its syntax, then link again.`);
  const edit = new vscode.WorkspaceEdit();
  for (const e of result.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`${configLabel(configPath)} could not be edited (is it read-only?).`);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const at = doc.getText().indexOf(`"${result.name}"`, result.edits[0]?.offset ?? 0);
  if (at >= 0) {
    const position = doc.positionAt(at);
    editor.selection = new vscode.Selection(position, position.translate(0, result.name.length + 2));
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  }
  return { config: configPath, link: result.name };
}

async function pickTrigger(resource: DiscoveredResource): Promise<TriggerName | undefined> {
  const picked = await vscode.window.showQuickPick(
    triggersFor(resource).map((t) => ({ label: t, detail: TRIGGER_TEXT[t], trigger: t })),
    { title: `Link ${resource.name}: how does one cloud call the other?`, placeHolder: 'The trigger of the new link' },
  );
  return picked?.trigger;
}

async function pickConfig(resource: DiscoveredResource): Promise<string | undefined> {
  const configs = (await loadWorkspaceConfigs()).map((c) => c.path);
  // The configs that declare the resource's factory or region first.
  const preferred = resource.source.configs;
  const ordered = [...preferred.filter((p) => configs.includes(p)), ...configs.filter((p) => !preferred.includes(p))];
  if (ordered.length === 1) return ordered[0];
  const picked = await vscode.window.showQuickPick(
    ordered.map((p) => ({ label: configLabel(p), description: preferred.includes(p) ? 'declares this resource\'s ' + (resource.kind === 'pipeline' ? 'factory' : 'region') : undefined, path: p })),
    { title: `Link ${resource.name}: add the link to which config?` },
  );
  return picked?.path;
}

function toPath(config: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(config) ? vscode.Uri.parse(config).fsPath : config;
}
