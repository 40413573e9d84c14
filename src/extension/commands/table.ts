import * as vscode from 'vscode';
import type { Logger } from '../log';
import { shortError } from '../log';
import type { Validator } from '../validation/validator';

/** What a command may use. Add a field here when a new command needs a new service. */
export interface CommandContext {
  validator: Validator;
  logger: Logger;
  showLog(): void;
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
        if (e instanceof UserError) {
          ctx.logger.warn(`${command.id}: ${e.message}`);
          void vscode.window.showErrorMessage(`Bridge: ${e.message}`);
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
