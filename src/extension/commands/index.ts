import { onDemandCommand, type BridgeCommand } from './table';
import { refresh, selectTarget } from './target';
import { validateWorkspace } from './validate-workspace';

/**
 * Every command the extension contributes (package.json `contributes.commands`), in menu order.
 * The on-demand commands' code is in dist/actions.js (src/extension/actions.ts), loaded on first use.
 * `bridge.showTimeline` is contributed but registered by the timeline (src/extension/timeline/).
 */
export const BRIDGE_COMMANDS: readonly BridgeCommand[] = [
  validateWorkspace,
  onDemandCommand('bridge.newConfig', 'newConfig'),
  onDemandCommand('bridge.runLink', 'runLink'),
  onDemandCommand('bridge.stopRun', 'stopRun'),
  onDemandCommand('bridge.rerun', 'rerun'),
  onDemandCommand('bridge.showRunLog', 'showRunLog'),
  onDemandCommand('bridge.copyCorrelationId', 'copyCorrelationId'),
  onDemandCommand('bridge.openInConsole', 'openInConsole'),
  selectTarget,
  refresh,
];
