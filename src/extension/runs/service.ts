import * as path from 'path';
import * as vscode from 'vscode';
import { isProtected, readBridgeConfig, type BridgeConfigModel, type LinkModel } from '../../core/config/model';
import { newCorrelationId } from '../../core/correlation';
import type { RunEvent, RunResult, RunStartLine, RunSummaryLine, RunTarget } from '../../core/run/events';
import type { PayloadChoice, RunHandle, RunRequest } from '../../core/run/request';
import { dummyParameters, s3ObjectCreatedEvent } from '../../core/run/plan';
import { linkPipelineParameters } from '../../core/run/payload';
import type { LinksModel } from '../links/model';
import type { Logger } from '../log';
import { shortError } from '../log';
import { RunArgumentError, resolvePayloadFile, type RunArguments } from './arguments';
import { eventLine, noticeLine, startLine, summaryLine, type LogLine } from './log';
import type { RunOrigin, RunRecord, RunsModel } from './model';
import type { SandboxProcess } from './sandbox-process';

/** The run engine's entry (src/cloud/index.ts, bundled as dist/cloud.js and loaded on the first run). */
interface RunEngine {
  startRun(request: RunRequest): RunHandle;
}

export interface RunServiceOptions {
  links: LinksModel;
  runs: RunsModel;
  sandbox: SandboxProcess;
  channel: vscode.LogOutputChannel;
  logger: Logger;
  /** The run target the user chose (setting `bridge.target`). */
  target(): RunTarget;
  timeoutMs(): number;
  /** A config's text as the user sees it (buffer or disk); undefined when it cannot be read. */
  read(file: string): Promise<string | undefined>;
}

/** A run, fully decided: what starts, with what, where. */
export interface RunPlan {
  config: BridgeConfigModel;
  link: LinkModel;
  payload: PayloadChoice;
  target: RunTarget;
  /** The user (or the caller's `confirm: true`) agreed to a cloud run in a protected environment. */
  confirm: boolean;
  /** Ask nothing, show no notification beyond the progress: an API caller waits for the result. */
  quiet: boolean;
}

/**
 * Starts test runs through the run engine and follows them: the "Bridge Runs" log, the Runs model,
 * a cancellable progress notification, and on failure a notification that opens the log.
 */
export class RunService {
  private engine: Promise<RunEngine> | undefined;

  constructor(private readonly options: RunServiceOptions) {}

  /** Reads the config and finds the link an argument object names; rejects saying what is wrong. */
  async resolve(args: RunArguments): Promise<{ config: BridgeConfigModel; link: LinkModel }> {
    if (args.config) {
      if (!/\.bridge\.jsonc?$/i.test(args.config)) throw new RunArgumentError(`bridge.runLink: "config" ${args.config} is not a bridge config (*.bridge.jsonc or *.bridge.json).`);
      const text = await this.options.read(args.config);
      if (text === undefined) throw new RunArgumentError(`bridge.runLink: no bridge config at ${args.config}.`);
      const config = readBridgeConfig(args.config, text);
      const link = config.links.find((l) => l.name === args.link);
      if (!link) {
        const names = config.links.map((l) => `"${l.name}"`).join(', ');
        throw new RunArgumentError(`bridge.runLink: ${path.basename(args.config)} has no link "${args.link}"${names ? `; its links: ${names}` : ' (it has no links)'}.`);
      }
      return { config, link };
    }
    await this.options.links.whenLoaded();
    const found = this.options.links.links().filter((x) => x.link.name === args.link);
    if (found.length === 0) throw new RunArgumentError(`bridge.runLink: no link "${args.link}" in the workspace's bridge configs.`);
    if (found.length > 1) {
      throw new RunArgumentError(`bridge.runLink: link "${args.link}" is in ${found.length} configs (${found.map((f) => path.basename(f.config.path)).join(', ')}); say which with "config".`);
    }
    // Read afresh: the model may lag an edit by the validation delay.
    const text = await this.options.read(found[0].config.path);
    const config = text === undefined ? found[0].config : readBridgeConfig(found[0].config.path, text);
    return { config, link: config.links.find((l) => l.name === args.link) ?? found[0].link };
  }

