import { UsageError, type CliIo } from './io';

export async function sandboxCommand(_args: string[], _io: CliIo): Promise<number> {
  throw new UsageError('the sandbox is not wired in yet.');
}
