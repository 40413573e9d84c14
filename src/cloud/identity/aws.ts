/**
 * AWS sign-in the way AWS users already do it: a shared-config profile (the config's `aws.profile`
 * or one the user chose) with SSO, `credential_process`, `role_arn` + `source_profile` (an MFA code
 * asked through a callback: an input box in the editor, the terminal in the CLI), or keys; without
 * a profile, the SDK's default chain (environment, SSO, default profile, process, web identity,
 * container/instance roles). The SDK does the work (@aws-sdk/credential-providers); this module
 * picks the provider and turns its failures into one line that names the profile and what to run.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { CloudIdentityError, chainDetail, cloudErrorShape, httpStatusOf } from './errors';

export type Env = Record<string, string | undefined>;

export interface AwsIdentityOptions {
  /** The config's `aws.profile`, or a profile the user chose; else AWS_PROFILE, else the default chain. */
  profile?: string;
  /** Environment to read the shared-file locations and AWS_PROFILE from (default: process.env). */
  env?: Env;
  /** Asked for the code of an MFA device (`mfa_serial`) when a role chain needs one. */
  mfaCode?: (serial: string) => Promise<string>;
  /** Credentials from elsewhere (tests, an editor sign-in): used as they are. */
  injected?: AwsCredentialIdentityProvider;
  /** The config's region: where role chains call STS (else the SDK warns and uses us-east-1). */
  region?: string;
}

export type AwsProfileKind = 'sso' | 'role' | 'process' | 'web-identity' | 'keys' | 'empty';

export interface AwsProfileInfo {
  name: string;
  kind: AwsProfileKind;
  region?: string;
  /** role profiles: the profile whose credentials assume the role. */
  sourceProfile?: string;
  roleArn?: string;
  mfaSerial?: string;
  /** The file that declares the profile. */
  file: string;
}

interface SharedFiles {
  configFile: string;
  credentialsFile: string;
}

function sharedFiles(env: Env): SharedFiles {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  return {
    configFile: env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config'),
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials'),
  };
}

/** The profiles of the shared config and credentials files, read by the SDK's own loader. */
export async function listAwsProfiles(env: Env = process.env): Promise<AwsProfileInfo[]> {
  const { loadSharedConfigFiles } = require('@smithy/shared-ini-file-loader') as typeof import('@smithy/shared-ini-file-loader');
  const files = sharedFiles(env);
  const loaded = await loadSharedConfigFiles({ filepath: files.credentialsFile, configFilepath: files.configFile, ignoreCache: true });
  // The loader also returns `sso-session.<name>` and `services.<name>` sections: not profiles.
  const names = new Set([...Object.keys(loaded.configFile), ...Object.keys(loaded.credentialsFile)].filter((n) => !/^(sso-session|services)\./.test(n)));
  return [...names].sort().map((name) => {
    const c = loaded.configFile[name] ?? {};
    const k = loaded.credentialsFile[name] ?? {};
    const p = { ...c, ...k };
    const kind: AwsProfileKind = p.sso_session || p.sso_start_url ? 'sso' : p.role_arn && p.web_identity_token_file ? 'web-identity' : p.role_arn ? 'role' : p.credential_process ? 'process' : p.aws_access_key_id ? 'keys' : 'empty';
    return {
      name,
      kind,
      region: c.region,
      sourceProfile: p.source_profile,
      roleArn: p.role_arn,
      mfaSerial: p.mfa_serial,
      file: loaded.configFile[name] ? files.configFile : files.credentialsFile,
    };
  });
}

/** The profile these options name (explicit, else AWS_PROFILE), or undefined for the default chain. */
export function awsProfileName(options: AwsIdentityOptions): string | undefined {
  return options.profile ?? (options.env ?? process.env).AWS_PROFILE ?? undefined;
}

/**
 * The credential provider for the SDK clients. Failures come out as CloudIdentityError: one line
 * naming the profile and what to run, the chain's messages in `detail`.
 */
export function awsCredentialProvider(options: AwsIdentityOptions = {}): AwsCredentialIdentityProvider {
  if (options.injected) return options.injected;
  const env = options.env ?? process.env;
  const profile = awsProfileName(options);
  const files = sharedFiles(env);
  const { fromIni, fromNodeProviderChain } = require('@aws-sdk/credential-providers') as typeof import('@aws-sdk/credential-providers');
  const init = {
    filepath: files.credentialsFile,
    configFilepath: files.configFile,
    ignoreCache: true,
    mfaCodeProvider: options.mfaCode,
    ...(options.region ? { clientConfig: { region: options.region } } : {}),
  };
  const provider: AwsCredentialIdentityProvider = profile ? fromIni({ ...init, profile }) : fromNodeProviderChain(init);
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    // One sign-in at a time: concurrent first calls (both ends' clients) share it, one MFA prompt.
    pending ??= provider().finally(() => (pending = undefined));
    try {
      return await pending;
    } catch (e) {
      throw await explainAwsCredentialFailure(e, profile, env);
    }
  };
}

/** Resolves credentials once, before any call: a sign-in problem stops a command with one line. */
export async function checkAwsCredentials(options: AwsIdentityOptions = {}): Promise<AwsCredentialIdentity> {
  return awsCredentialProvider(options)();
}

