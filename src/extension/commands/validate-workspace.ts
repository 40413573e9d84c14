import * as vscode from 'vscode';
import type { ValidationSummary } from '../validation/validator';
import type { BridgeCommand } from './table';

/** Bridge: Validate Workspace — lints every config and says what it found. */
export const validateWorkspace: BridgeCommand = {
  id: 'bridge.validateWorkspace',
  async run(ctx): Promise<ValidationSummary> {
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Bridge: validating the workspace' },
      () => ctx.validator.validateWorkspace(),
    );
    const message = summaryMessage(summary);
    const problems = summary.errors + summary.warnings + summary.infos;
    // Not awaited: the command is done when validation is; the user may click later or never.
    void vscode.window.showInformationMessage(message, ...(problems > 0 ? ['Open Problems'] : [])).then((choice) => {
      if (choice === 'Open Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
    return summary;
  },
};

export function summaryMessage(s: ValidationSummary): string {
  if (s.configs === 0) {
    return 'Bridge: no bridge config (*.bridge.jsonc or *.bridge.json) in this workspace. Run "Bridge: New Bridge Config" to create one.';
  }
  const configs = plural(s.configs, 'config');
  const problems = s.errors + s.warnings + s.infos;
  if (problems === 0) return `Bridge: ${configs} checked, no problems found.`;
  const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
  if (s.infos > 0) parts.push(plural(s.infos, 'info'));
  return `Bridge: ${configs} checked: ${parts.join(', ')} in ${plural(s.files, 'file')}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
