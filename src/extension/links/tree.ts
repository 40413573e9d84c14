import * as path from 'path';
import * as vscode from 'vscode';
import { Debouncer } from '../debounce';
import { RunsModel } from '../runs/model';
import { runChildren, runNode, runTreeItem, type RunTreeNode } from '../runs/tree';
import type { FileLocation, LinkNode, LinksModel, LinksNode, ProblemCount } from './model';

export type LinksTreeElement = LinksNode | RunTreeNode;

/** Recent runs shown under each link. */
const RECENT_RUNS = 3;

const TRIGGER_ICON: Record<string, string> = { 'adf-to-sfn': 'arrow-right', 'sfn-to-adf': 'arrow-left', 's3-to-sfn': 'package' };
const TRIGGER_TITLE: Record<string, string> = { 'adf-to-sfn': 'ADF → Step Functions', 'sfn-to-adf': 'Step Functions → ADF', 's3-to-sfn': 'S3 → Step Functions' };
const END_ICON: Record<string, string> = { adf: 'symbol-event', gateway: 'globe', sfn: 'symbol-class', s3: 'database' };

/** An end's deployed status, as its description says it and as its icon shows it. */
const DEPLOYED_TEXT: Record<string, string> = { 'in-sync': 'in sync', drift: 'drift', missing: 'not deployed', unchecked: 'found', error: 'check failed' };
const WARN = 'problemsWarningIcon.foreground';
const DEPLOYED_ICON: Record<string, [string, string]> = { 'in-sync': ['pass', 'testing.iconPassed'], drift: ['diff', WARN], missing: ['circle-slash', WARN], unchecked: ['info', WARN], error: ['error', 'problemsErrorIcon.foreground'] };

/** Links carry a URI of this scheme so the decoration provider can badge their problems. */
export const LINK_URI_SCHEME = 'bridge-link';

/**
 * The Links view. `getChildren` only reads the models (never a file, never throws); a model
 * change redraws the tree at most every 100 ms, so a burst of events is one redraw.
 */
