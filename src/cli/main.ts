import { LINT_USAGE, lintCommand } from './lint';
import { processIo, UsageError, type CliIo } from './io';

declare const BRIDGE_VERSION: string | undefined;
const VERSION = typeof BRIDGE_VERSION === 'string' ? BRIDGE_VERSION : '0.0.0-dev';

const USAGE = `Usage: bridge <command> [options]

Commands:
  lint [PATH ...]        check bridge configs and what they point at (see: bridge lint --help)
  sandbox [PATH]         run the embedded Step Functions + ADF sandbox (see: bridge sandbox --help)
  run [--sandbox] [PATH] test-run links and print their correlated logs (see: bridge run --help)
  status [PATH]          live status and drift of each link's ends (see: bridge status --help)

Options:
  --version              print the version
  -h, --help             show this help`;

type Command = (args: string[], io: CliIo, version: string) => Promise<number>;

/** Commands load on first use, so `bridge lint` never pays for the sandbox, the SDKs or the run engine. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  lint: async () => lintCommand,
  sandbox: async () => (await import('./commands')).sandboxCommand,
  run: async () => (await import('./commands')).runCommand,
  status: async () => (await import('./commands')).statusCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      io.stdout(USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(VERSION);
      return 0;
    }
    const load = COMMANDS[command];
    if (!load) throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
    return await (await load())(rest, io, VERSION);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`bridge: ${e.message}`);
      return 2;
    }
    const err = e as Error;
    io.stderr(`bridge: internal error: ${err?.message ?? String(e)}\nThis is a bug in bridge; please report it with the command you ran.${io.env.BRIDGE_DEBUG ? `\n${err?.stack ?? ''}` : ' (Set BRIDGE_DEBUG=1 to see the stack.)'}`);
    return 2;
  }
}

export { LINT_USAGE, processIo };

if (require.main === module) {
  void main(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
