import * as path from 'path';
import * as vscode from 'vscode';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { BridgeConfigModel, LinkModel } from '../../core/config/model';
import type { RunResult, RunTarget } from '../../core/run/events';
import type { PayloadChoice } from '../../core/run/request';
import type { LinksNode } from '../links/model';
import { isRunArgumentObject, parseRunArguments, resolvePayloadFile, RunArgumentError } from '../runs/arguments';
import { CallerError, UserError, type BridgeCommand, type CommandContext } from './table';

/**
 * Bridge: Run Link. From the palette or the view's title it asks for the link, then the payload;
 * from a link in the tree or a Run lens, the payload; from a payload in the tree, nothing. A cloud
 * run in a protected environment asks in a modal first.
 * With one argument object (shared/spec/editor.md) it asks nothing and resolves to the summary.
 */
export const runLink: BridgeCommand = {
  id: 'bridge.runLink',
  async run(ctx, arg?: unknown): Promise<RunResult | undefined> {
    if (isRunArgumentObject(arg)) return runFromArguments(ctx, arg);
    const node = arg as LinksNode | undefined;
    let picked: { config: BridgeConfigModel; link: LinkModel } | undefined;
    let payload: PayloadChoice | 'ask' = 'ask';
    if (node?.kind === 'link' || node?.kind === 'payload') {
      picked = await fresh(ctx, node.config, node.link);
      if (node.kind === 'payload') payload = node.file ? { file: node.file } : { value: await (await ctx.runService()).dummyPayload(picked.config, picked.link) };
    } else {
      picked = await pickLink(ctx);
      if (!picked) return undefined;
    }
    if (payload === 'ask') {
      const chosen = await pickPayload(ctx, picked.config, picked.link);
      if (!chosen) return undefined;
      payload = chosen;
    }
    return runInteractively(ctx, picked.config, picked.link, payload, ctx.target.get());
  },
};

/** Bridge: Run Again — a finished run's link with the same payload, a fresh correlation id. */
export const rerun: BridgeCommand = {
  id: 'bridge.rerun',
  async run(ctx, arg?: unknown): Promise<RunResult | undefined> {
    const record = await runFromArgument(ctx, arg, 'run again');
    if (!record) return undefined;
    const { config, link } = await (await ctx.runService()).resolve({ config: record.origin.configPath, link: record.origin.link, confirm: false }).catch((e: Error) => {
      throw new UserError(`${e.message.replace(/^bridge\.runLink: /, '')} (the run was of ${record.link}).`);
    });
    return runInteractively(ctx, config, link, record.origin.payload, record.origin.target);
  },
};

async function runFromArguments(ctx: CommandContext, arg: Record<string, unknown>): Promise<RunResult> {
  try {
    const args = parseRunArguments(arg);
    const { config, link } = await (await ctx.runService()).resolve(args);
    const payload = resolvePayloadFile(args.payload, config.path);
    if (payload && 'file' in payload) {
      const exists = await vscode.workspace.fs.stat(vscode.Uri.file(payload.file)).then(
        (s) => s.type === vscode.FileType.File,
        () => false,
      );
      if (!exists) throw new RunArgumentError(`bridge.runLink: "payload" ${payload.file} is not a file.`);
    }
    return await (await ctx.runService()).run({ config, link, payload, target: args.target ?? ctx.target.get(), confirm: args.confirm, quiet: true });
  } catch (e) {
    throw new CallerError(e instanceof Error ? e.message : String(e));
  }
}

async function runInteractively(ctx: CommandContext, config: BridgeConfigModel, link: LinkModel, payload: PayloadChoice, target: RunTarget): Promise<RunResult | undefined> {
  let confirm = false;
  if (vscode.workspace.isTrusted && (await ctx.runService()).needsConfirmation(config, link, target)) {
    const where = [config.azure?.factory && `factory ${config.azure.factory}`, config.aws?.accountId && `AWS account ${config.aws.accountId}`].filter(Boolean).join(' and ');
    const choice = await vscode.window.showWarningMessage(
      `Run "${link.name}" in the protected environment "${link.environment}"?`,
      { modal: true, detail: `This starts a real ${link.trigger === 'adf-to-sfn' ? 'pipeline run' : 'execution'}${where ? ` in ${where}` : ''}, with your own credentials.` },
      'Run in ' + link.environment,
    );
    if (!choice) return undefined;
    confirm = true;
  }
  try {
    return await (await ctx.runService()).run({ config, link, payload, target, confirm, quiet: false });
  } catch (e) {
    // The service has logged it and shown a notification with the log.
    ctx.logger.warn(`bridge.runLink: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** The link as its config says now (the tree may show it from before the last keystroke). */
async function fresh(ctx: CommandContext, config: BridgeConfigModel, link: LinkModel): Promise<{ config: BridgeConfigModel; link: LinkModel }> {
  try {
    return await (await ctx.runService()).resolve({ config: config.path, link: link.name, confirm: false });
  } catch (e) {
    throw new UserError(e instanceof Error ? e.message.replace(/^bridge\.runLink: /, '') : String(e));
  }
}

async function pickLink(ctx: CommandContext): Promise<{ config: BridgeConfigModel; link: LinkModel } | undefined> {
  await ctx.links.whenLoaded();
  const all = ctx.links.links();
  if (all.length === 0) {
    const choice = await vscode.window.showInformationMessage('Bridge: this workspace has no links to run. Create a bridge config first.', 'New Bridge Config');
    if (choice) await vscode.commands.executeCommand('bridge.newConfig');
    return undefined;
  }
  type Item = vscode.QuickPickItem & { value?: { config: BridgeConfigModel; link: LinkModel } };
  const items: Item[] = [];
  let lastConfig: string | undefined;
  for (const entry of all) {
    if (entry.config.path !== lastConfig) {
      items.push({ label: vscode.workspace.asRelativePath(entry.config.path), kind: vscode.QuickPickItemKind.Separator });
      lastConfig = entry.config.path;
    }
    const l = entry.link;
    items.push({
      label: l.name,
      description: [l.trigger, l.environment && `environment ${l.environment}${entry.config.environments[l.environment]?.protected ? ' (protected)' : ''}`].filter(Boolean).join(' · '),
      detail: l.trigger === 'sfn-to-adf' ? `${l.stateMachine?.name ?? '?'} → ${l.adf?.pipeline ?? '?'}` : l.trigger === 's3-to-sfn' ? `s3://${l.s3?.bucket ?? '?'} → ${l.stateMachine?.name ?? '?'}` : `${l.adf?.pipeline ?? '?'} → ${l.stateMachine?.name ?? '?'}`,
      value: entry,
    });
  }
  const picked = await vscode.window.showQuickPick(items, { title: `Run a link (${ctx.target.get()})`, placeHolder: 'The link to run', matchOnDescription: true, matchOnDetail: true });
  return picked?.value && fresh(ctx, picked.value.config, picked.value.link);
}