  /** Whether a cloud run of this link needs the user's confirmation first. */
  needsConfirmation(config: BridgeConfigModel, link: LinkModel, target: RunTarget): boolean {
    return target === 'cloud' && isProtected(config, link);
  }

  /** A payload made up for the link: pipeline parameters of the declared types, an S3 event, or {}. */
  async dummyPayload(config: BridgeConfigModel, link: LinkModel): Promise<unknown> {
    if (link.trigger === 's3-to-sfn') return s3ObjectCreatedEvent(config, link, new Date());
    if (link.trigger === 'adf-to-sfn') {
      const host = { readFile: this.options.read, readDirectory: async (dir: string) => (await vscode.workspace.fs.readDirectory(vscode.Uri.file(dir)).then(undefined, () => [])).map(([n]) => n) };
      return dummyParameters((await linkPipelineParameters(config, link, host)) ?? {});
    }
    return {};
  }

  /**
   * Runs a decided plan to its end. An untrusted workspace is Refused here, before the engine (or
   * any credential) is loaded; everything else, a protected environment's refusal included, is
   * the engine's to decide.
   */
  async run(plan: RunPlan): Promise<RunResult> {
    const origin: RunOrigin = { configPath: plan.config.path, link: plan.link.name, payload: plan.payload, target: plan.target };
    if (!vscode.workspace.isTrusted) {
      return this.refuseUntrusted(plan, origin);
    }
    let sandbox: RunRequest['sandbox'];
    if (plan.target === 'sandbox') {
      try {
        sandbox = await this.options.sandbox.endpoints();
      } catch (e) {
        this.options.logger.error('The sandbox could not start', e);
        this.options.channel.error(`Sandbox: ${shortError(e)}`);
        if (!plan.quiet) this.notifyFailure(`Bridge: the sandbox could not start: ${shortError(e)}`);
        throw new Error(`The sandbox could not start: ${shortError(e)}`);
      }
    }
    const engine = await this.loadEngine();
    let record: RunRecord | undefined;
    const runs = this.options.runs;
    const onStart = (line: RunStartLine) => {
      // The engine may announce the run after startRun returned, when the handle made the record already.
      if (record?.correlationId === line.correlationId) runs.describe(record, line);
      else record = runs.start(line, origin);
      this.log(record, startLine(line));
    };
    /** A record before the engine's own start line (it comes with the handle): not logged, the start line will be. */
    const placeholder = (correlationId: string) => {
      record = runs.start({ type: 'run', correlationId, link: plan.link.name, config: plan.config.path, trigger: plan.link.trigger, environment: plan.link.environment, target: plan.target, startedAt: new Date().toISOString() }, origin);
      return record;
    };
    const ensure = (correlationId: string): RunRecord => (record?.correlationId === correlationId ? record : placeholder(correlationId));
    const request: RunRequest = {
      config: plan.config,
      link: plan.link,
      payload: plan.payload,
      target: plan.target,
      sandbox,
      confirm: plan.confirm,
      timeoutMs: this.options.timeoutMs(),
      observer: {
        onStart,
        onEvent: (event: RunEvent) => {
          const r = ensure(event.correlationId);
          runs.event(r, event);
          this.log(r, eventLine(event));
        },
        onSummary: (summary: RunSummaryLine) => {
          const r = ensure(summary.correlationId);
          this.log(r, summaryLine(summary));
          runs.summary(r, summary);
        },
        onNotice: (message: string) => {
          if (record) this.log(record, noticeLine(record.correlationId, message));
          else this.options.channel.warn(message);
        },
      },
    };
    let handle: RunHandle;
    try {
      handle = engine.startRun(request);
    } catch (e) {
      this.options.logger.error(`Starting a run of ${plan.link.name} failed`, e);
      this.options.channel.error(`${plan.link.name}: ${shortError(e)}`);
      if (!plan.quiet) this.notifyFailure(`Bridge: ${plan.link.name} could not start: ${shortError(e)}`);
      throw e instanceof Error ? e : new Error(String(e));
    }
    const r = ensure(handle.correlationId);
    r.handle = handle;
    const summary = await this.follow(r, handle, plan);
    if (!record?.summary) runs.summary(r, summary);
    const { type: _type, ...result } = summary;
    return result;
  }

