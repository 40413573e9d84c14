import * as vscode from 'vscode';
import type { RunTarget } from '../../core/run/events';
import { UserError, type BridgeCommand } from './table';

/** Bridge: Select Run Target. */
export const selectTarget: BridgeCommand = {
  id: 'bridge.selectTarget',
  async run(ctx, arg?: unknown): Promise<string | undefined> {
    let target: RunTarget | undefined = arg === 'sandbox' || arg === 'cloud' ? arg : undefined;
    if (arg !== undefined && !target) throw new UserError(`The run target is "sandbox" or "cloud", not ${JSON.stringify(arg)}.`);
    if (!target) {
      const current = ctx.target.get();
      const picked = await vscode.window.showQuickPick(
        [
          { label: '$(beaker) Sandbox', description: current === 'sandbox' ? 'current' : '', detail: 'The embedded sandbox, started for this workspace: no account, nothing real is touched.', value: 'sandbox' as const },
          { label: '$(cloud) Cloud', description: current === 'cloud' ? 'current' : '', detail: 'Your Azure and AWS accounts, with your own credentials; protected environments ask first.', value: 'cloud' as const },
        ],
        { title: 'Where Bridge test runs go' },
      );
      target = picked?.value;
    }
    if (!target) return undefined;
    await ctx.target.set(target);
    return target;
  },
};

/** Bridge: Refresh — reads every config again and redraws the views. */
export const refresh: BridgeCommand = {
  id: 'bridge.refresh',
  run(ctx): void {
    ctx.refreshViews();
  },
};
