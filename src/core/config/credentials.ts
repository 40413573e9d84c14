import path = require('node:path');
import type { FileHost } from '../host';

/** Environment the credential check reads (process.env in the CLI, injectable in tests). */
export type Env = Record<string, string | undefined>;

export interface ProfileCredentials {
  /** The file and section that hold the keys. */
  file: string;
  section: string;
}

/**
 * Whether the named AWS profile holds long-lived access keys: an `aws_access_key_id` without an
 * `aws_session_token`, and no role, SSO or credential process that would give short-lived ones.
 */
export async function longLivedKeysOfProfile(profile: string, host: FileHost, env: Env): Promise<ProfileCredentials | undefined> {
  // node:os loads only when the environment names no home (it costs a CLI start ~10 ms).
  const home = env.HOME ?? env.USERPROFILE ?? (require('node:os') as typeof import('node:os')).homedir();
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config');
  const config = parseIni((await host.readFile(configFile)) ?? '');
  const configSection = config.get(profile === 'default' ? 'default' : `profile ${profile}`) ?? config.get(profile);
  const shortLived = (s: Map<string, string> | undefined) =>
    !!s && (s.has('role_arn') || s.has('sso_session') || s.has('sso_start_url') || s.has('credential_process') || s.has('web_identity_token_file') || s.has('aws_session_token'));
  if (shortLived(configSection)) return undefined;
  const credentials = parseIni((await host.readFile(credentialsFile)) ?? '');
  const credentialSection = credentials.get(profile);
  if (credentialSection?.has('aws_access_key_id') && !shortLived(credentialSection)) return { file: credentialsFile, section: profile };
  if (configSection?.has('aws_access_key_id')) return { file: configFile, section: profile };
  return undefined;
}

/** A minimal INI reader for the AWS shared files: sections of `key = value`, `#`/`;` comments. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1].replace(/\s+/g, ' '), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (current && eq > 0) current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}