/** Why a profile (or the default chain) gave no credentials, in the user's terms. */
export async function explainAwsCredentialFailure(err: unknown, profile: string | undefined, env: Env): Promise<CloudIdentityError> {
  if (err instanceof CloudIdentityError) return err;
  const detail = chainDetail(err);
  const files = sharedFiles(env);
  const message = String((err as Error)?.message ?? err);
  if (!profile) {
    return new CloudIdentityError(
      'no-credentials',
      'No AWS credentials found: set "aws.profile" in the bridge config (or AWS_PROFILE) to a profile of ~/.aws/config, then run `aws sso login --profile NAME` (SSO) or `aws configure --profile NAME`.',
      detail,
    );
  }
  let profiles: AwsProfileInfo[] = [];
  try {
    profiles = await listAwsProfiles(env);
  } catch {
    // Unreadable files: the SDK's own message is in the detail.
  }
  return explainProfile(profile, profiles, message, detail, files, err, new Set());
}

function explainProfile(profile: string, profiles: AwsProfileInfo[], message: string, detail: string, files: SharedFiles, err: unknown, seen: Set<string>): CloudIdentityError {
  seen.add(profile);
  const info = profiles.find((p) => p.name === profile);
  const status = httpStatusOf(err);
  const name = String(cloudErrorShape(err).name ?? '');
  if (!info) {
    return new CloudIdentityError(
      'no-credentials',
      `AWS profile "${profile}" is not in ${files.configFile} or ${files.credentialsFile}: run \`aws configure sso --profile ${profile}\` (or \`aws configure --profile ${profile}\`), or fix "aws.profile".`,
      detail,
    );
  }
  switch (info.kind) {
    case 'sso':
      return new CloudIdentityError('expired-session', `The AWS SSO session of profile "${profile}" has expired or was never started: run \`aws sso login --profile ${profile}\`.`, detail);
    case 'process':
      return new CloudIdentityError(
        'no-credentials',
        `The credential_process of AWS profile "${profile}" gave no credentials (${firstLine(message)}): run the command in ${info.file} by hand to see why, and fix it.`,
        detail,
      );
    case 'role': {
      if (status === 403 || /AccessDenied/i.test(name) || /not authorized to perform: sts:AssumeRole|MultiFactorAuthentication failed/i.test(message)) {
        return new CloudIdentityError(
          'access-denied',
          `AWS profile "${profile}" could not assume ${info.roleArn}: ${/MultiFactorAuthentication/i.test(message) ? 'the MFA code was refused; retry with a fresh code' : `the identity of ${info.sourceProfile ? `source profile "${info.sourceProfile}"` : 'its source'} needs sts:AssumeRole on the role, and the role's trust policy must allow it`}.`,
          detail,
        );
      }
      if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ECONNRESET|socket hang up/i.test(`${cloudErrorShape(err).code ?? ''} ${message}`)) {
        return new CloudIdentityError('no-credentials', `AWS profile "${profile}" could not reach STS to assume ${info.roleArn} (${firstLine(message)}): check the network, or AWS_ENDPOINT_URL_STS.`, detail);
      }
      if (info.mfaSerial && /multi-factor|MFA code/i.test(message)) {
        return new CloudIdentityError('no-credentials', `AWS profile "${profile}" needs an MFA code for ${info.mfaSerial}: run the command in a terminal (it asks for the code), or sign in from the editor.`, detail);
      }
      if (info.sourceProfile && !seen.has(info.sourceProfile)) {
        const inner = explainProfile(info.sourceProfile, profiles, message, detail, files, err, seen);
        return new CloudIdentityError(inner.kind, `AWS profile "${profile}" assumes its role with source profile "${info.sourceProfile}", which failed: ${inner.line}`, detail);
      }
      return new CloudIdentityError('no-credentials', `AWS profile "${profile}" could not assume ${info.roleArn} (${firstLine(message)}): check source_profile in ${info.file}.`, detail);
    }
    case 'web-identity':
      return new CloudIdentityError('no-credentials', `AWS profile "${profile}" could not use its web identity token (${firstLine(message)}): check web_identity_token_file in ${info.file}.`, detail);
    case 'keys':
      if (/ExpiredToken|InvalidClientTokenId/i.test(`${name} ${message}`)) {
        return new CloudIdentityError('expired-session', `The keys of AWS profile "${profile}" expired or were revoked: run \`aws configure --profile ${profile}\` with fresh ones (or move the profile to SSO).`, detail);
      }
      return new CloudIdentityError('no-credentials', `AWS profile "${profile}" has incomplete keys (${firstLine(message)}): run \`aws configure --profile ${profile}\`.`, detail);
    default:
      return new CloudIdentityError(
        'no-credentials',
        `AWS profile "${profile}" has no way to get credentials (no sso_session, credential_process, role_arn or keys): run \`aws configure sso --profile ${profile}\` or \`aws configure --profile ${profile}\`.`,
        detail,
      );
  }
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0].trim();
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

/** The region of the config, else the profile's, else AWS_REGION / AWS_DEFAULT_REGION. */
export async function awsRegionFor(configRegion: string | undefined, options: AwsIdentityOptions = {}): Promise<string | undefined> {
  if (configRegion) return configRegion;
  const env = options.env ?? process.env;
  const profile = awsProfileName(options) ?? 'default';
  try {
    const found = (await listAwsProfiles(env)).find((p) => p.name === profile)?.region;
    if (found) return found;
  } catch {
    // No readable shared files: fall through to the environment.
  }
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
}