export class LinksTreeProvider implements vscode.TreeDataProvider<LinksTreeElement>, vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LinksTreeElement | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.decorationsChanged.event;
  private readonly refresh = new Debouncer(100, () => {
    this.changed.fire(undefined);
    this.decorationsChanged.fire(undefined);
    this.onRedraw?.();
  });
  private readonly subscriptions: { dispose(): void }[];
  private firstLevelDrawn = false;
  /** Called after each redraw is requested (the view's badge and context key follow the model). */
  onRedraw: (() => void) | undefined;

  constructor(
    private readonly links: LinksModel,
    private readonly runs: RunsModel,
  ) {
    this.subscriptions = [
      links.onDidChange.on(() => {
        this.refresh.schedule();
        // The first level is drawn as soon as it is known; what follows is batched.
        if (!this.firstLevelDrawn && links.isListed()) {
          this.firstLevelDrawn = true;
          this.refresh.flush();
        }
      }),
      // A run's status shows on its link and its recent runs under it (batched like the rest).
      runs.onDidChange.on(() => this.refresh.schedule()),
    ];
  }

  /** Problems changed (validation published): redraw badges and icons. */
  problemsChanged(): void {
    this.refresh.schedule();
  }

  getChildren(element?: LinksTreeElement): LinksTreeElement[] {
    try {
      if (!element) return this.links.roots();
      if (element.kind === 'run' || element.kind === 'step') return runChildren(element, 'linkrun');
      const children: LinksTreeElement[] = this.links.children(element);
      if (element.kind === 'link') {
        for (const record of this.runs.ofLink(element.config.path, element.link.name).slice(0, RECENT_RUNS)) children.push(runNode(record, 'linkrun'));
      }
      return children;
    } catch (e) {
      // Never throw at the tree: show what went wrong where it went wrong.
      return [{ kind: 'error', id: `error:${element?.id ?? 'root'}`, label: 'Could not show this', detail: e instanceof Error ? e.message : String(e) }];
    }
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(element: LinksTreeElement): vscode.TreeItem {
    switch (element.kind) {
      case 'run':
      case 'step':
        return runTreeItem(element, false);
      case 'placeholder': {
        const item = new vscode.TreeItem(element.label);
        item.id = element.id;
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        item.contextValue = 'bridge:placeholder';
        return item;
      }
      case 'error': {
        const item = new vscode.TreeItem(element.label);
        item.id = element.id;
        item.description = element.detail;
        item.tooltip = element.detail;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.contextValue = 'bridge:error';
        if (element.location) item.command = openCommand(element.location);
        return item;
      }
      case 'config':
        return this.configItem(element);
      case 'link':
        return this.linkItem(element);
      case 'end':
        return this.endItem(element);
      case 'payload': {
        const item = new vscode.TreeItem(element.label);
        item.id = element.id;
        item.description = element.file ? 'payload' : 'made from the pipeline parameters or an S3 event';
        item.iconPath = new vscode.ThemeIcon(element.file ? 'json' : 'symbol-misc');
        item.contextValue = `bridge:payload+${element.file ? 'file' : 'dummy'}`;
        item.tooltip = element.file ?? 'No payloads in this link: a run sends a generated dummy.';
        if (element.location) item.command = openCommand(element.location);
        return item;
      }
    }
  }

  /** Problem counts as a decoration: a badge and a colour on the link's row. */
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== LINK_URI_SCHEME) return undefined;
    const config = this.links.config(uri.path);
    const link = config?.links.find((l) => l.name === decodeURIComponent(uri.fragment));
    if (!config || !link) return undefined;
    const count = this.links.problemsOf(config, link);
    const total = count.errors + count.warnings;
    if (total === 0) return undefined;
    return {
      badge: total > 99 ? '99+' : String(total),
      tooltip: problemText(count),
      color: new vscode.ThemeColor(count.errors ? 'list.errorForeground' : 'list.warningForeground'),
      propagate: false,
    };
  }

  /** Errors and warnings over every link: the view's badge. */
  totalProblems(): ProblemCount {
    const total: ProblemCount = { errors: 0, warnings: 0, infos: 0 };
    for (const { config, link } of this.links.links()) {
      const c = this.links.problemsOf(config, link);
      total.errors += c.errors;
      total.warnings += c.warnings;
      total.infos += c.infos;
    }
    return total;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.refresh.dispose();
    this.changed.dispose();
    this.decorationsChanged.dispose();
  }

  private configItem(element: Extract<LinksNode, { kind: 'config' }>): vscode.TreeItem {
    const item = new vscode.TreeItem(path.basename(element.path), vscode.TreeItemCollapsibleState.Expanded);
    item.id = element.id;
    item.resourceUri = vscode.Uri.file(element.path);
    const folder = vscode.workspace.asRelativePath(path.dirname(element.path), true);
    item.description = element.state === 'loading' && element.linkCount === 0 ? 'reading…' : `${element.linkCount} link${element.linkCount === 1 ? '' : 's'} · ${folder}`;
    item.iconPath = element.state === 'error' ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')) : new vscode.ThemeIcon('json');
    item.contextValue = `bridge:config${element.state === 'error' ? '+error' : ''}`;
    item.tooltip = element.path;
    item.command = openCommand({ file: element.path });
    return item;
  }

  private linkItem(element: LinkNode): vscode.TreeItem {
    const { config, link } = element;
    const item = new vscode.TreeItem(link.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = element.id;
    item.resourceUri = vscode.Uri.from({ scheme: LINK_URI_SCHEME, path: config.path, fragment: encodeURIComponent(link.name) });
    if (element.reading) {
      // From the config's outline: the rest of the link comes with its full model, in a moment.
      item.description = 'reading…';
      item.iconPath = new vscode.ThemeIcon('link');
      item.contextValue = 'bridge:reading'; // no Run on it until the link is read
      item.command = openCommand(element.location);
      return item;
    }
    const count = this.links.problemsOf(config, link);
    const last = this.runs.ofLink(config.path, link.name)[0];
    item.description = [link.environment ? `${link.environment}${element.protected ? ' (protected)' : ''}` : 'no environment', last ? `last run ${last.status}` : undefined].filter(Boolean).join(' · ');
    const color = count.errors ? 'problemsErrorIcon.foreground' : count.warnings ? 'problemsWarningIcon.foreground' : undefined;
    item.iconPath = new vscode.ThemeIcon(TRIGGER_ICON[link.trigger ?? ''] ?? 'question', color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `bridge:link+${link.trigger ?? 'unknown'}${element.protected ? '+protected' : ''}${count.errors ? '+errors' : ''}`;
    item.tooltip = linkTooltip(element, count, last?.status, last?.correlationId);
    item.command = openCommand(element.location);
    return item;
  }

  private endItem(element: Extract<LinksNode, { kind: 'end' }>): vscode.TreeItem {
    const item = new vscode.TreeItem(element.label);
    item.id = element.id;
    const count = this.links.endProblems(element);
    const last = this.runs.ofLink(element.config.path, element.link.name)[0];
    const side = element.end === 'adf' ? 'adf' : element.end === 'sfn' ? 'sfn' : element.end === 'gateway' ? 'gateway' : undefined;
    const lastStatus = last && side ? RunsModel.sideStatus(last, side) : undefined;
    // Only the state machine and the pipeline have a deployed status to check.
    const checkable = element.end === 'adf' || element.end === 'sfn';
    const deployed = checkable ? this.links.deployedStatus(element.config.path, element.link.name, element.end) : undefined;
    const deployedText = checkable ? (deployed ? DEPLOYED_TEXT[deployed.state] : 'not checked yet') : undefined;
    item.description = [element.description, deployedText, lastStatus && `last run ${lastStatus}`, count.errors + count.warnings ? problemText(count) : undefined].filter(Boolean).join(' · ');
    const color = count.errors ? 'problemsErrorIcon.foreground' : count.warnings ? 'problemsWarningIcon.foreground' : undefined;
    const icon = deployed && !color ? DEPLOYED_ICON[deployed.state] : undefined;
    item.iconPath = icon ? new vscode.ThemeIcon(icon[0], new vscode.ThemeColor(icon[1])) : new vscode.ThemeIcon(END_ICON[element.end], color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = `bridge:end+${element.end}${deployed ? `+${deployed.state}` : ''}`;
    item.tooltip = `${element.label}\n${element.location.file}${checkable ? `\nDeployed: ${deployed?.summary ?? deployedText}` : ''}`;
    item.command = openCommand(element.location);
    return item;
  }
}

/** Opens a file at a place: the tree item's click. */
export function openCommand(location: FileLocation): vscode.Command {
  const r = location.range;
  const options: vscode.TextDocumentShowOptions = {
    preview: true,
    preserveFocus: false,
    selection: r ? new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) : undefined,
  };
  return { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(location.file), options] };
}

