import { lintConfigs, findBridgeConfigs } from '../core/lint/engine';
import { nodeFileHost } from '../core/node-host';
import { countOf, formatJson, formatSarif, formatText } from './format';
import { parseCommandArgs, UsageError, type CliIo } from './io';

export const LINT_USAGE = `Usage: bridge lint [--format text|json|sarif] [--max-warnings N] [PATH ...]

Checks bridge configs (*.bridge.jsonc, *.bridge.json) and the pipelines, ASL definitions,
payloads and mocks they point at. PATH: files or folders (searched for configs); default: .

Options:
  --format text|json|sarif   output format (default: text)
  --max-warnings N           fail (exit 1) when there are more than N warnings
  -h, --help                 show this help

Exit codes: 0 no errors and warnings within --max-warnings, 1 problems found, 2 bad usage or internal failure.`;

export async function lintCommand(args: string[], io: CliIo, version: string): Promise<number> {
  const parsed = parseCommandArgs(args, {
    format: { type: 'string' },
    'max-warnings': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }, LINT_USAGE);
  if (parsed.values.help) {
    io.stdout(LINT_USAGE);
    return 0;
  }
  const format = parsed.values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}".`);
  let maxWarnings = -1;
  if (parsed.values['max-warnings'] !== undefined) {
    const raw = parsed.values['max-warnings'];
    if (!/^\d+$/.test(raw)) throw new UsageError(`--max-warnings takes a whole number of 0 or more, not "${raw}".`);
    maxWarnings = Number(raw);
  }
  const paths = parsed.positionals.length ? parsed.positionals : ['.'];
  const host = nodeFileHost;
  for (const p of paths) {
    if (await host.stat(io.resolve(p))) continue;
    const reason = await host.unreadableReason?.(io.resolve(p));
    throw new UsageError(reason ? `${p} ${reason}: name a bridge config file or a folder.` : `${p}: no such file or folder.`);
  }
  const configs = await findBridgeConfigs(paths.map((p) => io.resolve(p)), host);
  if (configs.length === 0) io.stderr(`bridge: no bridge configs (*.bridge.jsonc, *.bridge.json) under ${paths.join(', ')}.`);
  const result = await lintConfigs(configs, host, { env: io.env });
  const out = format === 'json' ? formatJson(result, io.cwd) : format === 'sarif' ? formatSarif(result, io.cwd, version) : formatText(result, io.cwd, io.color);
  io.stdout(out);
  const { errorCount, warningCount } = countOf(result);
  if (errorCount > 0) return 1;
  if (maxWarnings >= 0 && warningCount > maxWarnings) {
    if (format === 'text') io.stderr(`bridge: ${warningCount} warnings, more than --max-warnings ${maxWarnings}.`);
    return 1;
  }
  return 0;
}
