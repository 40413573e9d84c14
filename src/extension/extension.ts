// Must stay the first import: it timestamps the start of loading this bundle.
import { bundleLoadStartedAt } from './activation-clock';
import * as vscode from 'vscode';
import { BRIDGE_COMMANDS } from './commands';
import { registerCommands } from './commands/table';
import { Logger } from './log';
import { registerDiscoverView } from './discover';
import { BridgeQuickFixProvider } from './quickfix/provider';
import { Validator } from './validation/validator';

/** When every module of the bundle has been evaluated (the entry module's body runs last). */
const bundleEvaluatedAt = performance.now();

/** What `activate` returns: read by the integration tests and the activation bench. */
export interface BridgeExtensionApi {
  activation: {
    /** Evaluating the bundle plus running `activate()`, ms (the host's own gap between the two is not ours). */
    totalMs: number;
    /** Evaluating the bundle's modules, ms. */
    loadMs: number;
    /** `activate()` alone, ms. */
    activateMs: number;
  };
  validator: Validator;
}

const JSON_FILES: vscode.DocumentSelector = [
  { scheme: 'file', language: 'json' },
  { scheme: 'file', language: 'jsonc' },
];

/**
 * PERFORMANCE: activation only wires listeners; the workspace scan and every lint run start
 * after `activate` returns, and nothing here loads a cloud SDK.
 */
export function activate(context: vscode.ExtensionContext): BridgeExtensionApi {
  const activateStartedAt = performance.now();
  const channel = vscode.window.createOutputChannel('ADF–Step Functions Bridge', { log: true });
  const logger = new Logger(channel);
  const showLog = () => channel.show(true);
  const validator = new Validator({
    logger,
    showLog,
    delay: () => vscode.workspace.getConfiguration('bridge.validation').get<number>('delay', 200),
  });
  context.subscriptions.push(
    channel,
    validator,
    vscode.languages.registerCodeActionsProvider(JSON_FILES, new BridgeQuickFixProvider(validator), BridgeQuickFixProvider.metadata),
    ...registerCommands(BRIDGE_COMMANDS, { validator, logger, showLog }),
  );
  // Discovery, sign-in and deployed status (issue 10): nothing signs in until the user asks.
  registerDiscoverView(context, { log: (line) => logger.info(line), showLog });
  validator.start();
  const activateMs = performance.now() - activateStartedAt;
  const loadMs = bundleEvaluatedAt - bundleLoadStartedAt;
  const activation = { totalMs: loadMs + activateMs, loadMs, activateMs };
  logger.info(`Activated in ${activation.totalMs.toFixed(1)} ms (loading the bundle ${loadMs.toFixed(1)} ms, activate() ${activateMs.toFixed(1)} ms).`);
  return { activation, validator };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