  /** Stops a followed run in its cloud (the engine ends it as Cancelled). */
  async stop(record: RunRecord): Promise<boolean> {
    if (!record.handle || record.status !== 'Running') return false;
    this.options.channel.info(`[${record.correlationId}] Stopping ${record.link}…`);
    await record.handle.stop();
    return true;
  }

  private follow(record: RunRecord, handle: RunHandle, plan: RunPlan): Promise<RunSummaryLine> {
    const where = plan.target === 'sandbox' ? 'sandbox' : 'cloud';
    const done = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Bridge: ${plan.link.name} (${where})`, cancellable: true },
      async (progress, token) => {
        const stopOnCancel = token.onCancellationRequested(() => void this.stop(record).catch((e) => this.options.logger.error(`Stopping ${record.correlationId} failed`, e)));
        const update = this.options.runs.onDidChange.on((changed) => {
          if (changed === record && record.status === 'Running') progress.report({ message: `${record.events} event${record.events === 1 ? '' : 's'} · ${record.correlationId}` });
        });
        try {
          return await handle.result;
        } finally {
          stopOnCancel.dispose();
          update.dispose();
        }
      },
    );
    return Promise.resolve(done).then((summary) => {
      if (summary.status === 'Failed' || summary.status === 'TimedOut') {
        this.notifyFailure(`Bridge: ${plan.link.name} ${summary.status === 'Failed' ? 'failed' : 'timed out'}${summary.reason ? `: ${summary.reason}` : '.'}`);
      }
      return summary;
    });
  }

  private refuseUntrusted(plan: RunPlan, origin: RunOrigin): RunResult {
    const correlationId = newCorrelationId();
    const record = this.options.runs.start(
      { type: 'run', correlationId, link: plan.link.name, config: plan.config.path, trigger: plan.link.trigger, environment: plan.link.environment, target: plan.target, startedAt: new Date().toISOString() },
      origin,
    );
    const summary: RunSummaryLine = {
      type: 'summary',
      correlationId,
      status: 'Refused',
      events: 0,
      reason: 'This workspace is not trusted (Restricted Mode): test runs are off. Trust the workspace to run links.',
    };
    this.log(record, summaryLine(summary));
    this.options.runs.summary(record, summary);
    if (!plan.quiet) {
      void vscode.window.showWarningMessage('Bridge: test runs are off in Restricted Mode. Trust this workspace to run links; validation works either way.', 'Manage Workspace Trust').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    }
    const { type: _type, ...result } = summary;
    return result;
  }

  private log(record: RunRecord, lines: LogLine[]): void {
    for (const line of lines) {
      this.options.runs.line(record, line.text);
      this.options.channel[line.level](line.text);
    }
  }

  private notifyFailure(message: string): void {
    void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => {
      if (choice === 'Show Log') this.options.channel.show(true);
    });
  }

  private loadEngine(): Promise<RunEngine> {
    // PERFORMANCE: the engine and the SDKs load on the first run, never at activation.
    this.engine ??= import('../../cloud/index').then(
      (m): RunEngine => ({ startRun: (request) => m.startRun(request) }),
      (e: unknown) => {
        // A failed load (a missing dist/cloud.js) is retried on the next run, not remembered.
        this.engine = undefined;
        throw e;
      },
    );
    return this.engine;
  }
}
