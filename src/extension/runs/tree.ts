import * as vscode from 'vscode';
import { formatDuration, type RunRecord, type RunStep, type RunsModel } from './model';
import { Debouncer } from '../debounce';

/** A run or one of its steps, as an element of a tree (the Runs view, or recent runs under a link). */
/** A run node carries its `correlationId` on top: the run commands and the timeline take it so. */
export type RunTreeNode = { kind: 'run'; id: string; correlationId: string; record: RunRecord } | { kind: 'step'; id: string; record: RunRecord; step: RunStep };

export function runNode(record: RunRecord, prefix: string): RunTreeNode {
  return { kind: 'run', id: `${prefix}:${record.correlationId}`, correlationId: record.correlationId, record };
}

export function runChildren(node: RunTreeNode, prefix: string): RunTreeNode[] {
  const keys = node.kind === 'run' ? node.record.roots : node.step.children;
  return keys.flatMap((key) => {
    const step = node.record.steps.get(key);
    return step ? [{ kind: 'step' as const, id: `${prefix}:${node.record.correlationId}:${key}`, record: node.record, step }] : [];
  });
}

const STATUS_ICON: Record<string, [string, string?]> = {
  Running: ['sync~spin'],
  InProgress: ['sync~spin'],
  Queued: ['clock'],
  Succeeded: ['pass', 'testing.iconPassed'],
  Failed: ['error', 'testing.iconFailed'],
  Aborted: ['error', 'testing.iconFailed'],
  TimedOut: ['watch', 'problemsWarningIcon.foreground'],
  Cancelled: ['circle-slash', 'disabledForeground'],
  Skipped: ['debug-step-over', 'disabledForeground'],
  Refused: ['shield', 'problemsWarningIcon.foreground'],
};

export function statusIcon(status: string): vscode.ThemeIcon {
  const [icon, color] = STATUS_ICON[status] ?? ['circle-outline'];
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

export function runTreeItem(node: RunTreeNode, labelWithLink: boolean): vscode.TreeItem {
  if (node.kind === 'step') return stepTreeItem(node);
  const r = node.record;
  const started = new Date(r.startedAt);
  const time = Number.isNaN(started.getTime()) ? r.startedAt : started.toLocaleTimeString();
  const item = new vscode.TreeItem(labelWithLink ? r.link : `${time} ${r.status}`, r.roots.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = labelWithLink ? `${r.status} · ${time} · ${r.target}` : `${r.target} · ${r.events} events`;
  item.iconPath = statusIcon(r.status);
  item.contextValue = `bridge:run+${r.status === 'Running' ? 'running' : 'finished'}+${r.target}${r.status === 'Failed' ? '+failed' : ''}`;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(r.link)}** — ${r.status}${r.summary?.reason ? `: ${escape(r.summary.reason)}` : ''}\n\n`);
  md.appendMarkdown(`Correlation id: \`${r.correlationId}\`  \nTarget: ${r.target}${r.environment ? `, environment ${escape(r.environment)}` : ''}  \nStarted: ${escape(r.startedAt)}  \nEvents: ${r.events}`);
  for (const id of r.pipelineRunIds) md.appendMarkdown(`  \nPipeline run: \`${id}\``);
  for (const arn of r.executionArns) md.appendMarkdown(`  \nExecution: \`${arn}\``);
  item.tooltip = md;
  return item;
}

function stepTreeItem(node: Extract<RunTreeNode, { kind: 'step' }>): vscode.TreeItem {
  const s = node.step;
  const item = new vscode.TreeItem(s.name, s.children.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const duration = formatDuration(s.start, s.end);
  const side = s.source === 'adf' ? 'ADF' : s.source === 'sfn' ? 'Step Functions' : 'Gateway';
  item.description = [s.status, duration, s.detail, s.of === 'pipeline' || s.of === 'execution' ? side : undefined].filter(Boolean).join(' · ');
  item.iconPath = statusIcon(s.status);
  item.contextValue = `bridge:step+${s.of}`;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escape(s.name)}** (${side} ${s.of}) — ${s.status}${duration ? `, ${duration}` : ''}`);
  if (s.error) md.appendMarkdown(`\n\n${escape([s.error.code, s.error.message].filter(Boolean).join(': '))}`);
  item.tooltip = md;
  return item;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** The Runs view: this session's runs, newest first, each with its steps, redrawn at most every 100 ms while events stream. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refresh = new Debouncer(100, () => this.changed.fire(undefined));
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: RunsModel) {
    this.subscription = model.onDidChange.on(() => this.refresh.schedule());
  }

  getTreeItem(node: RunTreeNode): vscode.TreeItem {
    return runTreeItem(node, true);
  }

  getChildren(node?: RunTreeNode): RunTreeNode[] {
    if (!node) return this.model.list().map((r) => runNode(r, 'run'));
    return runChildren(node, 'run');
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.refresh.dispose();
    this.changed.dispose();
  }
}