function problemText(c: ProblemCount): string {
  const parts = [c.errors && `${c.errors} error${c.errors === 1 ? '' : 's'}`, c.warnings && `${c.warnings} warning${c.warnings === 1 ? '' : 's'}`].filter(Boolean);
  return parts.join(', ') || 'no problems';
}

function linkTooltip(element: LinkNode, count: ProblemCount, lastStatus: string | undefined, lastId: string | undefined): vscode.MarkdownString {
  const { config, link } = element;
  const code = (s: string | undefined) => (s ? `\`${s.replace(/`/g, "'")}\`` : '—');
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${link.name}** — ${TRIGGER_TITLE[link.trigger ?? ''] ?? 'no trigger'}\n\n`);
  md.appendMarkdown(`Environment: ${link.environment ?? '—'}${element.protected ? ' (protected: cloud runs ask first)' : ''}\n\n`);
  const adf = `ADF: pipeline ${code(link.adf?.pipeline)}${link.adf?.activity ? `, activity ${code(link.adf.activity)}` : ''} in factory ${code(config.azure?.factory)}`;
  const sfn = `Step Functions: ${code(link.stateMachine?.arn)}`;
  const ends = link.trigger === 'sfn-to-adf' ? [sfn, adf] : link.trigger === 's3-to-sfn' ? [`S3: ${code(link.s3?.bucket)} ${code(`${link.s3?.prefix ?? ''}*${link.s3?.suffix ?? ''}`)}`, sfn] : [adf, `Gateway: ${code(link.gateway?.url)}`, sfn];
  md.appendMarkdown(ends.map((e) => `- ${e}`).join('\n'));
  md.appendMarkdown(`\n\nProblems: ${problemText(count)}`);
  if (lastStatus) md.appendMarkdown(`\n\nLast run: ${lastStatus} (${code(lastId)})`);
  return md;
}
