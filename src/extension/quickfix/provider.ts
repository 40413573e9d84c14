import * as path from 'path';
import * as vscode from 'vscode';
import type { BridgeDiagnostic, QuickFixData } from '../../core/diagnostics';
import type { Validator } from '../validation/validator';
import { SourceText } from '../../core/text';
import { codeOf, DIAGNOSTIC_SOURCE, fromVscodeRange, toVscodeRange } from '../validation/convert';
import { declarePipelineParameterEdits, detectFormatting, fixEdits, type Edit, type FormattingOptions } from './edits';

/**
 * Offers the fix each diagnostic carries (`BridgeDiagnostic.fix`) as a quick fix. The edits are
 * computed on the current text with `jsonc-parser`, so comments and layout stay as they were.
 */
export class BridgeQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly validator: Validator) {}

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const shown of context.diagnostics) {
      if (shown.source !== DIAGNOSTIC_SOURCE) continue;
      const code = codeOf(shown);
      if (!code) continue;
      const stored = this.validator.find(document.uri.fsPath, code, fromVscodeRange(shown.range), shown.message);
      if (!stored?.fix) continue;
      const action = await this.actionFor(document, shown, stored, stored.fix);
      if (action) actions.push(action);
    }
    return actions;
  }

  private async actionFor(
    document: vscode.TextDocument,
    shown: vscode.Diagnostic,
    stored: BridgeDiagnostic,
    fix: QuickFixData,
  ): Promise<vscode.CodeAction | undefined> {
    const edit = new vscode.WorkspaceEdit();
    if (fix.kind === 'declare-pipeline-parameter') {
      const target = vscode.Uri.file(fix.pipelineFile);
      const { text, options, doc } = await readForEdit(target);
      if (text === undefined) return undefined;
      const edits = declarePipelineParameterEdits(text, fix.name, options);
      if (!edits?.length) return undefined;
      for (const e of edits) edit.replace(target, rangeOf(doc, text, e), e.content);
    } else {
      const text = document.getText();
      const offset = document.offsetAt(shown.range.start);
      const span = { offset, length: document.offsetAt(shown.range.end) - offset };
      const edits = fixEdits(text, span, fix, formattingFor(document));
      if (!edits?.length) return undefined;
      for (const e of edits) edit.replace(document.uri, rangeOf(document, text, e), e.content);
    }
    const action = new vscode.CodeAction(titleFor(stored, fix), vscode.CodeActionKind.QuickFix);
    action.edit = edit;
    action.diagnostics = [shown];
    action.isPreferred = true;
    return action;
  }
}

/** What the user reads in the light-bulb menu. */
export function titleFor(d: Pick<BridgeDiagnostic, 'code'>, fix: QuickFixData): string {
  switch (fix.kind) {
    case 'rename-key':
      return `Rename to "${fix.to}"`;
    case 'replace-value': {
      const shown = JSON.stringify(fix.value);
      if (d.code === 'region-mismatch') return `Use the declared region: ${shown}`;
      if (d.code === 'account-mismatch') return `Use the declared account: ${shown}`;
      if (d.code === 'partition-mismatch') return `Use the declared partition: ${shown}`;
      return `Change to ${shown}`;
    }
    case 'insert-property':
      if (d.code === 'missing-throttle') return 'Add a throttle block';
      if (d.code === 'unprotected-prod') return `Mark environment "${String(fix.path[fix.path.length - 1])}" as protected`;
      return `Add missing "${fix.key}"`;
    case 'declare-pipeline-parameter':
      return `Declare parameter "${fix.name}" in pipeline ${path.basename(fix.pipelineFile)}`;
  }
}

/** The editor's indentation for this document (tab size and spaces as the user set them). */
function formattingFor(document: vscode.TextDocument): FormattingOptions {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  if (!editor) return { ...detectFormatting(document.getText()), eol };
  const tabSize = typeof editor.options.tabSize === 'number' ? editor.options.tabSize : 2;
  const insertSpaces = typeof editor.options.insertSpaces === 'boolean' ? editor.options.insertSpaces : true;
  return { tabSize, insertSpaces, eol };
}

/** The text of a file to edit: the open buffer when there is one (it may hold unsaved edits). */
async function readForEdit(
  uri: vscode.Uri,
): Promise<{ text: string | undefined; options: FormattingOptions; doc: vscode.TextDocument | undefined }> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc) return { text: doc.getText(), options: formattingFor(doc), doc };
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return { text, options: detectFormatting(text), doc: undefined };
  } catch {
    return { text: undefined, options: detectFormatting(''), doc: undefined };
  }
}

function rangeOf(doc: vscode.TextDocument | undefined, text: string, e: Edit): vscode.Range {
  if (doc) return new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length));
  return toVscodeRange(new SourceText('', text).rangeAt(e.offset, e.length));
}