async function pickPayload(ctx: CommandContext, config: BridgeConfigModel, link: LinkModel): Promise<PayloadChoice | undefined> {
  type Item = vscode.QuickPickItem & { choice: 'file' | 'dummy' | 'edit'; file?: string };
  const items: Item[] = link.payloads.map((file) => ({ label: `$(json) ${path.basename(file)}`, description: vscode.workspace.asRelativePath(file), choice: 'file', file }));
  items.push({
    label: '$(symbol-misc) Generated dummy payload',
    description: link.trigger === 's3-to-sfn' ? 'an S3 "Object Created" event the link accepts' : link.trigger === 'adf-to-sfn' ? 'values of the pipeline parameters\' types' : '{}',
    choice: 'dummy',
  });
  items.push({ label: '$(edit) Edit before run…', description: 'opens the payload in an editor; run it from there', choice: 'edit' });
  const picked = await vscode.window.showQuickPick(items, { title: `Payload for ${link.name}`, placeHolder: 'What to send (the correlation id is added to it)' });
  if (!picked) return undefined;
  if (picked.choice === 'file') return { file: picked.file! };
  const dummy = await (await ctx.runService()).dummyPayload(config, link);
  if (picked.choice === 'dummy') return { value: dummy };
  return editBeforeRun(link, link.payloads[0], dummy);
}

/** Opens the payload (the first payload file's text, else the dummy) in an untitled JSON editor; Run sends what it holds then. */
async function editBeforeRun(link: LinkModel, file: string | undefined, dummy: unknown): Promise<PayloadChoice | undefined> {
  let content = `${JSON.stringify(dummy, null, 2)}\n`;
  if (file) {
    try {
      content = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
    } catch {
      // An unreadable payload file: start from the dummy (validation reports the file).
    }
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content });
  await vscode.window.showTextDocument(doc, { preview: false });
  for (;;) {
    const choice = await vscode.window.showInformationMessage(`Bridge: edit the payload for "${link.name}", then choose Run.`, 'Run', 'Cancel');
    if (choice !== 'Run') return undefined;
    const errors: ParseError[] = [];
    const value = parseJsonc(doc.getText(), errors, { allowTrailingComma: true });
    if (errors.length === 0) return { value };
    const at = doc.positionAt(errors[0].offset);
    void vscode.window.showErrorMessage(`Bridge: the payload is not valid JSON (${printParseErrorCode(errors[0].error)} at line ${at.line + 1}, column ${at.character + 1}). Fix it, then choose Run again.`);
  }
}

/** The run a run command is about: a tree element, a correlation id, `{ correlationId }`, or one picked from the runs. */
export async function runFromArgument(ctx: CommandContext, arg: unknown, verb: string, filter: (r: import('../runs/model').RunRecord) => boolean = () => true) {
  const id =
    typeof arg === 'string'
      ? arg
      : typeof arg === 'object' && arg !== null && 'record' in arg
        ? (arg as { record: { correlationId: string } }).record.correlationId
        : typeof arg === 'object' && arg !== null && typeof (arg as { correlationId?: unknown }).correlationId === 'string'
          ? (arg as { correlationId: string }).correlationId
          : undefined;
  if (id !== undefined) {
    const record = ctx.runs.get(id);
    if (!record) throw new UserError(`No run ${id} in this session: runs are kept until VS Code closes.`);
    return record;
  }
  const candidates = ctx.runs.list().filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`Bridge: no run to ${verb}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((r) => ({ label: r.link, description: `${r.status} · ${r.target} · ${new Date(r.startedAt).toLocaleTimeString()}`, detail: r.correlationId, record: r })),
    { title: `The run to ${verb}` },
  );
  return picked?.record;
}
