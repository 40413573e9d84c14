import * as readline from 'node:readline';
import type { CliIo } from './io';

/**
 * The CLI's MFA prompt for role chains (`mfa_serial`): asks on the terminal; without one there is
 * no one to ask, and the credential error says to run the command in a terminal.
 */
export function terminalMfaPrompt(io: CliIo): ((serial: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY || io.env !== process.env) return undefined;
  return (serial) =>
    new Promise((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      rl.question(`MFA code for ${serial}: `, (code) => {
        rl.close();
        resolve(code.trim());
      });
    });
}

/** The first line of `bridge sandbox` (or a file holding it): where a running sandbox listens. */
export interface SandboxFirstLine {
  stepFunctions: string;
  dataFactory: string;
  caCertificate: string;
}
