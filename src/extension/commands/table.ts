import * as vscode from 'vscode';
import type { LinksModel } from '../links/model';
import type { Logger } from '../log';
import { shortError } from '../log';
import type { RunsModel } from '../runs/model';
import type { RunService } from '../runs/service';
import type * as Actions from '../actions';
import type { RunTargetSetting } from '../target';
import type { Validator } from '../validation/validator';

/** What a command may use. Add a field here when a new command needs a new service. */
export interface CommandContext {
  validator: Validator;
  logger: Logger;
  showLog(): void;
  links: LinksModel;
  runs: RunsModel;
  /** The run service, loaded with the run side (dist/runs.js) on first use. */
  runService(): Promise<RunService>;
  /** The on-demand module (dist/actions.js: the run side, quick fixes, New Bridge Config), loaded on first use. */
  loadActions(): Promise<typeof Actions>;
  target: RunTargetSetting;
  /** Shows the "Bridge Runs" log channel. */
  showRunsLog(): void;
  /** Reloads the views (Refresh). */
  refreshViews(): void;
}

/**
 * One command: its id (as contributed in package.json `contributes.commands`) and one small
 * function. To add a command, write it in its own file, add it to `BRIDGE_COMMANDS`
 * (commands/index.ts) and contribute it in package.json; a test checks that both lists agree.
 */
export interface BridgeCommand {
  id: string;
  run(ctx: CommandContext, ...args: unknown[]): unknown;
}

/** Registers every command of the table; a failure becomes a message with a way to the log. */
export function registerCommands(commands: readonly BridgeCommand[], ctx: CommandContext): vscode.Disposable[] {
  return commands.map((command) =>
    vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
      try {
        return await command.run(ctx, ...args);
      } catch (e) {
        // By name, not instanceof: the run commands live in another bundle with its own copy of these classes.
        if (isError(e, 'CallerError')) {
          // An API caller (argument object) gets the rejection; a person would get a notification.
          ctx.logger.warn(`${command.id}: ${(e as Error).message}`);
          throw new Error((e as Error).message);
        }
        if (isError(e, 'UserError')) {
          ctx.logger.warn(`${command.id}: ${(e as Error).message}`);
          void vscode.window.showErrorMessage(`Bridge: ${(e as Error).message}`);
          return undefined;
        }
        ctx.logger.error(`Command ${command.id} failed`, e);
        void vscode.window.showErrorMessage(`Bridge: ${shortError(e)}`, 'Open Log').then((choice) => {
          if (choice === 'Open Log') ctx.showLog();
        });
        return undefined;
      }
    }),
  );
}

/** A failure the user can fix: the message says what is wrong and what to do, no stack needed. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** A failure a command's programmatic caller must see as a rejection (a bad argument object). */
export class CallerError extends Error {
  override readonly name = 'CallerError';
}

function isError(e: unknown, name: string): boolean {
  return e instanceof Error && e.name === name;
}

/** A command whose code is in the on-demand bundle (dist/actions.js): the table entry is here, the code loads on first use. */
export function onDemandCommand(id: string, name: 'runLink' | 'rerun' | 'stopRun' | 'showRunLog' | 'copyCorrelationId' | 'openInConsole' | 'newConfig'): BridgeCommand {
  return { id, run: async (ctx, ...args) => (await ctx.loadActions())[name].run(ctx, ...args) };
}
