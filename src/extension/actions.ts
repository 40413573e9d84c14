/**
 * What runs only when the user acts, bundled apart (dist/actions.js) and loaded on first use: the
 * run side (the service that drives the engine, the sandbox child process, argument checks, the
 * log format, the run commands), the quick fixes' edits and New Bridge Config. Activation loads
 * the views, their models and validation only (the 150 KiB budget of dist/extension.js).
 */
export { RunService } from './runs/service';
export { SandboxProcess } from './runs/sandbox-process';
export { rerun, runLink } from './commands/run-link';
export { copyCorrelationId, openInConsole, showRunLog, stopRun } from './commands/run-actions';
export { newConfig } from './commands/new-config';
export { BridgeQuickFixProvider } from './quickfix/provider';
