import { newConfig } from './new-config';
import type { BridgeCommand } from './table';
import { validateWorkspace } from './validate-workspace';

/** Every command the extension contributes (package.json `contributes.commands`), in menu order. */
export const BRIDGE_COMMANDS: readonly BridgeCommand[] = [validateWorkspace, newConfig];
