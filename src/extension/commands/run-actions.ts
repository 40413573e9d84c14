import * as vscode from 'vscode';
import { adfRunMonitorUrl, stepFunctionsConsoleUrl } from '../../core/clouds';
import { executionArnParts, parseArn } from '../../core/config/arn';
import { AWS_PARTITIONS, type AwsPartition } from '../../core/config/shape';
import { RUN_LOG_SCHEME } from '../runs/model';
import { runFromArgument } from './run-link';
import { UserError, type BridgeCommand } from './table';


/** Bridge: Stop Run — cancels the pipeline run or stops the execution of a run being followed. */
export const stopRun: BridgeCommand = {
  id: 'bridge.stopRun',
  async run(ctx, arg?: unknown): Promise<boolean> {
    const record = await runFromArgument(ctx, arg, 'stop', (r) => r.status === 'Running');
    if (!record) return false;
    if (record.status !== 'Running') throw new UserError(`The run of ${record.link} (${record.correlationId}) is over: ${record.status}.`);
    return (await ctx.runService()).stop(record);
  },
};

/** Bridge: Show Run Log — one run's lines in an editor; without a run, the "Bridge Runs" channel. */
export const showRunLog: BridgeCommand = {
  id: 'bridge.showRunLog',
  async run(ctx, arg?: unknown): Promise<vscode.Uri | undefined> {
    if (arg === undefined) {
      ctx.showRunsLog();
      return undefined;
    }
    const record = await runFromArgument(ctx, arg, 'show the log of');
    if (!record) return undefined;
    const uri = vscode.Uri.from({ scheme: RUN_LOG_SCHEME, path: `/${record.link}-${record.correlationId}.log`, query: record.correlationId });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri;
  },
};

/** Bridge: Copy Correlation ID. */
export const copyCorrelationId: BridgeCommand = {
  id: 'bridge.copyCorrelationId',
  async run(ctx, arg?: unknown): Promise<string | undefined> {
    const record = await runFromArgument(ctx, arg, 'copy the correlation id of');
    if (!record) return undefined;
    await vscode.env.clipboard.writeText(record.correlationId);
    vscode.window.setStatusBarMessage(`Bridge: copied ${record.correlationId}`, 3000);
    return record.correlationId;
  },
};

/** Bridge: Open in Console — the execution in the AWS console, the pipeline run in ADF Studio, in their partition/cloud. */
export const openInConsole: BridgeCommand = {
  id: 'bridge.openInConsole',
  async run(ctx, arg?: unknown): Promise<string | undefined> {
    const record = await runFromArgument(ctx, arg, 'open in the console', (r) => r.target === 'cloud');
    if (!record) return undefined;
    if (record.target === 'sandbox') throw new UserError(`The run of ${record.link} went to the sandbox: it has no console page. Its log has every event.`);
    const config = ctx.links.config(record.configPath);
    const targets: { label: string; url: string }[] = [];
    for (const arn of record.executionArns) {
      const parsed = parseArn(arn);
      if (!parsed || !(AWS_PARTITIONS as readonly string[]).includes(parsed.partition) || !parsed.region) continue;
      const url = stepFunctionsConsoleUrl(parsed.partition as AwsPartition, parsed.region, arn);
      targets.push({ label: `$(symbol-class) Execution ${executionArnParts(arn)?.name ?? arn} in the AWS console`, url });
    }
    const a = config?.azure;
    if (a?.subscriptionId && a.resourceGroup && a.factory) {
      for (const id of record.pipelineRunIds) {
        targets.push({ label: `$(symbol-event) Pipeline run ${id} in ADF Studio`, url: adfRunMonitorUrl(a.cloud, { subscriptionId: a.subscriptionId, resourceGroup: a.resourceGroup, factory: a.factory }, id) });
      }
    }
    if (targets.length === 0) throw new UserError(`The run of ${record.link} has no execution or pipeline run to open yet.`);
    const chosen = targets.length === 1 ? targets[0] : await vscode.window.showQuickPick(targets, { title: 'Open in the console' });
    if (!chosen) return undefined;
    await vscode.env.openExternal(vscode.Uri.parse(chosen.url, true));
    return chosen.url;
  },
};
